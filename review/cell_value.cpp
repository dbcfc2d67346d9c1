// Reads a cell as the value of a fact: what a department's clerk may have typed, in the forms the
// policy language reads (2024-03-01 and 2024年3月1日, 2万元, 5年, 是/否), or why not.
#include "cell_value.h"

#include <cmath>

#include "xiangyue/literals/literals.h"

namespace xy::review {

namespace json = boost::json;
using Kind = sheets::Cell::Kind;

std::string trimmed(std::string_view text) {
  std::string s(text);
  auto space_at = [&](std::size_t at) -> std::size_t {
    if (s.compare(at, 3, "\u3000") == 0) return 3;
    char c = s[at];
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' ? 1 : 0;
  };
  std::size_t n;
  while (!s.empty() && (n = space_at(0))) s.erase(0, n);
  while (!s.empty()) {
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "\u3000") == 0) {
      s.erase(s.size() - 3);
      continue;
    }
    char c = s.back();
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
    s.pop_back();
  }
  return s;
}

namespace {

Result<json::value, Localized> fail(std::string en, std::string zh) {
  return Result<json::value, Localized>::failure({std::move(en), std::move(zh)});
}

Result<json::value, Localized> number(const sheets::Cell& c, const ir::Type& t) {
  std::optional<Rational> r;
  if (c.kind == Kind::Number) {
    double v = c.number;
    if (std::isfinite(v) && std::fabs(v) < 9e15 && v == std::floor(v)) {
      r = Rational::integer(static_cast<std::int64_t>(v));
    } else {
      auto p = lit::parse_number(c.text);  // the shortest decimal that reads back as the number
      if (p) r = *p;
    }
  } else if (c.kind == Kind::Text) {
    auto p = lit::parse_number(trimmed(c.text));
    if (!p)
      return fail("`" + c.text + "` is not a number (" + p.error().en + ")",
                  "「" + c.text + "」不是数（" + p.error().zh + "）");
    r = *p;
  }
  if (!r)
    return fail("a number is expected, not `" + c.text + "`", "此处应为数，而非「" + c.text + "」");
  if (t.integer && r->den != 1)
    return fail("a whole number is expected, not " + r->to_string(),
                "此处应为整数，而非 " + r->to_string());
  if (r->den == 1) return json::value(r->num);
  return json::value(r->to_string());
}

Result<json::value, Localized> date(const sheets::Cell& c) {
  if (c.kind == Kind::Date) return json::value(c.date.to_string());
  if (c.kind == Kind::Number)
    return fail("a date is expected, not the number " + c.text +
                    " (format the cell as a date, or write it as 2024-03-01)",
                "此处应为日期，而非数字 " + c.text + "（把单元格设为日期格式，或写作 2024-03-01）");
  std::string text = trimmed(c.text);
  // 2024/3/1 and 2024.3.1 as office software often writes them.
  std::string norm = text;
  for (char& ch : norm)
    if (ch == '/' || ch == '.') ch = '-';
  auto d = lit::parse_date(norm);
  if (!d)
    return fail("`" + text + "` is not a date (" + d.error().en + ")",
                "「" + text + "」不是日期（" + d.error().zh + "）");
  return json::value(d->to_string());
}

Result<json::value, Localized> boolean(const sheets::Cell& c) {
  if (c.kind == Kind::Bool) return json::value(c.boolean);
  std::string t = trimmed(c.text);
  for (const char* yes :
       {"是", "有", "真", "√", "true", "TRUE", "True", "yes", "Yes", "Y", "y", "1"})
    if (t == yes) return json::value(true);
  for (const char* no :
       {"否", "无", "假", "×", "false", "FALSE", "False", "no", "No", "N", "n", "0"})
    if (t == no) return json::value(false);
  return fail("`" + t + "` is not yes or no (write 是 or 否)", "「" + t + "」不是“是”或“否”");
}

}  // namespace

Result<json::value, Localized> cell_value(const sheets::Cell& cell, std::uint32_t type,
                                          const Bundle& bundle) {
  const ir::Type& t = bundle.types[type];
  if (cell.kind == Kind::Error)
    return fail("the cell holds the error " + cell.text, "单元格是错误值 " + cell.text);
  switch (t.kind) {
    case ir::TypeKind::Text:
      if (cell.kind == Kind::Number && std::fabs(cell.number) >= 1e15)
        return fail("a long number stored as a number has lost digits (" + cell.text +
                        "): format the column as text",
                    "长数字按数值保存，已丢失位数（" + cell.text + "）：请把该列设为文本格式");
      return json::value(cell.kind == Kind::Text ? trimmed(cell.text) : cell.text);
    case ir::TypeKind::Number:
      return number(cell, t);
    case ir::TypeKind::Date:
      return date(cell);
    case ir::TypeKind::Bool:
      return boolean(cell);
    case ir::TypeKind::Duration: {
      auto d = lit::parse_duration(trimmed(cell.text));
      if (!d)
        return fail(
            "`" + cell.text + "` is not a duration such as 5年 or 6个月 (" + d.error().en + ")",
            "「" + cell.text + "」不是期限（如 5年、6个月）（" + d.error().zh + "）");
      return json::value(d->to_string());
    }
    case ir::TypeKind::Enum: {
      std::string v = trimmed(cell.text);
      const auto& e = bundle.enums[t.ref];
      for (const auto& m : e.members)
        if (m == v) return json::value(v);
      std::string list, list_zh;
      for (const auto& m : e.members) {
        list += (list.empty() ? "" : ", ") + m;
        list_zh += (list_zh.empty() ? "" : "、") + m;
      }
      return fail("`" + v + "` is not one of " + list, "「" + v + "」不是以下之一：" + list_zh);
    }
    default:
      return fail("this fact is not read from a cell", "该事实不从单元格读取");
  }
}

}  // namespace xy::review
