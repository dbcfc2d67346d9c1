// compile_filter: parses the reviewers' filter language (filter_grammar.h), checks fields,
// operators and values, and translates it to a parameterised SQL condition; error rendering.
#include "xiangyue/audit/filter.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>

#include "filter_grammar.h"
#include "xiangyue/literals/literals.h"

namespace xy::audit {
namespace {

using detail::Iter;
using detail::Node;
using detail::Token;
namespace x3 = boost::spirit::x3;

struct Failure {  // thrown inside this file only; compile_filter returns it
  FilterError error;
};

[[noreturn]] void fail(std::size_t offset, std::size_t length, Localized message,
                       std::optional<Localized> help = std::nullopt) {
  throw Failure{FilterError{offset, std::max<std::size_t>(length, 1), std::move(message),
                            std::move(help)}};
}
std::string bt(std::string_view s) {
  return "`" + std::string(s) + "`";
}
std::string cq(std::string_view s) {
  return "“" + std::string(s) + "”";
}

// ---- Syntax errors: X3 expectation failures, by the name of the rule that was expected.

std::size_t skip_ws(std::string_view text, std::size_t at) {
  Iter it = text.begin() + std::ptrdiff_t(std::min(at, text.size()));
  x3::parse(it, text.end(), *detail::skipper);
  return std::size_t(it - text.begin());
}

// Length of the token at `at`: a word, a run of operator characters, or one character.
std::size_t token_length(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  Iter start = text.begin() + std::ptrdiff_t(at), it = start;
  if (x3::parse(it, text.end(), x3::lexeme[+detail::word_char] | +x3::char_("=!<>^")))
    return std::size_t(it - start);
  auto c = static_cast<unsigned char>(text[at]);
  return std::min<std::size_t>(c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, text.size() - at);
}

[[noreturn]] void syntax_error(std::string_view text, const detail::ParseState& st, Iter where,
                               const std::string& which) {
  std::size_t at = skip_ws(text, std::size_t(where - text.begin()));
  std::size_t len = token_length(text, at);
  bool at_end = at >= text.size();
  std::string tok(text.substr(at, std::min<std::size_t>(len, 60)));
  std::string found_en = at_end ? "the end of the filter" : bt(tok);
  std::string found_zh = at_end ? "筛选条件的末尾" : cq(tok);
  std::size_t opened = st.unclosed >= 0 ? std::size_t(st.unclosed) : at;
  if (which == "group-close" || which == "list-close") {
    if (at_end)
      fail(opened, 1, {"unbalanced parentheses: this `(` is never closed", "括号不配对：此“(”没有闭合"},
           Localized{"add `)` where the group ends", "在分组结束处补上“)”"});
    if (which == "list-close")
      fail(at, len, {"expected `,` or `)` in the list, found " + found_en,
                     "列表中此处应为“,”或“)”，却是" + found_zh});
    fail(at, len, {"expected `)`, `and` or `or`, found " + found_en,
                   "此处应为“)”“且”或“或”，却是" + found_zh});
  }
  if (which == "string-end")
    fail(opened, text.size() - opened,
         {"unterminated string: the closing quote is missing", "字符串没有结束：缺少右引号"});
  if (which == "end") {
    if (tok == ")" || tok == "）")
      fail(at, len, {"unbalanced parentheses: this `)` has no matching `(`",
                     "括号不配对：此“)”没有对应的“(”"});
    fail(at, len, {"unexpected " + found_en + " after a complete condition",
                   "完整的条件之后多出" + found_zh},
         Localized{"join conditions with `and` or `or`", "多个条件用“且”或“或”连接"});
  }
  if (which == "value") {
    Iter it = text.begin() + std::ptrdiff_t(at);
    bool keyword = !at_end && x3::parse(it, text.end(), detail::keyword);
    fail(at, len, {"missing value, found " + found_en, "缺少值，此处是" + found_zh},
         keyword ? std::optional<Localized>(Localized{"to use " + bt(tok) + " as a value, quote it",
                                                      "要把" + cq(tok) + "当作值，请加引号"})
                 : std::nullopt);
  }
  if (which == "operator")
    fail(at, len, {"expected an operator after the field, found " + found_en,
                   "字段之后应为运算符，却是" + found_zh},
         Localized{"operators: = != < <= > >= ^= in", "运算符：= != < <= > >= ^= in"});
  if (which == "list")
    fail(at, len, {"expected `(` after `in`, found " + found_en, "“in”之后应为“(”，却是" + found_zh},
         Localized{"write a list as `outcome in (deny, 不能)`", "列表写作 `结论 in (不能, 不宜)`"});
  if (which == "too-deep")
    fail(at, len, {"parentheses and `not` nest more than 64 levels deep",
                   "括号与“非”嵌套超过 64 层"});
  fail(at, len, {"expected a condition, found " + found_en, "此处应为条件，却是" + found_zh},
       Localized{"a condition looks like `outcome = deny`", "条件形如 `结论 = 不能`"});
}

Node parse(std::string_view text) {
  detail::ParseState st{text.begin()};
  Node root;
  Iter it = text.begin();
  try {
    x3::phrase_parse(it, text.end(), x3::with<detail::state_tag>(st)[detail::top],
                     detail::skipper, root);
  } catch (const x3::expectation_failure<Iter>& x) {
    syntax_error(text, st, x.where(), x.which());
  }
  return root;
}

// ---- Fields, operators and values

enum Op : unsigned { kEq = 1, kNe = 2, kLt = 4, kLe = 8, kGt = 16, kGe = 32, kPrefix = 64, kIn = 128 };
constexpr unsigned kEquality = kEq | kNe | kIn;
constexpr unsigned kOrdered = kEquality | kLt | kLe | kGt | kGe;
constexpr std::pair<const char*, Op> kOps[] = {{"=", kEq},  {"!=", kNe}, {"<", kLt},
                                               {"<=", kLe}, {">", kGt},  {">=", kGe},
                                               {"^=", kPrefix}, {"in", kIn}};
const char* sql_op(unsigned op) {
  return op == kNe ? "<>" : op == kLt ? "<" : op == kLe ? "<=" : op == kGt ? ">" : op == kGe ? ">=" : "=";
}

enum class Type { id, time, date, text, outcome, rule, bundle };
struct Field {
  const char* en;
  const char* zh;
  Type type;
  const char* column;  // for rule and overridden: the role in decision_rules
  unsigned ops;
};
constexpr Field kFields[] = {
    {"id", "编号", Type::id, "d.seq", kOrdered},
    {"time", "时间", Type::time, "d.recorded_at", kOrdered},
    {"as_of", "基准日", Type::date, "d.as_of", kOrdered},
    {"action", "行为", Type::text, "d.action", kEquality},
    {"policy", "政策", Type::text, "d.policy", kEquality},
    {"outcome", "结论", Type::outcome, "d.outcome", kEquality},
    {"rule", "规则", Type::rule, "reason", kEquality},
    {"overridden", "例外", Type::rule, "overridden", kEquality},
    {"bundle", "策略包", Type::bundle, "d.bundle", kEquality | kPrefix},
};
// Outcomes as written → as stored.
constexpr std::pair<const char*, const char*> kOutcomes[] = {
    {"permit", "permit"},   {"准许", "permit"},       {"允许", "permit"},
    {"deny", "deny"},       {"不准许", "deny"},       {"禁止", "deny"},
    {"not_permitted", "not_permitted"},               {"不予许可", "not_permitted"},
    {"indeterminate", "indeterminate"},               {"无法判定", "indeterminate"},
    {"不能", "不能"},       {"reject", "不能"},       {"不宜", "不宜"},
    {"refer", "不宜"},      {"通过", "通过"},         {"pass", "通过"}};

Localized did_you_mean(const std::string& near) {
  return {"did you mean " + bt(near) + "?", "是否想写" + cq(near) + "？"};
}

const Field& find_field(const Token& t) {
  std::vector<std::string> names;
  for (const Field& f : kFields) {
    if (t.text == f.en || t.text == f.zh) return f;
    names.insert(names.end(), {f.en, f.zh});
  }
  std::string near = closest_name(t.text, names);
  fail(t.offset, t.length, {"unknown field " + bt(t.text), "未知字段" + cq(t.text)},
       near.empty() ? Localized{"fields: id, time, as_of, action, policy, outcome, rule, "
                                "overridden, bundle",
                                "字段：编号、时间、基准日、行为、政策、结论、规则、例外、策略包"}
                    : did_you_mean(near));
}

unsigned find_op(const Token& field, const Field& f, const Token& op) {
  unsigned found = 0, allowed = f.ops;
  std::string list;
  for (const auto& [sym, bit] : kOps) {
    if (op.text == sym || (bit == kIn && op.text == "IN")) found = bit;
    if (allowed & bit) list += (list.empty() ? "" : " ") + std::string(sym);
  }
  if (!(found & allowed))
    fail(op.offset, op.length,
         {bt(op.text) + " cannot be used with " + bt(field.text), cq(field.text) + "不能使用运算符" + cq(op.text)},
         Localized{bt(field.text) + " takes " + list, cq(field.text) + "可用的运算符：" + list});
  return found;
}

std::string id_value(const Token& v) {
  std::int64_t n = -1;
  const char* end = v.text.data() + v.text.size();
  auto [p, ec] = std::from_chars(v.text.data(), end, n);
  if (v.text.empty() || ec != std::errc() || p != end || n < 0)
    fail(v.offset, v.length, {bt(v.text) + " is not an id: ids are whole numbers",
                              cq(v.text) + "不是编号：编号应为非负整数"});
  return std::to_string(n);
}

Date date_of(const Token& v, std::string_view part, const char* what_en, const char* what_zh) {
  auto d = lit::parse_date(part);
  if (!d)
    fail(v.offset, v.length,
         {std::string("invalid ") + what_en + " " + bt(v.text) + ": " + d.error().en,
          std::string(what_zh) + cq(v.text) + "无效：" + d.error().zh},
         Localized{"write dates as 2024-01-01 or 2024年1月1日, times as 2024-01-01T08:30 (UTC)",
                   "日期写作 2024-01-01 或 2024年1月1日，时间写作 2024-01-01T08:30（UTC）"});
  return *d;
}

// A time value stands for the span it names (a day, a minute, a second…): [start, next) as text
// comparable with recorded_at (2026-11-26T07:31:45.123Z).
struct Span {
  std::string start, next;
};
std::string stamp(Date d, std::int64_t ms, int digits) {  // digits: -2 day, -1 minute, 0 second
  if (d.year() > 9999) return "9999-12-31~";             // sorts after every stored time
  std::string s = d.to_string();
  if (digits == -2) return s;
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03d", int(ms / 3600000), int(ms / 60000 % 60),
                int(ms / 1000 % 60), int(ms % 1000));
  return s + std::string(buf, std::size_t(digits == -1 ? 6 : digits == 0 ? 9 : 10 + digits));
}
Span time_value(const Token& v) {
  std::size_t t = v.text.find_first_of("T ");
  Date day = date_of(v, std::string_view(v.text).substr(0, t), "time", "时间");
  if (t == std::string::npos) return {stamp(day, 0, -2), stamp(Date{day.days + 1}, 0, -2)};
  std::string_view clock = std::string_view(v.text).substr(t + 1);
  if (clock.ends_with('Z')) clock.remove_suffix(1);
  int part[3] = {0, 0, -1};
  std::string frac;
  auto set = [&part](int i) { return [&part, i](auto& ctx) { part[i] = x3::_attr(ctx); }; };
  auto set_frac = [&frac](auto& ctx) { frac.assign(x3::_attr(ctx).begin(), x3::_attr(ctx).end()); };
  const auto d2 = x3::uint_parser<int, 10, 2, 2>{};
  Iter it = clock.begin();
  bool ok = x3::parse(it, clock.end(),
                      d2[set(0)] >> ':' >> d2[set(1)] >>
                          -(':' >> d2[set(2)] >>
                            -('.' >> x3::raw[x3::repeat(1, 3)[x3::char_('0', '9')]][set_frac])) >>
                          x3::eoi);
  if (!ok || part[0] > 23 || part[1] > 59 || part[2] > 59)
    fail(v.offset, v.length,
         {"invalid time " + bt(v.text) + ": expected hh:mm, hh:mm:ss or hh:mm:ss.sss after the date",
          "时间" + cq(v.text) + "无效：日期之后应为 时:分、时:分:秒 或 时:分:秒.毫秒"},
         Localized{"times are UTC, e.g. 2024-01-01T08:30:00Z", "时间为 UTC，例如 2024-01-01T08:30:00Z"});
  int digits = part[2] < 0 ? -1 : int(frac.size());
  std::int64_t unit = digits == -1 ? 60000 : digits == 0 ? 1000 : digits == 1 ? 100 : digits == 2 ? 10 : 1;
  frac.resize(3, '0');
  std::int64_t ms = (part[0] * 3600 + part[1] * 60 + std::max(part[2], 0)) * 1000LL + std::stoi(frac);
  std::int64_t next = ms + unit;
  Date next_day = next >= 86400000 ? Date{day.days + 1} : day;
  return {stamp(day, ms, digits), stamp(next_day, next % 86400000, digits)};
}

std::string outcome_value(const Token& v) {
  std::string w = v.text;
  std::transform(w.begin(), w.end(), w.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
  std::vector<std::string> names;
  for (const auto& [word, stored] : kOutcomes) {
    if (w == word) return stored;
    names.emplace_back(word);
  }
  std::string near = closest_name(w, names);
  fail(v.offset, v.length, {"unknown outcome " + bt(v.text), "未知结论" + cq(v.text)},
       near.empty() ? Localized{"outcomes: permit, deny, not_permitted, indeterminate, 不能 (reject), "
                                "不宜 (refer), 通过 (pass)",
                                "结论：准许、不准许、不予许可、无法判定、不能、不宜、通过"}
                    : did_you_mean(near));
}

std::string bundle_value(const Token& v, bool prefix) {
  std::string h = v.text;
  bool hex = !h.empty() && h.size() <= 64;
  for (char& c : h) {
    if (c >= 'A' && c <= 'F') c = char(c + 32);
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!hex)
    fail(v.offset, v.length, {bt(v.text) + " is not a bundle hash: expected hex digits",
                              cq(v.text) + "不是策略包哈希：应为十六进制数字"});
  if (!prefix && h.size() != 64)
    fail(v.offset, v.length,
         {"a bundle hash has 64 hex digits, " + bt(v.text) + " has " + std::to_string(h.size()),
          "策略包哈希应有 64 位十六进制数字，" + cq(v.text) + "只有 " + std::to_string(h.size()) + " 位"},
         Localized{"to match a prefix, write `bundle ^= " + v.text + "`",
                   "按前缀匹配请写 `策略包 ^= " + v.text + "`"});
  return h;
}

// ---- Translation. Every value becomes a `?` bound, in order, to `params`.

class Translator {
 public:
  explicit Translator(std::vector<std::string>& params) : params_(params) {}

  std::string node(const Node& n) {
    if (n.kind == Node::Kind::compare) return compare(n);
    if (n.kind == Node::Kind::negate) return "NOT (" + node(n.kids[0]) + ")";
    std::string sql = "(";
    for (std::size_t i = 0; i < n.kids.size(); ++i) {
      if (i > 0) sql += n.kind == Node::Kind::all_of ? " AND " : " OR ";
      sql += node(n.kids[i]);
    }
    return sql + ")";
  }

 private:
  std::string bind(std::string value) {
    params_.push_back(std::move(value));
    return "?";
  }

  std::string value(const Field& f, const Token& v, unsigned op) {
    switch (f.type) {
      case Type::id: return id_value(v);
      case Type::date: return date_of(v, v.text, "date", "日期").to_string();
      case Type::outcome: return outcome_value(v);
      case Type::bundle: return bundle_value(v, op == kPrefix);
      default: return v.text;
    }
  }

  std::string list(const Field& f, const std::vector<Token>& values) {
    std::string sql = "(";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += bind(value(f, values[i], kIn));
    }
    return sql + ")";
  }

  std::string time(unsigned op, const Token& v) {
    Span s = time_value(v);
    if (op == kEq || op == kNe) {
      std::string sql = op == kEq ? "(d.recorded_at >= " : "(d.recorded_at < ";
      sql += bind(std::move(s.start));
      sql += op == kEq ? " AND d.recorded_at < " : " OR d.recorded_at >= ";
      return sql + bind(std::move(s.next)) + ")";
    }
    // `<= day` takes in the whole day; `>`, `>=` and `<` compare with the start of the span.
    return std::string("d.recorded_at ") + (op == kLe ? "<" : sql_op(op)) + " " +
           bind(op == kLe ? std::move(s.next) : std::move(s.start));
  }

  std::string compare(const Node& n) {
    const Field& f = find_field(n.field);
    unsigned op = find_op(n.field, f, n.operation.op);
    const auto& values = n.operation.values;
    if (f.type == Type::rule) {
      std::string sql = op == kNe ? "NOT EXISTS" : "EXISTS";
      sql += " (SELECT 1 FROM decision_rules r WHERE r.seq = d.seq AND r.role = '";
      sql += std::string(f.column) + "' AND r.rule ";
      sql += op == kIn ? "IN " + list(f, values) : "= " + bind(values[0].text);
      return sql + ")";
    }
    if (f.type == Type::time && op == kIn) {
      std::string sql = "(";
      for (std::size_t i = 0; i < values.size(); ++i) sql += (i ? " OR " : "") + time(kEq, values[i]);
      return sql + ")";
    }
    if (f.type == Type::time) return time(op, values[0]);
    if (op == kPrefix) {
      std::string h = bundle_value(values[0], true);
      bind(h);
      bind(h);
      return "substr(d.bundle, 1, length(?)) = ?";
    }
    if (op == kIn) return std::string(f.column) + " IN " + list(f, values);
    return std::string(f.column) + " " + sql_op(op) + " " + bind(value(f, values[0], op));
  }

  std::vector<std::string>& params_;
};

}  // namespace

Result<SqlFilter, FilterError> compile_filter(std::string_view text) {
  using R = Result<SqlFilter, FilterError>;
  try {
    try {
      Iter it = text.begin();
      if (x3::parse(it, text.end(), *detail::skipper >> x3::eoi)) return SqlFilter{"1", {}};
      Node root = parse(text);
      SqlFilter out;
      out.where = Translator(out.params).node(root);
      return out;
    } catch (const Failure& f) {
      return R::failure(f.error);
    } catch (...) {
      return R::failure(FilterError{0, std::max<std::size_t>(text.size(), 1),
                                    {"internal error while reading the filter",
                                     "读取筛选条件时出现内部错误"},
                                    std::nullopt});
    }
  } catch (...) {
    return R::failure(FilterError{});
  }
}

std::string render_filter_error(std::string_view text, const FilterError& e, Lang lang) {
  try {
    bool zh = lang == Lang::zh;
    std::string out = (zh ? "错误：" : "error: ") + e.message.in(lang) + "\n";
    // The line that holds the offset, with the span underlined (wide characters take 2 columns).
    std::size_t at = std::min(e.offset, text.size());
    std::size_t begin = at == 0 ? 0 : text.rfind('\n', at - 1);
    begin = begin == std::string_view::npos || at == 0 ? 0 : begin + 1;
    std::size_t end = std::min(text.find('\n', at), text.size());
    if (end > begin && end > at && text[end - 1] == '\r') --end;
    std::u32string shown;
    std::size_t lead = 0, width = 0;
    for (char32_t c : decode_utf8(std::string(text.substr(begin, at - begin)))) {
      shown += c < 0x20 || c == 0x7F ? U' ' : c;
      lead += char_width(shown.back());
    }
    std::size_t span_end = std::min(end, at + e.length);
    for (char32_t c : decode_utf8(std::string(text.substr(at, span_end - at)))) {
      shown += c < 0x20 || c == 0x7F ? U' ' : c;
      width += char_width(shown.back());
    }
    for (char32_t c : decode_utf8(std::string(text.substr(span_end, end - span_end))))
      shown += c < 0x20 || c == 0x7F ? U' ' : c;
    out += "  " + encode_utf8(shown) + "\n  " + std::string(lead, ' ') +
           std::string(std::max<std::size_t>(width, 1), '^') + "\n";
    if (e.help) out += (zh ? "  = 帮助：" : "  = help: ") + e.help->in(lang) + "\n";
    return out;
  } catch (...) {
    return {};
  }
}

}  // namespace xy::audit
