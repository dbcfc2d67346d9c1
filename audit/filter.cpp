// compile_filter: checks fields, operators and values and translates to bound SQL; rendering.
#include "xiangyue/audit/filter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>

#include "filter_grammar.h"
#include "xiangyue/literals/literals.h"
#include "xiangyue/runtime/engine.h"

namespace xy::audit {
namespace {

using namespace detail;

// ---- Fields, operators and values

constexpr unsigned kEq = 1, kNe = 2, kLt = 4, kLe = 8, kGt = 16, kGe = 32, kPrefix = 64, kIn = 128;
constexpr unsigned kEquality = kEq | kNe | kIn;
constexpr unsigned kOrdered = kEquality | kLt | kLe | kGt | kGe;
struct OpInfo {
  const char* symbol;
  unsigned bit;
  const char* sql;
};
constexpr OpInfo kOps[] = {{"=", kEq, "="},     {"!=", kNe, "<>"}, {"<", kLt, "<"},
                           {"<=", kLe, "<="},   {">", kGt, ">"},   {">=", kGe, ">="},
                           {"^=", kPrefix, ""}, {"in", kIn, "IN"}};
const char* sql_op(unsigned op) {
  for (const OpInfo& o : kOps)
    if (o.bit == op) return o.sql;
  return "";
}

enum class Type { id, time, date, text, outcome, rule, bundle };
struct Field {
  const char* en;
  const char* zh;
  Type type;
  const char* column;
  unsigned ops;
};
constexpr Field kFields[] = {
    {"id", "编号", Type::id, "d.seq", kOrdered},
    {"time", "时间", Type::time, "d.recorded_at", kOrdered},
    {"as_of", "基准日", Type::date, "d.as_of", kOrdered},
    {"action", "行为", Type::text, "d.action", kEquality},
    {"policy", "政策", Type::text, "d.policy", kEquality},
    {"outcome", "结论", Type::outcome, "d.outcome", kEquality},
    {"rule", "规则", Type::rule, "d.rules", kEquality},
    {"overridden", "例外", Type::rule, "d.overridden", kEquality},
    {"bundle", "策略包", Type::bundle, "d.bundle", kEquality | kPrefix},
};
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
       glued_keyword(t.text) ? *glued_keyword(t.text)
       : near.empty()        ? Localized{"fields: id, time, as_of, action, policy, outcome, rule, "
                                         "overridden, bundle",
                                  "字段：编号、时间、基准日、行为、政策、结论、规则、例外、策略包"}
                             : did_you_mean(near));
}

unsigned find_op(const Token& field, const Field& f, const Token& op) {
  unsigned found = 0, allowed = f.ops;
  std::string list;
  for (const OpInfo& o : kOps) {
    if (op.text == o.symbol || (o.bit == kIn && op.text == "IN")) found = o.bit;
    if ((o.bit == kEq && op.text == "==") || (o.bit == kNe && op.text == "≠") ||
        (o.bit == kGe && op.text == "≥") || (o.bit == kLe && op.text == "≤"))
      found = o.bit;
    if (allowed & o.bit) list += (list.empty() ? "" : " ") + std::string(o.symbol);
  }
  if (!(found & allowed))
    fail(op.offset, op.length,
         {bt(op.text) + " cannot be used with " + bt(field.text),
          cq(field.text) + "不能使用运算符" + cq(op.text)},
         Localized{bt(field.text) + " takes " + list, cq(field.text) + "可用的运算符：" + list});
  return found;
}

std::string id_value(const Token& v) {
  std::int64_t n = -1;
  const char* end = v.text.data() + v.text.size();
  auto [p, ec] = std::from_chars(v.text.data(), end, n);
  if (v.text.empty() || ec != std::errc() || p != end || n < 0)
    fail(v.offset, v.length,
         {bt(v.text) + " is not an id: ids are whole numbers",
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
using Span = std::pair<std::string, std::string>;
std::string stamp(Date d, std::int64_t ms, int digits) {  // digits: -2 day, -1 minute, 0 second
  if (d.year() > 9999) return "9999-12-31~";              // sorts after every stored time
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
    fail(
        v.offset, v.length,
        {"invalid time " + bt(v.text) + ": expected hh:mm, hh:mm:ss or hh:mm:ss.sss after the date",
         "时间" + cq(v.text) + "无效：日期之后应为 时:分、时:分:秒 或 时:分:秒.毫秒"},
        Localized{"times are UTC, e.g. 2024-01-01T08:30:00Z",
                  "时间为 UTC，例如 2024-01-01T08:30:00Z"});
  int digits = part[2] < 0 ? -1 : int(frac.size());
  constexpr std::int64_t kUnit[] = {60000, 1000, 100, 10, 1};  // ms in a minute … a millisecond
  std::int64_t unit = kUnit[digits + 1];
  frac.resize(3, '0');
  std::int64_t ms =
      (part[0] * 3600 + part[1] * 60 + std::max(part[2], 0)) * 1000LL + std::stoi(frac);
  std::int64_t next = ms + unit;
  Date next_day = next >= 86400000 ? Date{day.days + 1} : day;
  return {stamp(day, ms, digits), stamp(next_day, next % 86400000, digits)};
}

std::string outcome_value(const Token& v) {
  if (const auto* o = outcome_by_word(v.text)) return o->wire;
  std::vector<std::string> names;
  Localized all{"outcomes: ", "结论："};
  for (const auto& o : all_outcomes()) {
    for (const char* w : {o.wire, o.en, o.zh}) names.emplace_back(w);
    all.en += std::string(names.size() > 3 ? ", " : "") + o.wire +
              (std::string_view(o.wire) != o.en && std::string_view(o.wire) != o.source_en
                   ? std::string(" (") + o.en + ")"
                   : "");
    all.zh += std::string(names.size() > 3 ? "、" : "") + o.zh;
  }
  std::string w = v.text;
  for (char& c : w) c = char(std::tolower(static_cast<unsigned char>(c)));
  std::string near = closest_name(w, names);
  fail(v.offset, v.length, {"unknown outcome " + bt(v.text), "未知结论" + cq(v.text)},
       near.empty() ? all : did_you_mean(near));
}

std::string bundle_value(const Token& v, bool prefix) {
  std::string h = v.text;
  for (char& c : h) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (h.empty() || h.size() > 64 || h.find_first_not_of("0123456789abcdef") != std::string::npos)
    fail(v.offset, v.length,
         {bt(v.text) + " is not a bundle hash: expected hex digits",
          cq(v.text) + "不是策略包哈希：应为十六进制数字"});
  if (!prefix && h.size() != 64)
    fail(v.offset, v.length,
         {"a bundle hash has 64 hex digits, " + bt(v.text) + " has " + std::to_string(h.size()),
          "策略包哈希应有 64 位十六进制数字，" + cq(v.text) + "只有 " + std::to_string(h.size()) +
              " 位"},
         Localized{"to match a prefix, write `bundle ^= " + v.text + "`",
                   "按前缀匹配请写 `策略包 ^= " + v.text + "`"});
  return h;
}

// ---- Translation. Every value becomes a `?` bound, in order, to `params`.

struct Translator {
  std::vector<std::string>& params;

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

  std::string bind(std::string value) {
    params.push_back(std::move(value));
    return "?";
  }

  static std::string value(const Field& f, const Token& v, unsigned op) {
    if (f.type == Type::id) return id_value(v);
    if (f.type == Type::date) return date_of(v, v.text, "date", "日期").to_string();
    if (f.type == Type::outcome) return outcome_value(v);
    if (f.type == Type::bundle) return bundle_value(v, op == kPrefix);
    return v.text;
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
    auto [start, next] = time_value(v);
    if (op == kEq || op == kNe) {
      std::string sql = op == kEq ? "(d.recorded_at >= " : "(d.recorded_at < ";
      sql += bind(std::move(start));
      sql += op == kEq ? " AND d.recorded_at < " : " OR d.recorded_at >= ";
      return sql + bind(std::move(next)) + ")";
    }
    // `<= day` takes in the whole day; `>`, `>=` and `<` compare with the start of the span.
    return std::string("d.recorded_at ") + (op == kLe ? "<" : sql_op(op)) + " " +
           bind(op == kLe ? std::move(next) : std::move(start));
  }

  std::string compare(const Node& n) {
    const Field& f = find_field(n.field);
    unsigned op = find_op(n.field, f, n.operation.op);
    const auto& values = n.operation.values;
    if (f.type == Type::rule) {
      // The column holds " A1 A7 ": a whole id is found with the spaces around it.
      std::string sql = op == kNe ? "NOT (" : "(";
      for (std::size_t i = 0; i < values.size(); ++i)
        sql +=
            std::string(i ? " OR " : "") + (values[i].text.find(' ') != std::string::npos
                                                ? "0"  // no rule id has a space in it
                                                : "instr(" + std::string(f.column) + ", ' ' || " +
                                                      bind(values[i].text) + " || ' ') > 0");
      return sql + ")";
    }
    if (f.type == Type::time && op == kIn) {
      std::string sql = "(";
      for (std::size_t i = 0; i < values.size(); ++i)
        sql += (i ? " OR " : "") + time(kEq, values[i]);
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
};

}  // namespace

Result<SqlFilter, FilterError> compile_filter(std::string_view text) {
  using R = Result<SqlFilter, FilterError>;
  try {
    Iter it = text.begin();
    if (x3::parse(it, text.end(), *skipper >> x3::eoi)) return SqlFilter{"1", {}};
    Node root = parse(text);
    SqlFilter out;
    out.where = Translator{out.params}.node(root);
    return out;
  } catch (const Failure& f) {
    return R::failure(f.error);
  } catch (...) {  // out of memory; nothing else throws
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
    std::size_t line_end = std::min(text.find('\n', at), text.size());
    if (line_end > begin && line_end > at && text[line_end - 1] == '\r') --line_end;
    std::u32string shown;  // control characters show as spaces
    auto show = [&](std::size_t from, std::size_t to) {
      std::size_t width = 0;
      for (char32_t c : decode_utf8(std::string(text.substr(from, to - from)))) {
        shown += c < 0x20 || c == 0x7F ? U' ' : c;
        width += char_width(shown.back());
      }
      return width;
    };
    std::size_t span_end = at + std::min(e.length, line_end - at);
    std::size_t lead = show(begin, at), width = show(at, span_end);
    show(span_end, line_end);
    out += "  " + encode_utf8(shown) + "\n  " + std::string(lead, ' ') +
           std::string(std::max<std::size_t>(width, 1), '^') + "\n";
    if (e.help) out += (zh ? "  = 帮助：" : "  = help: ") + e.help->in(lang) + "\n";
    return out;
  } catch (...) {
    return {};
  }
}

}  // namespace xy::audit
