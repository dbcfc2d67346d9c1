// The formatter's printer: tokens in source order with canonical spacing, line starts from the
// plan, the author's line breaks inside a construct kept as aligned continuation lines, comments
// where they were (own line or trailing, trailing ones aligned in runs), one blank line at most.
#include "printer.h"

#include <algorithm>

#include "plan.h"

namespace xy::tooling {
namespace {

using syntax::NodeKind;
using syntax::TokenKind;

struct Line {
  int indent = 0;
  std::string code;
  std::string comment;              // a trailing comment
  std::vector<std::size_t> cells;   // byte offsets in `code` where list item cells begin
  std::vector<std::uint8_t> which;  // the cell number of each
  bool blank = false;
};

bool no_space_before(std::string_view b) {
  for (std::string_view s : {",", "，", "、", ";", "；", ")", "]", ".", "?", ":", "："})
    if (b == s) return true;
  return false;
}

bool no_space_after(std::string_view a) {
  for (std::string_view s : {"(", "[", ".", "，", "、", "；", "："})
    if (a == s) return true;
  return false;
}

class Printer {
 public:
  Printer(const syntax::Tree& t, const Plan& p) : t_(t), p_(p) {}

  std::string run() {
    for (std::uint32_t i = 0; i < t_.tokens.size(); ++i) {
      const auto& tok = t_.tokens[i];
      if (tok.begin == tok.end) continue;  // end of file
      if (tok.kind == TokenKind::Comment)
        comment(i);
      else if (!p_.skip[i])
        code(i);
      last_end_line_ = end_line(i);
    }
    flush_comments(0);
    end_line_();
    return render();
  }

 private:
  std::uint32_t end_line(std::uint32_t i) const {
    auto text = t_.token_text(i);
    return t_.tokens[i].line +
           static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
  }

  // Blank lines in the source between the last token and token i.
  bool blank_before(std::uint32_t i) const {
    return last_end_line_ > 0 && t_.tokens[i].line > last_end_line_ + 1;
  }

  void comment(std::uint32_t i) {
    bool own_line = last_end_line_ == 0 || t_.tokens[i].line > last_end_line_;
    std::string text(t_.token_text(i));
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
      text.pop_back();
    if (own_line) {
      // A block comment with code after it on its line stays in front of that code.
      auto next = i + 1 < t_.tokens.size() ? i + 1 : i;
      bool joined =
          text.starts_with("/*") && next != i && t_.tokens[next].kind != TokenKind::Comment &&
          t_.tokens[next].begin != t_.tokens[next].end && t_.tokens[next].line == end_line(i);
      pending_.push_back({text, blank_before(i), joined});
      return;
    }
    if (text.starts_with("/*") && text.find('\n') == std::string::npos) {
      append(text, false);  // an inline block comment stays in the line
      return;
    }
    cur_.comment = text;
    break_next_ = true;
  }

  void code(std::uint32_t i) {
    const std::string& text = p_.text[i];
    int structural = p_.indent[i];
    bool blank = blank_before(i);
    if (structural >= 0) {
      // Comments before a block's `}` belong inside the block.
      flush_comments(p_.closes_block[i] ? structural + 2 : structural);
      end_line_();
      if (blank && !after_open_ && !p_.closes_block[i] && !lines_.empty()) blank_line();
      cur_.indent = structural;
      col_ = static_cast<std::size_t>(structural);
      brackets_.clear();
      cont_ = structural + 4;
      line_started_ = true;
    } else if (break_next_ || t_.tokens[i].line > last_end_line_ || !pending_.empty()) {
      int indent = brackets_.empty() ? cont_ : static_cast<int>(brackets_.back());
      flush_comments(indent);
      end_line_();
      cur_.indent = indent;
      col_ = static_cast<std::size_t>(indent);
      line_started_ = true;
    }
    break_next_ = false;
    bool after_comment = !leading_.empty();
    if (after_comment) {
      append(leading_, false);
      leading_.clear();
    }
    if (p_.cell[i]) {
      cur_.cells.push_back(cur_.code.size() + (cur_.code.empty() ? 0 : 1));
      cur_.which.push_back(p_.cell[i]);
    }
    append(text, after_comment || spaced(i));
    prev_ = i;
    if (p_.clause[i]) cont_ = static_cast<int>(col_) + 1;
    if (text == "(" || text == "[" || (text == "{" && !p_.opens_block[i]))
      brackets_.push_back(col_ + (text == "{" ? 1 : 0));
    if ((text == ")" || text == "]" || (text == "}" && !p_.closes_block[i])) && !brackets_.empty())
      brackets_.pop_back();
    after_open_ = p_.opens_block[i];
  }

  // Whether a space goes between the previous code token and token i on one line.
  bool spaced(std::uint32_t i) const {
    if (prev_ == kNone) return false;
    std::string_view a = p_.text[prev_], b = p_.text[i];
    if (no_space_before(b) || no_space_after(a)) return false;
    auto parent = [&](std::uint32_t j) { return t_.nodes[t_.parent_of[j]].kind; };
    auto kind_a = t_.tokens[prev_].kind;
    // A call or count: `周岁(d, 基准日)`, `计数(x 属于 S)`.
    if (b == "(" && parent(i) == NodeKind::Primary &&
        (kind_a == TokenKind::Name || parent(prev_) == NodeKind::SoftKeyword ||
         t_.tokens[prev_].keyword == syntax::Keyword::Count))
      return false;
    if (b == "[" && parent(i) == NodeKind::PostfixOp) return false;  // an index: `清单[m]`
    if (parent(i) == NodeKind::TypeRef && (b == "<" || b == ">")) return false;
    if (parent(prev_) == NodeKind::TypeRef && a == "<") return false;
    if (a == "-" && parent(prev_) == NodeKind::UnaryExpr) return false;
    return true;
  }

  void append(const std::string& text, bool space) {
    if (!cur_.code.empty() && space && !line_started_fresh()) {
      cur_.code += ' ';
      col_ += 1;
    }
    cur_.code += text;
    auto nl = text.rfind('\n');
    col_ =
        nl == std::string::npos ? col_ + display_width(text) : display_width(text.substr(nl + 1));
    line_started_ = false;
  }

  bool line_started_fresh() const { return line_started_ && cur_.code.empty(); }

  void flush_comments(int indent) {
    if (pending_.empty()) return;
    end_line_();
    if (pending_.back().joined) {
      leading_ = pending_.back().text;
      pending_.pop_back();
    }
    for (const auto& [text, blank, joined] : pending_) {
      if (blank && !after_open_ && !lines_.empty()) blank_line();
      Line l;
      l.indent = indent;
      l.code = text;
      lines_.push_back(std::move(l));
      after_open_ = false;
    }
    pending_.clear();
  }

  void blank_line() {
    Line l;
    l.blank = true;
    lines_.push_back(std::move(l));
  }

  void end_line_() {
    if (cur_.code.empty() && cur_.comment.empty()) return;
    lines_.push_back(std::move(cur_));
    cur_ = Line{};
  }

  // Aligns trailing comments and list item cells within runs of lines, then joins the lines.
  std::string render() {
    align_cells();
    align_comments();
    std::string out;
    for (const auto& l : lines_) {
      if (l.blank) {
        out += "\n";
        continue;
      }
      std::string line = std::string(static_cast<std::size_t>(l.indent), ' ') + l.code;
      if (!l.comment.empty()) line += l.comment;  // padded by align_comments
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    while (out.size() > 1 && out.ends_with("\n\n")) out.pop_back();
    return out == "\n" ? std::string() : out;
  }

  void align_comments() {
    for (std::size_t a = 0; a < lines_.size();) {
      if (lines_[a].comment.empty() || lines_[a].code.empty()) {
        ++a;
        continue;
      }
      auto width_of = [&](const Line& l) {
        return static_cast<std::size_t>(l.indent) + display_width(l.code);
      };
      std::size_t b = a, width = 0;
      while (b < lines_.size() && !lines_[b].comment.empty() && !lines_[b].code.empty()) {
        width = std::max(width, width_of(lines_[b]));
        ++b;
      }
      for (std::size_t k = a; k < b; ++k)
        lines_[k].comment = std::string(width - width_of(lines_[k]) + 2, ' ') + lines_[k].comment;
      a = b;
    }
  }

  void align_cells() {
    for (std::size_t a = 0; a < lines_.size();) {
      if (lines_[a].cells.empty()) {
        ++a;
        continue;
      }
      std::size_t b = a;
      while (b < lines_.size() && !lines_[b].cells.empty() && lines_[b].indent == lines_[a].indent)
        ++b;
      for (std::uint8_t cell : {1, 2}) {
        std::size_t target = 0;
        for (std::size_t k = a; k < b; ++k)
          for (std::size_t c = 0; c < lines_[k].cells.size(); ++c)
            if (lines_[k].which[c] == cell)
              target =
                  std::max(target, display_width(lines_[k].code.substr(0, lines_[k].cells[c])));
        for (std::size_t k = a; k < b; ++k)
          for (std::size_t c = 0; c < lines_[k].cells.size(); ++c) {
            if (lines_[k].which[c] != cell) continue;
            auto& l = lines_[k];
            std::size_t at = l.cells[c];
            std::size_t pad = target - display_width(l.code.substr(0, at));
            l.code.insert(at, std::string(pad, ' '));
            for (std::size_t d = c; d < l.cells.size(); ++d) l.cells[d] += pad;
          }
      }
      a = b;
    }
  }

  static constexpr std::uint32_t kNone = static_cast<std::uint32_t>(-1);
  const syntax::Tree& t_;
  const Plan& p_;
  std::vector<Line> lines_;
  Line cur_;
  struct Pending {
    std::string text;
    bool blank;   // a blank line before it
    bool joined;  // a block comment with code after it on the same line
  };
  std::vector<Pending> pending_;       // own-line comments not printed yet
  std::string leading_;                // a block comment to print before the next token
  std::vector<std::size_t> brackets_;  // columns just inside open brackets
  std::size_t col_ = 0;
  int cont_ = 4;                     // where a continuation line starts outside brackets
  std::uint32_t prev_ = kNone;       // the last code token printed
  std::uint32_t last_end_line_ = 0;  // the source line the last token ended on
  bool break_next_ = false;          // a trailing line comment ends the line
  bool after_open_ = false;          // the last line ended with a block's `{`
  bool line_started_ = false;
};

}  // namespace

std::string print(const syntax::Tree& tree, KeywordLanguage keywords) {
  Plan plan;
  spell(tree, keywords, plan);
  lay_out(tree, plan);
  // A byte order mark (Windows editors write one) stays.
  std::string bom = tree.text.starts_with("\xEF\xBB\xBF") ? "\xEF\xBB\xBF" : "";
  return bom + Printer(tree, plan).run();
}

}  // namespace xy::tooling
