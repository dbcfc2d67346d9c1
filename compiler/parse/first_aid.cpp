// First aid for syntax errors: glued keywords, near-miss words, unclosed braces, full-width signs.
#include "first_aid.h"

#include <algorithm>
#include <string>

namespace xy::parse {
namespace {

using syntax::Keyword;
using syntax::TokenKind;
using K = Keyword;

// How many code tokens before the offending one a near-miss word may stand: `rule R2 except R1
// forbid` fails at `forbid`, two names after `except`.
constexpr std::uint32_t kLookBack = 3;

// How many code tokens after a reported error another error on its line is taken to follow from
// it: the parser drops or invents a token to recover, and often stumbles again right after.
constexpr std::uint32_t kCascade = 3;

// Where a word counts as a slip: anywhere, or only right after `effective` or a date.
enum class After : std::uint8_t { anything, effective, date };

// Words authors write for a keyword. `@` stands for the keyword as the file spells it.
struct Slip {
  std::string_view word;
  Keyword instead;
  After after;
  const char* en;
  const char* zh;
};
constexpr Slip kSlips[] = {
    {"reason", K::Because, After::anything, "write @ for a rule's reason", "规则的理由用@"},
    {"原因", K::Because, After::anything, "write @ for a rule's reason", "规则的理由用@"},
    {"citation", K::Basis, After::anything, "write @ for a rule's legal basis",
     "规则的法律依据用@"},
    {"cite", K::Basis, After::anything, "write @ for a rule's legal basis", "规则的法律依据用@"},
    {"依照", K::Basis, After::anything, "write @ for a rule's legal basis", "规则的法律依据用@"},
    {"根据", K::Basis, After::anything, "write @ for a rule's legal basis", "规则的法律依据用@"},
    {"if", K::When, After::anything, "write @ for a rule's condition", "规则的条件用@"},
    {"except", K::ExceptionTo, After::anything, "write @ for an exception to another rule",
     "例外规则用@"},
    {"from", K::Effective, After::effective, "write the date right after @, without `from`",
     "@之后直接写日期，不写「from」"},
    {"until", K::To, After::date, "write @ between the two dates of an effective period",
     "生效期间的两个日期之间用@"},
    {"到", K::To, After::date, "write @ between the two dates of an effective period",
     "生效期间的两个日期之间用@"},
    {"至少", K::GeWord, After::anything, "write @ for “at least”", "“至少”应写作@"},
    {"高于", K::GtWord, After::anything, "write @ for “more than”", "“高于”应写作@"},
    {"低于", K::LtWord, After::anything, "write @ for “less than”", "“低于”应写作@"},
};

// Full-width operators and brackets typed with a Chinese input method, and their ASCII forms.
std::string_view halfwidth(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> kPairs[] = {
      {"＞", ">"},  {"＜", "<"},  {"＝", "="}, {"（", "("}, {"）", ")"}, {"［", "["}, {"］", "]"},
      {"｛", "{"},  {"｝", "}"},  {"＋", "+"}, {"－", "-"}, {"＊", "*"}, {"／", "/"}, {"．", "."},
      {"《", "\""}, {"》", "\""}, {"≧", ">="}, {"≦", "<="}, {"！", "!"}};
  for (const auto& [wide, ascii] : kPairs)
    if (text == wide) return ascii;
  return {};
}

// A keyword that may stand glued before a name. Declaration words (`类型`, `记录`) are names too,
// and 真/假 begin ordinary words (真实, 假期): a name starting with them is no slip.
bool glues_before(Keyword k) {
  bool declaration = k >= K::Schema && k <= K::Version && k != K::For;
  return k != K::None && !declaration && k != K::True && k != K::False && k != K::HasValue &&
         k != K::NoValue;
}

// A keyword that may stand glued after a name: the comparison and logic words (`桌数超过`).
bool glues_after(Keyword k) {
  return k == K::And || k == K::Or || k == K::In || k == K::NotIn ||
         (k >= K::GtWord && k <= K::NeWord);
}

std::string quoted(std::string_view s) {
  return "`" + std::string(s) + "`";
}
std::string corner(std::string_view s) {
  return "「" + std::string(s) + "」";
}

// `template` with each `@` replaced by `with`.
std::string fill(std::string_view templ, const std::string& with) {
  std::string out;
  for (char c : templ) {
    if (c == '@')
      out += with;
    else
      out += c;
  }
  return out;
}

}  // namespace

Localized FirstAid::keyword(Keyword k) const {
  const auto& s = syntax::spelling(k);
  std::string_view word = file_.keywords_zh() ? s.zh : s.en;
  return {quoted(word), corner(word)};
}

Aid FirstAid::at(std::uint32_t at) {
  if (at >= file_.tokens.size()) return {};
  if (auto aid = unclosed_brace(at)) return *aid;
  if (at + 1 == file_.tokens.size()) return {};  // end of file: the expected list says it
  if (auto ascii = halfwidth(text(at)); !ascii.empty()) {
    std::string wide(text(at));
    Aid aid;
    aid.help = Localized{"write " + quoted(ascii) + " instead of the full-width " + quoted(wide),
                         "请把全角的" + corner(wide) + "改为半角的" + corner(ascii)};
    return aid;
  }
  if (auto aid = slip(at)) return *aid;
  if (auto aid = glued(at)) return *aid;
  return {};
}

bool FirstAid::cascade(std::uint32_t previous, std::uint32_t at) const {
  if (at >= file_.tokens.size() || previous >= at) return false;
  std::optional<std::uint32_t> i = at;
  for (std::uint32_t n = 0; i && n <= kCascade; ++n, i = before(*i))
    if (*i == previous) return token(previous).line == token(at).line;
  return false;
}

std::optional<Aid> FirstAid::slip(std::uint32_t at) const {
  // The offending token, then a few names before it on its line (stopping at a keyword): a
  // near-miss word often parses as a name (`rule R1 permit if …` reads `if` as the action).
  std::optional<std::uint32_t> i = at;
  for (std::uint32_t n = 0; i && n <= kLookBack; ++n, i = before(*i)) {
    if (token(*i).line != token(at).line) break;
    if (token(*i).kind == TokenKind::Keyword && *i != at) break;
    if (token(*i).kind != TokenKind::Name) continue;
    auto prev = before(*i);
    if (prev && text(*prev) == ".") continue;  // a field may be called anything
    for (const auto& s : kSlips) {
      if (text(*i) != s.word) continue;
      if (s.after == After::effective && !(prev && token(*prev).keyword == K::Effective)) continue;
      if (s.after == After::date && !(prev && token(*prev).kind == TokenKind::Date)) continue;
      // A file may call a field `reason`; after `effective` or a date, no name fits.
      if (s.after == After::anything && declared(s.word)) continue;
      Localized kw = keyword(s.instead);
      // In an English file the Chinese help also gives the Chinese keyword.
      std::string zh_kw = kw.zh;
      const auto& sp = syntax::spelling(s.instead);
      if (!file_.keywords_zh() && sp.zh != sp.en) zh_kw += "（或" + corner(sp.zh) + "）";
      Aid aid;
      aid.span = span(*i);
      aid.message = Localized{quoted(s.word) + " is not a keyword", corner(s.word) + "不是关键字"};
      aid.help = Localized{fill(s.en, kw.en), fill(s.zh, zh_kw)};
      return aid;
    }
  }
  return std::nullopt;
}

std::optional<Aid> FirstAid::glued(std::uint32_t at) const {
  auto split_help = [](std::string_view kw, std::string_view rest, bool kw_first) {
    std::string split = kw_first ? std::string(kw) + " " + std::string(rest)
                                 : std::string(rest) + " " + std::string(kw);
    const char* side_en = kw_first ? "after" : "before";
    const char* side_zh = kw_first ? "其后" : "其前";
    return Localized{
        quoted(kw) + " is a keyword: write a space " + side_en + " it (" + quoted(split) + ")",
        corner(kw) + "是关键字，" + side_zh + "应有空格（" + corner(split) + "）"};
  };
  // A keyword glued before a name: `当事项` where `当 事项` was meant. The name is not one the
  // file declares (a field `当事人` is meant whole), and is not a field after a dot.
  auto glued_before = [&](std::uint32_t i) -> std::string_view {
    if (token(i).kind != TokenKind::Name) return {};
    auto kw = syntax::glued_keyword(text(i));
    if (kw.empty() || !glues_before(syntax::keyword_of(kw)) || declared(text(i))) return {};
    auto prev = before(i);
    if (prev && text(*prev) == ".") return {};
    // `当 当事人` already has its `当`: the name is meant whole.
    if (prev && token(*prev).keyword == syntax::keyword_of(kw)) return {};
    return kw;
  };
  if (auto kw = glued_before(at); !kw.empty()) {
    Aid aid;
    aid.help = split_help(kw, text(at).substr(kw.size()), true);
    return aid;
  }
  // The glued name parsed (as an action, a field) and the error came right after it: `规则 R1
  // 允许 当酒席.桌数` reads 当酒席 as the rule's action and fails at the dot.
  auto prev = before(at);
  if (!prev || token(*prev).line != token(at).line) return std::nullopt;
  std::string_view name = text(*prev);
  auto found = [&](const Localized& help) {
    Aid aid;
    aid.span = span(*prev);
    aid.message =
        Localized{quoted(name) + " is read as one name", corner(name) + "被读成了一个名称"};
    aid.help = help;
    return aid;
  };
  if (auto kw = glued_before(*prev); !kw.empty())
    return found(split_help(kw, name.substr(kw.size()), true));
  // A comparison or logic word glued after a name: `桌数超过 20`.
  if (token(*prev).kind == TokenKind::Name && !declared(name)) {
    auto kw = syntax::glued_keyword(name, true);
    if (!kw.empty() && glues_after(syntax::keyword_of(kw)))
      return found(split_help(kw, name.substr(0, name.size() - kw.size()), false));
  }
  return std::nullopt;
}

std::optional<Aid> FirstAid::unclosed_brace(std::uint32_t at) {
  if (!unclosed_) find_unclosed();
  bool eof = at + 1 == file_.tokens.size();
  // Besides the end of the file, only a declaration that starts a line at or left of the brace's
  // line is taken to show that the brace should have been closed before it.
  if (!eof) {
    auto k = token(at).keyword;
    bool starter = k == K::Policy || k == K::Schema || k == K::List || k == K::Rule;
    if (!starter || !first_on_line(at)) return std::nullopt;
  }
  Unclosed* best = nullptr;
  for (auto& u : *unclosed_) {
    if (u.brace >= at) continue;
    // The error must come no later than the token after the point where the brace was found
    // unclosed: a much later error has another cause.
    auto next = after(u.found);
    if (at > u.found && (!next || at > *next)) continue;
    if (!eof && token(at).column > indent(u.brace)) continue;
    if (!best || u.brace > best->brace) best = &u;
  }
  if (!best) return std::nullopt;
  Aid aid;
  if (best->reported) {
    aid.repeat = true;
    return aid;
  }
  best->reported = true;
  aid.span = span(best->brace);
  aid.message = Localized{"this `{` is never closed", "此「{」没有对应的「}」"};
  // Where the `}` is missing: before the `}` that closed an outer brace instead, or before the
  // declaration that showed it, or at the end.
  std::uint32_t close_by = std::min(best->found, at);
  if (close_by + 1 == file_.tokens.size()) {
    aid.help = Localized{"add `}` at the end of the file", "在文件末尾补上「}」"};
  } else {
    auto line = std::to_string(token(close_by).line);
    aid.help = Localized{"add `}` before line " + line, "在第 " + line + " 行之前补上「}」"};
  }
  return aid;
}

// Matches braces on the tokens (strings and comments are tokens of their own, so braces in them
// do not count). A `}` that starts a line closes the open brace whose line is indented as far as
// it; the braces opened after that one are the ones never closed.
void FirstAid::find_unclosed() {
  unclosed_.emplace();
  std::vector<std::uint32_t> open;
  auto n = static_cast<std::uint32_t>(file_.tokens.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    if (token(i).kind != TokenKind::Punct) continue;
    if (text(i) == "{") {
      open.push_back(i);
      continue;
    }
    if (text(i) != "}" || open.empty()) continue;
    if (first_on_line(i) && indent(open.back()) != token(i).column) {
      std::size_t k = open.size() - 1;
      while (k > 0 && indent(open[k - 1]) != token(i).column) --k;
      if (k > 0) {
        for (std::size_t j = k; j < open.size(); ++j) unclosed_->push_back({open[j], i});
        open.resize(k - 1);
        continue;
      }
    }
    open.pop_back();
  }
  for (auto it = open.rbegin(); it != open.rend(); ++it) unclosed_->push_back({*it, n - 1});
}

std::optional<std::uint32_t> FirstAid::before(std::uint32_t i) const {
  while (i > 0) {
    --i;
    if (token(i).kind != TokenKind::Comment) return i;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> FirstAid::after(std::uint32_t i) const {
  while (i + 1 < file_.tokens.size()) {
    ++i;
    if (token(i).kind != TokenKind::Comment) return i;
  }
  return std::nullopt;
}

bool FirstAid::first_on_line(std::uint32_t i) const {
  auto prev = before(i);
  return !prev || token(*prev).line < token(i).line;
}

std::uint32_t FirstAid::indent(std::uint32_t i) const {
  while (!first_on_line(i)) i = *before(i);
  return token(i).column;
}

// Whether the file declares `name`: a field or attribute (`name:`), a type, action, list or rule
// (`record name`), or an enum member.
bool FirstAid::declared(std::string_view name) const {
  bool enum_next = false, in_enum = false;
  std::optional<std::uint32_t> prev;
  for (std::uint32_t i = 0; i < file_.tokens.size(); ++i) {
    const auto& t = token(i);
    if (t.kind == TokenKind::Comment) continue;
    if (t.keyword == K::Enum) enum_next = true;
    if (text(i) == "{") {
      in_enum = enum_next;
      enum_next = false;
    } else if (text(i) == "}") {
      in_enum = false;
    }
    if (t.kind == TokenKind::Name && text(i) == name) {
      auto next = after(i);
      auto pk = prev ? token(*prev).keyword : K::None;
      if (in_enum || (next && (text(*next) == ":" || text(*next) == "：")) || pk == K::Enum ||
          pk == K::Entity || pk == K::Record || pk == K::Action || pk == K::List || pk == K::Rule ||
          pk == K::ExceptionTo)
        return true;
    }
    prev = i;
  }
  return false;
}

}  // namespace xy::parse
