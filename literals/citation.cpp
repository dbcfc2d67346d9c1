// parse_citation: legal citations such as 《村民委员会组织法》第二十四条第一款第（三）项.
#include <algorithm>
#include <string>
#include <utility>

#include "literal_support.h"

namespace xy::lit {
namespace {

using namespace detail;
using R = Result<Citation, LiteralError>;
using Error = std::optional<LiteralError>;  // nullopt: the part parsed

const auto open_paren = x3::lit("（") | x3::lit("(");
const auto close_paren = x3::lit("）") | x3::lit(")");
const auto english_article = x3::lit("article") | x3::lit("Article") | x3::lit("art.") |
                             x3::lit("Art.") | x3::lit("art") | x3::lit("Art");
const auto version_digits = +ascii_digit;
// Characters that continue a numeral, so 第十十条 is read as a (bad) article, not as a title.
const auto numeral_char = ascii_digit | x3::lit("零") | x3::lit("十") | x3::lit("百") |
                          x3::lit("千") | x3::lit("两") | cn_digit;

std::string trim_ws(std::string_view s) {
  Iter b = s.begin(), e = s.end();
  skip_ws(b, e);
  for (;;) {
    if (e != b && is_ascii_space(*(e - 1))) {
      --e;
    } else if (rest(b, e).ends_with("\u3000")) {
      e -= 3;
    } else {
      break;
    }
  }
  return std::string(b, e);
}

// Splits a trailing （…） holding a digit off the title: 立法法（2023） → 立法法 + 2023, while
// 办法（试行） stays whole.
void split_version(Citation& c) {
  std::string_view t = c.law;
  std::size_t close = t.ends_with("）") ? t.size() - 3 : t.ends_with(")") ? t.size() - 1 : 0;
  if (close == 0) return;
  std::size_t wide = t.rfind("（", close);
  std::size_t ascii = t.rfind('(', close);
  std::size_t open = wide == std::string_view::npos    ? ascii
                     : ascii == std::string_view::npos ? wide
                                                       : std::max(wide, ascii);
  if (open == std::string_view::npos || open == 0) return;
  std::size_t inner = open + (t.substr(open).starts_with("（") ? 3 : 1);
  std::string_view version = t.substr(inner, close - inner);
  if (version.find_first_of("0123456789") == std::string_view::npos) return;
  c.version = std::string(version);
  c.law = trim_ws(t.substr(0, open));
}

// True at 第 followed by something that reads as an article, paragraph or item number.
bool at_ordinal(Iter it, Iter end) {
  if (!eat(it, end, "第")) return false;
  if (match(it, end, open_paren)) return true;
  int n = 0;
  return parse_numeral_at(it, end, n) == NumeralStatus::ok &&
         (starts_with(it, end, "条") || starts_with(it, end, "款") || starts_with(it, end, "项") ||
          match(it, end, numeral_char));
}

// 第N条 [第N款] [第N项 | 第（N）项]; `it` is at 第.
Error chinese_articles(const Input& in, Iter& it, Citation& c) {
  eat(it, in.end, "第");
  int n = 0;
  NumeralStatus st = parse_numeral_at(it, in.end, n);
  if (st != NumeralStatus::ok) {
    return numeral_error(in, it, st, "an article number after `第`", "“第”后的条号");
  }
  if (!eat(it, in.end, "条")) {
    return error_at(in, it, "expected `条` after the article number", "条号后应有“条”");
  }
  c.article = n;
  for (int part = 0; part < 2 && !c.item; ++part) {
    Iter save = it;
    skip_ws(it, in.end);
    if (!eat(it, in.end, "第")) {
      it = save;
      break;
    }
    bool paren = match(it, in.end, open_paren);
    st = parse_numeral_at(it, in.end, n);
    if (st != NumeralStatus::ok) {
      return numeral_error(in, it, st, "a number after `第`", "“第”后的序号");
    }
    if (paren && !match(it, in.end, close_paren)) {
      return error_at(in, it, "expected `）` after the item number", "项号后应有“）”");
    }
    if (paren && !starts_with(it, in.end, "项")) {
      return error_at(in, it, "expected `项` after the item number", "项号后应有“项”");
    }
    if (!c.paragraph && eat(it, in.end, "款")) {
      c.paragraph = n;
    } else if (eat(it, in.end, "项")) {
      c.item = n;
    } else {
      return error_at(in, it,
                      c.paragraph ? "expected `项` after the item number"
                                  : "expected `款` or `项` after the number",
                      c.paragraph ? "项号后应有“项”" : "序号后应有“款”或“项”");
    }
  }
  return std::nullopt;
}

// art. N[(para)[(item)]]; `it` is at the article keyword.
Error english_articles(const Input& in, Iter& it, Citation& c) {
  match(it, in.end, english_article);
  skip_ws(it, in.end);
  int n = 0;
  NumeralStatus st = parse_numeral_at(it, in.end, n);
  if (st != NumeralStatus::ok) {
    return numeral_error(in, it, st, "an article number after `art.`", "“art.”后的条号");
  }
  c.article = n;
  for (std::optional<int>* slot : {&c.paragraph, &c.item}) {
    if (!match(it, in.end, open_paren)) break;
    st = parse_numeral_at(it, in.end, n);
    if (st != NumeralStatus::ok) {
      return numeral_error(in, it, st, "a number after `(`", "“(”后的数字");
    }
    if (!match(it, in.end, close_paren)) {
      return error_at(in, it, "expected `)` after the number", "数字后应有“)”");
    }
    *slot = n;
  }
  return std::nullopt;
}

// Reads a parenthesised version such as （2023年修正） at `it`.
Error paren_version(const Input& in, Iter& it, Citation& c) {
  Iter open = it;
  match(it, in.end, open_paren);
  Iter inner = it;
  while (it != in.end && !starts_with(it, in.end, "）") && *it != ')') it += utf8_len(it, in.end);
  if (it == in.end) return error_at(in, open, "unbalanced parenthesis", "括号不成对");
  std::string version = trim_ws(std::string_view(&*inner, std::size_t(it - inner)));
  if (version.empty()) return error_at(in, open, "empty version", "版本为空");
  if (c.version) return error_at(in, open, "the version is given twice", "版本重复");
  c.version = std::move(version);
  match(it, in.end, close_paren);
  return std::nullopt;
}

// 《title》 with nesting allowed; `it` is at 《.
Error bracketed_title(const Input& in, Iter& it, Citation& c) {
  Iter open = it;
  eat(it, in.end, "《");
  Iter inner = it;
  int depth = 1;
  while (it != in.end) {
    if (eat(it, in.end, "《")) {
      ++depth;
    } else if (starts_with(it, in.end, "》") && --depth == 0) {
      break;
    } else {
      it += utf8_len(it, in.end);
    }
  }
  if (it == in.end) return error_at(in, open, "unbalanced `《`", "书名号《》不成对");
  c.law = trim_ws(std::string_view(&*inner, std::size_t(it - inner)));
  eat(it, in.end, "》");
  if (c.law.empty()) return error_at(in, open, "empty title", "法规名称为空");
  return std::nullopt;
}

R parse_citation_impl(std::string_view text) {
  Input in(text);
  if (in.empty()) return fail<Citation>(in.empty_offset(), "empty citation", "引文为空");
  Citation c;
  c.cite = std::string(in.begin, in.end);
  std::string_view body = rest(in.begin, in.end);
  std::size_t open = body.find("《");
  std::size_t close = body.find("》");
  if (close != std::string_view::npos && (open == std::string_view::npos || close < open)) {
    return fail<Citation>(in, in.begin + std::ptrdiff_t(close), "unbalanced `》`",
                          "书名号《》不成对");
  }
  Iter it = in.begin;
  if (open != std::string_view::npos) {
    c.issuer = trim_ws(body.substr(0, open));
    it += std::ptrdiff_t(open);
    if (Error e = bracketed_title(in, it, c)) return fail<Citation>(std::move(*e));
  } else {
    while (it != in.end && !at_ws(it, in.end) && !at_ordinal(it, in.end)) {
      it += utf8_len(it, in.end);
    }
    if (it == in.begin) {
      return fail<Citation>(in, it, "expected a title before the article", "条文前应有法规名称");
    }
    c.law = std::string(in.begin, it);
  }
  split_version(c);
  skip_ws(it, in.end);
  if (looking_at(it, in.end, open_paren)) {
    if (Error e = paren_version(in, it, c)) return fail<Citation>(std::move(*e));
  } else if (Iter v = it; match(v, in.end, version_digits) && (v == in.end || at_ws(v, in.end))) {
    if (c.version) return fail<Citation>(in, it, "the version is given twice", "版本重复");
    c.version = std::string(it, v);
    it = v;
  }
  skip_ws(it, in.end);
  if (starts_with(it, in.end, "第")) {
    if (Error e = chinese_articles(in, it, c)) return fail<Citation>(std::move(*e));
  } else if (looking_at(it, in.end, english_article)) {
    if (Error e = english_articles(in, it, c)) return fail<Citation>(std::move(*e));
  } else if (starts_with(it, in.end, "》")) {
    return fail<Citation>(in, it, "unbalanced `》`", "书名号《》不成对");
  } else if (it != in.end) {
    return fail<Citation>(in, it, "expected `第…条` or `art.` after the title",
                          "法规名称后应为“第…条”或“art.”");
  }
  skip_ws(it, in.end);
  if (it != in.end) {
    return fail<Citation>(in, it, "unexpected text after the citation", "引文后有多余内容");
  }
  return c;
}

}  // namespace

Result<Citation, LiteralError> parse_citation(std::string_view text) {
  return detail::guarded<Citation>([&] { return parse_citation_impl(text); });
}

}  // namespace xy::lit
