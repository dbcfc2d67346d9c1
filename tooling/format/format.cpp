// `xy fmt`'s core: parse, print, and check the printed text before anyone sees it; the diff that
// `--check` shows.
#include <algorithm>

#include "printer.h"
#include "xiangyue/compiler/syntax.h"
#include "xiangyue/tooling/format.h"

namespace xy::tooling {

Formatted format_source(const SourceFile& file, const FormatOptions& options) {
  Formatted out;
  std::string before;
  auto tree = syntax::parse_tree(file, 0, out.diagnostics, &before);
  if (!tree) return out;
  std::string text = print(*tree, options.keywords);
  // Soundness: the output parses and has the input's shape, or nobody gets it.
  DiagnosticSink scratch;
  auto after = syntax::shape(SourceFile{file.path, text}, scratch);
  if (!after || before != *after) {
    out.diagnostics.error(
        "E0601", SourceSpan{0, 1, 1, 1},
        {"the formatter would change what this file means, so it left the file as it is "
         "(a bug in `xy fmt`: please report it with the file)",
         "格式化会改变此文件的含义，因此未作修改（这是 `xy fmt` 的缺陷，请连同文件一并报告）"});
    return out;
  }
  out.text = std::move(text);
  return out;
}

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

}  // namespace

std::string unified_diff(const std::string& path, const std::string& before,
                         const std::string& after) {
  if (before == after) return {};
  auto a = split_lines(before), b = split_lines(after);
  // Common prefix and suffix first, so the quadratic table covers only the changed middle.
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  // Edit script (' ', '-', '+') by longest common subsequence; a middle too large for the table
  // is shown as all removed, then all added.
  std::vector<std::pair<char, std::string>> ops;
  for (std::size_t i = 0; i < pre; ++i) ops.emplace_back(' ', a[i]);
  if (n * m <= 4'000'000) {
    std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        lcs[i][j] = a[pre + i] == b[pre + j] ? lcs[i + 1][j + 1] + 1
                                             : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        ops.emplace_back(' ', a[pre + i]), ++i, ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.emplace_back('-', a[pre + i]), ++i;
      } else {
        ops.emplace_back('+', b[pre + j]), ++j;
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) ops.emplace_back('-', a[pre + i]);
    for (std::size_t j = 0; j < m; ++j) ops.emplace_back('+', b[pre + j]);
  }
  for (std::size_t i = a.size() - suf; i < a.size(); ++i) ops.emplace_back(' ', a[i]);
  // Hunks: changes with three lines of context, nearby ones merged.
  std::string out = "--- " + path + "\n+++ " + path + " (formatted)\n";
  constexpr std::size_t kContext = 3;
  for (std::size_t k = 0; k < ops.size();) {
    if (ops[k].first == ' ') {
      ++k;
      continue;
    }
    std::size_t from = k > kContext ? k - kContext : 0, to = k;
    while (to < ops.size()) {
      std::size_t next = to;
      while (next < ops.size() && ops[next].first != ' ') ++next;
      std::size_t same = next;
      while (same < ops.size() && ops[same].first == ' ') ++same;
      to = next;
      if (same == ops.size() || same - next > 2 * kContext) break;
      to = same;
    }
    std::size_t end = std::min(ops.size(), to + kContext);
    std::size_t a_line = 1, b_line = 1;
    for (std::size_t q = 0; q < from; ++q) {
      if (ops[q].first != '+') ++a_line;
      if (ops[q].first != '-') ++b_line;
    }
    std::size_t a_len = 0, b_len = 0;
    for (std::size_t q = from; q < end; ++q) {
      if (ops[q].first != '+') ++a_len;
      if (ops[q].first != '-') ++b_len;
    }
    out += "@@ -" + std::to_string(a_line) + "," + std::to_string(a_len) + " +" +
           std::to_string(b_line) + "," + std::to_string(b_len) + " @@\n";
    for (std::size_t q = from; q < end; ++q) out += ops[q].first + ops[q].second + "\n";
    k = end;
  }
  return out;
}

}  // namespace xy::tooling
