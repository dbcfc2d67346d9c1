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

// One source line with marks under code points [from, to) (to past the line: to its end), shown
// as a window around the marks when the line is long, so one huge line cannot flood the output.
void render_line(std::string& out, const std::string& text, std::uint32_t line, std::size_t from,
                 std::size_t to, const char* mark, std::size_t gutter) {
  std::u32string cps = decode_utf8(source_line(text, line));
  constexpr std::size_t kContext = 60;
  to = std::max(std::min(to, cps.size()), from + 1);
  std::size_t begin = from > kContext ? from - kContext : 0;
  std::size_t end =
      std::min(cps.size(), from + std::min<std::size_t>(to - from, kContext) + kContext);
  std::u32string shown;
  std::size_t lead = 0, width = 0;
  if (begin > 0) shown += U"…", lead += 1;
  for (std::size_t i = begin; i < end; ++i) {
    char32_t c = cps[i] == U'\t' ? U' ' : cps[i];
    shown += c;
    std::size_t w = char_width(c);
    if (i < from)
      lead += w;
    else if (i < to)
      width += w;
  }
  if (end < cps.size()) shown += U"…";
  if (width == 0) width = 1;
  std::string num = std::to_string(line);
  std::string pad(gutter, ' ');
  out += std::string(gutter - num.size(), ' ') + num + " | " + encode_utf8(shown) + "\n" + pad +
         " | " + std::string(lead, ' ');
  for (std::size_t i = 0; i < width; ++i) out += mark;
  out += "\n";
}

std::size_t first_non_blank(const std::string& text, std::uint32_t line) {
  std::u32string cps = decode_utf8(source_line(text, line));
  std::size_t i = 0;
  while (i < cps.size() && (cps[i] == U' ' || cps[i] == U'\t' || cps[i] == U'\u3000')) ++i;
  return i;
}

// The span's lines with marks under it: a multi-line span is marked on each of its lines (a long
// one on its first two and its last, with `…` between).
void render_snippet(std::string& out, const SourceSpan& span, const std::vector<SourceFile>& files,
                    const char* mark) {
  if (!span.known() || span.file >= files.size()) return;
  const std::string& text = files[span.file].text;
  std::size_t col = span.column == 0 ? 0 : span.column - 1;
  std::uint32_t last = span.multiline() ? span.end_line : span.line;
  std::size_t gutter = std::to_string(last).size();
  std::string pad(gutter, ' ');
  out += pad + " |\n";
  if (!span.multiline()) {
    render_line(out, text, span.line, col, col + span.length, mark, gutter);
    return;
  }
  constexpr std::size_t kNoEnd = static_cast<std::size_t>(-1);
  for (std::uint32_t l = span.line; l <= last; ++l) {
    if (last - span.line >= 4 && l == span.line + 2) {
      out += pad + " | …\n";
      l = last - 1;
      continue;
    }
    std::size_t from = l == span.line ? col : first_non_blank(text, l);
    std::size_t to = l == last ? (span.end_column > 0 ? span.end_column - 1 : kNoEnd) : kNoEnd;
    render_line(out, text, l, from, to, mark, gutter);
  }
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
    // A note in another file says which (the snippet's line numbers are that file's).
    if (span.known() && span.file < files.size() && span.file != d.span.file)
      out += "  --> " + files[span.file].path + ":" + std::to_string(span.line) + ":" +
             std::to_string(span.column) + "\n";
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
