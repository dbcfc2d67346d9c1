// Parses a JSON request and checks its facts against the action's schema (fail closed).
#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "xiangyue/literals/literals.h"
#include "xiangyue/runtime/engine.h"

namespace xy {
namespace json = boost::json;

namespace {

using R = Result<Request, RequestError>;

R fail(std::string en, std::string zh) {
  return R::failure(RequestError{{std::move(en), std::move(zh)}});
}

struct Converter {
  const Bundle& b;
  Request& req;

  Value problem(const std::string& path, std::string en, std::string zh) {
    req.problems.push_back({path, {std::move(en), std::move(zh)}});
    return Value::missing(static_cast<std::uint32_t>(req.problems.size()));
  }

  std::string shown(const json::value& v) {
    std::string s = json::serialize(v);
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
  }

  // Converts one JSON value to the declared type. Unknown record keys are request errors.
  std::optional<RequestError> convert(const json::value& v, std::uint32_t type,
                                      const std::string& path, Value& out) {
    const ir::Type& t = b.types[type];
    if (v.is_null()) {
      out = t.optional ? Value::none() : Value::missing(0);
      return std::nullopt;
    }
    switch (t.kind) {
      case ir::TypeKind::Bool:
        out = v.is_bool() ? Value::boolean(v.get_bool())
                          : problem(path, "expected true or false, got " + shown(v),
                                    "应为 true 或 false，实为 " + shown(v));
        break;
      case ir::TypeKind::Number: {
        std::optional<Rational> q;
        if (v.is_int64())
          q = Rational::integer(v.get_int64());
        else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
          q = Rational::integer(static_cast<std::int64_t>(v.get_uint64()));
        else if (v.is_double()) {
          char buf[64];
          auto res = std::to_chars(buf, buf + sizeof buf, v.get_double());
          if (auto p =
                  lit::parse_number(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf))))
            q = *p;
        } else if (v.is_string()) {
          if (auto p = lit::parse_number(std::string_view(v.get_string()))) q = *p;
        }
        if (q && t.integer && !q->is_integer()) q.reset();
        out = q ? Value::number(*q)
                : problem(
                      path,
                      std::string("expected ") +
                          (t.integer ? "a whole number" : "an exact number") + ", got " + shown(v),
                      std::string("应为") + (t.integer ? "整数" : "数值") + "，实为 " + shown(v));
        break;
      }
      case ir::TypeKind::Text:
        if (v.is_string()) {
          const auto& s = req.texts.emplace_back(v.get_string());
          out = Value::str(s);
        } else {
          out = problem(path, "expected text, got " + shown(v), "应为文本，实为 " + shown(v));
        }
        break;
      case ir::TypeKind::Date: {
        auto d = v.is_string()
                     ? lit::parse_date(std::string_view(v.get_string()))
                     : Result<Date, lit::LiteralError>::failure({0, "not a string", "不是字符串"});
        out = d ? Value::of_date(*d)
                : problem(path, "expected a date such as \"2024-03-01\", got " + shown(v),
                          "应为日期（如 \"2024-03-01\"），实为 " + shown(v));
        break;
      }
      case ir::TypeKind::Duration: {
        auto d =
            v.is_string()
                ? lit::parse_duration(std::string_view(v.get_string()))
                : Result<Duration, lit::LiteralError>::failure({0, "not a string", "不是字符串"});
        out = d ? Value::of_duration(*d)
                : problem(path, "expected a duration such as \"5年\", got " + shown(v),
                          "应为期限（如 \"5年\"），实为 " + shown(v));
        break;
      }
      case ir::TypeKind::Enum: {
        const auto& e = b.enums[t.ref];
        std::optional<std::uint32_t> found;
        if (v.is_string())
          for (std::uint32_t i = 0; i < e.members.size(); ++i)
            if (e.members[i] == std::string_view(v.get_string())) found = i;
        std::string members;
        for (const auto& m : e.members) members += (members.empty() ? "" : ", ") + m;
        out = found ? Value::enumerator(*found)
                    : problem(path,
                              "expected one of " + members + " (" + e.name + "), got " + shown(v),
                              "应为" + e.name + "之一（" + members + "），实为 " + shown(v));
        break;
      }
      case ir::TypeKind::Struct: {
        if (!v.is_object()) {
          out = problem(path, "expected an object, got " + shown(v), "应为对象，实为 " + shown(v));
          break;
        }
        return record(v.get_object(), t.ref, path, out);
      }
      case ir::TypeKind::Set: {
        if (!v.is_array()) {
          out = problem(path, "expected an array, got " + shown(v), "应为数组，实为 " + shown(v));
          break;
        }
        const auto& arr = v.get_array();
        auto& block = req.blocks.emplace_back(new Value[arr.size() ? arr.size() : 1]);
        for (std::size_t i = 0; i < arr.size(); ++i) {
          if (auto err = convert(arr[i], t.ref, path + "[" + std::to_string(i) + "]", block[i]))
            return err;
          if (b.types[t.ref].optional == false && block[i].kind == ValueKind::None)
            block[i] = Value::missing(0);
        }
        out = Value::set(block.get(), static_cast<std::uint32_t>(arr.size()));
        break;
      }
    }
    return std::nullopt;
  }

  std::optional<RequestError> record(const json::object& obj, std::uint32_t st,
                                     const std::string& path, Value& out) {
    const auto& fields = b.structs[st].fields;
    auto& block = req.blocks.emplace_back(new Value[fields.empty() ? 1 : fields.size()]);
    for (const auto& [key, val] : obj) {
      bool known = false;
      for (const auto& f : fields) known = known || f.name == std::string_view(key);
      if (!known) {
        std::vector<std::string> names;
        for (const auto& f : fields) names.push_back(f.name);
        std::string where = path.empty() ? "`facts`" : "`" + path + "`";
        std::string k(key);
        RequestError e{
            {"unknown fact `" + k + "` in " + where,
             "「" + (path.empty() ? std::string("facts") : path) + "」中没有事实「" + k + "」"}};
        if (auto s = closest_name(k, names); !s.empty()) {
          e.message.en += "; did you mean `" + s + "`?";
          e.message.zh += "；是否应为「" + s + "」？";
        } else {
          std::string list;
          for (std::size_t i = 0; i < names.size() && i < 12; ++i)
            list += (i ? ", " : "") + names[i];
          e.message.en += "; known facts: " + list;
          e.message.zh += "；已声明的事实：" + list;
        }
        return e;
      }
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      std::string sub = path.empty() ? fields[i].name : path + "." + fields[i].name;
      auto it = obj.find(fields[i].name);
      if (it == obj.end()) {
        block[i] = b.types[fields[i].type].optional ? Value::none() : Value::missing(0);
        continue;
      }
      if (auto err = convert(it->value(), fields[i].type, sub, block[i])) return err;
    }
    out = Value::record(block.get(), static_cast<std::uint32_t>(fields.size()));
    return std::nullopt;
  }
};

}  // namespace

Result<Request, RequestError> parse_request(const Bundle& bundle, std::string_view text,
                                            std::optional<Date> as_of_override, Date today) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  json::stream_parser parser({}, opts);
  std::size_t used = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    // Say where: line and column (in characters) of the first byte the parser could not take.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < used && i < text.size(); ++i) {
      if (text[i] == '\n')
        line += 1, col = 1;
      else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
        col += 1;
    }
    std::string at = std::to_string(line) + ":" + std::to_string(col);
    std::string why_en = ec.message(), why_zh = ec.message();
    std::size_t prev = used;
    while (prev > 0 && std::isspace(static_cast<unsigned char>(text[prev - 1]))) --prev;
    if (used < text.size() && (text[used] == '}' || text[used] == ']') && prev > 0 &&
        text[prev - 1] == ',') {
      why_en =
          "a comma before `" + std::string(1, text[used]) + "` (JSON allows no trailing comma)";
      why_zh = "「" + std::string(1, text[used]) + "」前多了逗号（JSON 不允许末尾逗号）";
    } else if (used >= text.size()) {
      why_en = "the text ends before the JSON is complete";
      why_zh = "JSON 尚未结束，文本就已结束";
    }
    return fail("the request is not valid JSON at " + at + ": " + why_en,
                "请求不是有效的 JSON（第 " + std::to_string(line) + " 行第 " + std::to_string(col) +
                    " 列）：" + why_zh);
  }
  json::value doc = parser.release();
  if (!doc.is_object()) return fail("the request must be a JSON object", "请求必须是 JSON 对象");
  const auto& obj = doc.get_object();
  for (const auto& [k, v] : obj) {
    std::string key(k);
    if (key != "action" && key != "as_of" && key != "policy" && key != "facts" && key != "id")
      return fail("unknown request field `" + key + "`; expected action, as_of, policy, facts, id",
                  "请求中没有字段「" + key + "」；应为 action、as_of、policy、facts、id");
  }
  Request req;
  auto action = obj.find("action");
  if (action == obj.end() || !action->value().is_string())
    return fail("the request needs `action` (a string)", "请求缺少「action」（字符串）");
  std::string action_name(action->value().get_string());
  auto a = bundle.action_by_name.find(action_name);
  if (a == bundle.action_by_name.end()) {
    std::vector<std::string> names;
    for (const auto& x : bundle.actions) names.push_back(x.name);
    std::string hint = closest_name(action_name, names);
    std::string known;
    for (std::size_t i = 0; i < names.size() && i < 12; ++i) known += (i ? ", " : "") + names[i];
    return fail("unknown action `" + action_name + "`" +
                    (hint.empty() ? "; known actions: " + known : "; did you mean `" + hint + "`?"),
                "未知行为「" + action_name + "」" +
                    (hint.empty() ? "；已声明的行为：" + known : "；是否应为「" + hint + "」？"));
  }
  req.action = a->second;
  req.as_of = today;
  if (as_of_override) {
    req.as_of = *as_of_override;
  } else if (auto d = obj.find("as_of"); d != obj.end()) {
    auto parsed = d->value().is_string()
                      ? lit::parse_date(std::string_view(d->value().get_string()))
                      : Result<Date, lit::LiteralError>::failure({});
    if (!parsed)
      return fail("`as_of` must be a date such as \"2024-03-01\"",
                  "「as_of」应为日期，如 \"2024-03-01\"");
    req.as_of = *parsed;
  }
  // The policy: named, or the one policy in force that decides this action.
  std::vector<std::uint32_t> candidates;
  auto named = obj.find("policy");
  for (std::uint32_t i = 0; i < bundle.policies.size(); ++i) {
    const auto& p = bundle.policies[i];
    if (named != obj.end()) {
      if (named->value().is_string() && p.name == std::string_view(named->value().get_string()))
        candidates.push_back(i);
      continue;
    }
    bool handles = p.by_action.count(req.action) > 0;
    bool in_force = ir::in_period(p.from, p.until, req.as_of.days);
    if (handles && in_force) candidates.push_back(i);
  }
  if (named != obj.end() && candidates.empty()) {
    std::string n = named->value().is_string() ? std::string(named->value().get_string())
                                               : json::serialize(named->value());
    return fail("unknown policy `" + n + "`", "未知政策「" + n + "」");
  }
  if (named != obj.end()) {
    const auto& p = bundle.policies[candidates[0]];
    if (!ir::in_period(p.from, p.until, req.as_of.days))
      return fail("the policy `" + p.name + "` is not in force on " + req.as_of.to_string(),
                  "政策「" + p.name + "」在 " + req.as_of.to_string() + " 不在生效期间内");
    if (!p.by_action.count(req.action))
      return fail("the policy `" + p.name + "` does not decide `" + action_name + "`",
                  "政策「" + p.name + "」不裁决「" + action_name + "」");
  }
  if (candidates.empty())
    return fail("no policy in force on " + req.as_of.to_string() + " decides `" + action_name + "`",
                req.as_of.to_string() + " 没有生效的政策裁决「" + action_name + "」");
  if (candidates.size() > 1) {
    std::string names;
    for (auto c : candidates)
      names += (names.empty() ? "`" : ", `") + bundle.policies[c].name + "`";
    return fail(
        "several policies decide `" + action_name + "` (" + names + "); name one in `policy`",
        "有多个政策裁决「" + action_name + "」（" + names + "），请在「policy」中指明");
  }
  req.policy = candidates[0];
  Converter conv{bundle, req};
  auto facts = obj.find("facts");
  json::object empty;
  if (facts != obj.end() && !facts->value().is_object() && !facts->value().is_null())
    return fail("`facts` must be a JSON object", "「facts」必须是 JSON 对象");
  const json::object& fo =
      facts != obj.end() && facts->value().is_object() ? facts->value().get_object() : empty;
  if (auto err = conv.record(fo, bundle.actions[req.action].facts, "", req.facts))
    return R::failure(*err);
  return req;
}

}  // namespace xy
