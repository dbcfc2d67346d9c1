// Acknowledgements written in the policy text: a comment `# lint: allow W0704: reason` (or
// `# 检查：允许 W0704：理由`) inside a rule or declaration, or in the comments right above it,
// marks its findings of those codes as intended. A reason is required.
#include <cctype>
#include <set>

#include "lint_context.h"
#include "xiangyue/compiler/syntax.h"

namespace xy::analysis {

namespace {

struct Ack {
  std::uint32_t file = 0, line = 0, column = 0;
  std::set<std::string> codes;
  std::string reason;
};

std::string trim(std::string s) {
  auto is_space = [](const std::string& t, std::size_t at) {
    if (t.compare(at, 3, "　") == 0) return std::size_t{3};  // full-width space
    return t[at] == ' ' || t[at] == '\t' ? std::size_t{1} : std::size_t{0};
  };
  std::size_t n;
  while (!s.empty() && (n = is_space(s, 0))) s.erase(0, n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  while (s.size() >= 3 && s.compare(s.size() - 3, 3, "　") == 0) s.erase(s.size() - 3);
  return s;
}

// Strips `word` followed by `:` or `：` from the front of `s`.
bool take(std::string& s, std::initializer_list<const char*> words, bool colon) {
  for (const char* w : words) {
    std::string word = w;
    if (s.compare(0, word.size(), word) != 0) continue;
    std::string rest = trim(s.substr(word.size()));
    if (colon) {
      if (rest.starts_with(":"))
        rest = rest.substr(1);
      else if (rest.starts_with("："))
        rest = rest.substr(3);
      else
        continue;
    }
    s = trim(rest);
    return true;
  }
  return false;
}

}  // namespace

void acknowledge(LintContext& cx) {
  std::vector<Ack> acks;
  std::vector<std::set<std::uint32_t>> code_lines(
      cx.files.size());  // lines with more than comments
  for (std::uint32_t f = 0; f < cx.files.size(); ++f) {
    for (const auto& t : syntax::lex(cx.files[f].text)) {
      if (t.kind != syntax::TokenKind::Comment) {
        if (t.end > t.begin) code_lines[f].insert(t.line);
        continue;
      }
      std::string text = cx.files[f].text.substr(t.begin, t.end - t.begin);
      text = trim(text.substr(text.starts_with("#") ? 1 : 2));
      bool english = text.starts_with("lint");
      if (!take(text, {"lint", "检查"}, true)) continue;
      if (!take(text, {"allow", "允许"}, false)) continue;
      // Chinese prose may begin with the words (`# 检查：允许下派的事项…`): written in Chinese,
      // an acknowledgement is one only when it names a code.
      if (!english && !(text.size() >= 5 && (text[0] == 'W' || text[0] == 'I') &&
                        std::isdigit(static_cast<unsigned char>(text[1]))))
        continue;
      Ack ack{f, t.line, t.column, {}, {}};
      while (text.size() >= 5 && (text[0] == 'W' || text[0] == 'I')) {
        ack.codes.insert(text.substr(0, 5));
        text = trim(text.substr(5));
        if (text.starts_with(","))
          text = trim(text.substr(1));
        else if (text.starts_with("，"))
          text = trim(text.substr(3));
      }
      if (text.starts_with(":"))
        text = trim(text.substr(1));
      else if (text.starts_with("："))
        text = trim(text.substr(3));
      ack.reason = text;
      if (ack.codes.empty() || ack.reason.empty()) {
        SourceSpan at{f, t.line, t.column, 1};
        cx.add(Severity::warning, "W0700", at,
               {"an acknowledgement names the codes it allows and gives a reason: "
                "`# lint: allow W0707: why`",
                "确认须写明所允许的代码和理由：「# 检查：允许 W0707：理由」"});
        continue;
      }
      acks.push_back(std::move(ack));
    }
  }
  for (auto& finding : cx.report.findings) {
    const SourceSpan& at = finding.diagnostic.span;
    std::uint32_t first = at.line, last = at.line;
    for (const auto& body : cx.p.rules)  // a rule's finding: the whole rule
      if (body.decl && body.decl->id.span.file == at.file && body.decl->id.span.line == at.line &&
          body.decl->id.span.column == at.column) {
        first = body.decl->extent.line;
        last = std::max(body.decl->extent.end_line, first);
      }
    // The comments right above it count as its own.
    while (first > 1 && at.file < code_lines.size() && !code_lines[at.file].count(first - 1)) {
      bool comment = false;
      for (const auto& a : acks) comment = comment || (a.file == at.file && a.line == first - 1);
      // a blank line or a plain comment line above also belongs to the block only if a comment
      if (!comment && first - 1 >= 1) {
        const std::string& text = cx.files[at.file].text;
        std::size_t line = 1, pos = 0;
        while (line < first - 1 && pos < text.size()) {
          if (text[pos] == '\n') ++line;
          ++pos;
        }
        std::size_t end = text.find('\n', pos);
        std::string above = trim(text.substr(pos, end == std::string::npos ? end : end - pos));
        comment = above.starts_with("#") || above.starts_with("//");
      }
      if (!comment) break;
      --first;
    }
    for (const auto& a : acks)
      if (a.file == at.file && a.line >= first && a.line <= last &&
          a.codes.count(finding.diagnostic.code)) {
        finding.acknowledged = a.reason;
        break;
      }
  }
}

}  // namespace xy::analysis
