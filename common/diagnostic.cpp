// Diagnostic collection, sorting and caret rendering.
#include "xiangyue/common/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace xy {

Diagnostic& DiagnosticSink::error(std::string code, SourceSpan span, Localized message) {
  return push(Diagnostic{Severity::error, std::move(code), span, std::move(message), {}, {}});
}

Diagnostic& DiagnosticSink::warning(std::string code, SourceSpan span, Localized message) {
  return push(Diagnostic{Severity::warning, std::move(code), span, std::move(message), {}, {}});
}

void DiagnosticSink::add(Diagnostic d) {
  push(std::move(d));
}

Diagnostic& DiagnosticSink::push(Diagnostic d) {
  if (d.severity == Severity::error) ++errors_;
  if (items_.size() >= cap_) {
    ++dropped_;
    overflow_ = std::move(d);  // kept only so callers can attach help without a branch
    return overflow_;
  }
  items_.push_back(std::move(d));
  return items_.back();
}

void DiagnosticSink::recode_since(std::size_t kept_before, const std::string& code) {
  for (std::size_t i = kept_before; i < items_.size(); ++i) items_[i].code = code;
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.span.file, a.span.line, a.span.column) <
           std::tie(b.span.file, b.span.line, b.span.column);
  });
  return out;
}

namespace {

std::string source_line(const std::string& text, std::uint32_t line) {
  std::size_t pos = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return {};
    ++pos;
  }
  std::size_t end = text.find('\n', pos);
  std::string s = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

const char* severity_word(Severity s, Lang lang) {
  switch (s) {
    case Severity::error:
      return lang == Lang::zh ? "错误" : "error";
    case Severity::warning:
      return lang == Lang::zh ? "警告" : "warning";
    case Severity::note:
      return lang == Lang::zh ? "注" : "note";
  }
  return "";
}

void render_snippet(std::string& out, const SourceSpan& span, const std::vector<SourceFile>& files,
                    const char* mark) {
  if (!span.known() || span.file >= files.size()) return;
  std::u32string cps = decode_utf8(source_line(files[span.file].text, span.line));
  // Long lines are shown as a window around the span, so one huge line cannot flood the output.
  constexpr std::size_t kContext = 60;
  std::size_t col = span.column == 0 ? 0 : span.column - 1;
  std::size_t begin = col > kContext ? col - kContext : 0;
  std::size_t end =
      std::min(cps.size(), col + std::min<std::size_t>(span.length, kContext) + kContext);
  std::u32string shown;
  std::size_t lead = 0, width = 0;
  if (begin > 0) shown += U"…", lead += 1;
  for (std::size_t i = begin; i < end; ++i) {
    char32_t c = cps[i] == U'\t' ? U' ' : cps[i];
    shown += c;
    std::size_t w = char_width(c);
    if (i < col)
      lead += w;
    else if (i < col + span.length)
      width += w;
  }
  if (end < cps.size()) shown += U"…";
  if (width == 0) width = 1;
  std::string num = std::to_string(span.line);
  std::string pad(num.size(), ' ');
  out +=
      pad + " |\n" + num + " | " + encode_utf8(shown) + "\n" + pad + " | " + std::string(lead, ' ');
  for (std::size_t i = 0; i < width; ++i) out += mark;
  out += "\n";
}

}  // namespace

std::string render(const Diagnostic& d, const std::vector<SourceFile>& files, Lang lang) {
  std::string out;
  if (d.span.known() && d.span.file < files.size()) {
    out += files[d.span.file].path + ":" + std::to_string(d.span.line) + ":" +
           std::to_string(d.span.column) + ": ";
  }
  out += std::string(severity_word(d.severity, lang)) + "[" + d.code + "]: " + d.message.in(lang) +
         "\n";
  render_snippet(out, d.span, files, "^");
  for (const auto& [span, text] : d.notes) {
    out += std::string(lang == Lang::zh ? "  = 注：" : "  = note: ") + text.in(lang) + "\n";
    render_snippet(out, span, files, "-");
  }
  if (d.help)
    out += std::string(lang == Lang::zh ? "  = 帮助：" : "  = help: ") + d.help->in(lang) + "\n";
  return out;
}

std::string render_all(const DiagnosticSink& sink, const std::vector<SourceFile>& files, Lang lang,
                       std::size_t show_at_most) {
  std::string out;
  auto all = sink.sorted();
  std::size_t shown = 0;
  for (const auto& d : all) {
    if (shown == show_at_most) break;
    out += render(d, files, lang);
    ++shown;
  }
  std::size_t errors = sink.error_count();
  std::size_t hidden = all.size() - shown + sink.dropped();
  if (lang == Lang::zh) {
    if (hidden > 0) out += "（另有 " + std::to_string(hidden) + " 条诊断未显示）\n";
    if (errors > 0) out += "共 " + std::to_string(errors) + " 个错误\n";
  } else {
    if (hidden > 0) out += "(" + std::to_string(hidden) + " more diagnostics not shown)\n";
    if (errors > 0) out += std::to_string(errors) + (errors == 1 ? " error\n" : " errors\n");
  }
  return out;
}

}  // namespace xy
