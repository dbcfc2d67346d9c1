// Finds a rule's lines in its policy source, for the text and HTML views of a recorded decision.
#include "xiangyue/audit/rule_source.h"

#include <algorithm>

namespace xy::audit {
namespace {

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool starts_with_word(std::string_view line, std::string_view word) {
  if (!line.starts_with(word)) return false;
  return line.size() == word.size() || line[word.size()] == ' ' || line[word.size()] == '\t';
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

const SourceFile* find_source(const std::vector<SourceFile>& sources, const std::string& file) {
  if (file.empty()) return nullptr;
  for (const auto& s : sources)
    if (s.path == file) return &s;
  auto ends_with_path = [](const std::string& a, const std::string& b) {
    return a.size() > b.size() && a.ends_with(b) && a[a.size() - b.size() - 1] == '/';
  };
  for (const auto& s : sources)
    if (ends_with_path(s.path, file) || ends_with_path(file, s.path)) return &s;
  return nullptr;
}

std::optional<RuleExtent> rule_extent(const SourceFile& src, std::size_t line,
                                      std::size_t end_line) {
  RuleExtent e;
  e.lines = split_lines(src.text);
  if (line == 0 || line > e.lines.size()) return std::nullopt;
  e.first = e.last = line - 1;
  if (end_line >= line && end_line <= e.lines.size()) {
    constexpr std::size_t kShown = 40;
    e.last = std::min(end_line - 1, e.first + kShown - 1);
    e.cut = e.last + 1 < end_line;
  } else {
    constexpr std::size_t kLimit = 12;
    while (e.last + 1 < e.lines.size() && e.last + 1 - e.first < kLimit) {
      std::string_view t = trim_left(e.lines[e.last + 1]);
      if (t.empty() || t.front() == '}' || starts_with_word(t, "rule") || t.starts_with("规则"))
        break;
      ++e.last;
    }
    e.cut = e.last + 1 - e.first == kLimit && e.last + 1 < e.lines.size() &&
            !trim_left(e.lines[e.last + 1]).empty();
  }
  e.context_from = e.first;  // up to three comment lines right above the rule
  while (e.context_from > 0 && e.first - e.context_from < 3 &&
         trim_left(e.lines[e.context_from - 1]).starts_with("#"))
    --e.context_from;
  return e;
}

}  // namespace xy::audit
