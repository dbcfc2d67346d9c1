// Parses a JSON request and checks its facts against the action's schema (fail closed).
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <string_view>

#include "json_duplicates.h"
#include "request_fast.h"
#include "xiangyue/literals/literals.h"
#include "xiangyue/runtime/engine.h"

namespace xy {
namespace json = boost::json;

namespace {

using R = Result<Request, RequestError>;

R fail(std::string en, std::string zh) {
  return R::failure(RequestError{{std::move(en), std::move(zh)}, {}});
}

// Where a value sits in the facts. The text ("item.tags[2]") is built only when a message needs it.
struct Path {
  const Path* parent = nullptr;  // null: the facts record itself, whose path is ""
  std::string_view field;        // a record field, or
  std::size_t index = 0;         // the element of a set (when `element`)
  bool element = false;

  std::string text() const {
    if (!parent) return std::string();
    std::string p = parent->text();
    if (element) return p + "[" + std::to_string(index) + "]";
    return p.empty() ? std::string(field) : p + "." + std::string(field);
  }
};

struct Converter {
  const Bundle& b;
  Request& req;

  Value problem(const Path& path, std::string en, std::string zh) {
    req.problems.push_back({path.text(), {std::move(en), std::move(zh)}});
    return Value::missing(static_cast<std::uint32_t>(req.problems.size()));
  }

  std::string shown(const json::value& v) { return shorten(json::serialize(v), 40); }

  // Converts one JSON value to the declared type. Unknown record keys are request errors.
  std::optional<RequestError> convert(const json::value& v, std::uint32_t type, const Path& path,
                                      Value& out) {
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
          const auto& s = req.texts.emplace_back(std::string_view(v.get_string()));
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
        if (v.is_string()) {
          std::string_view s(v.get_string());
          for (std::uint32_t i = 0; i < e.members.size(); ++i)
            if (e.members[i] == s) found = i;
        }
        if (found) {
          out = Value::enumerator(*found);
          break;
        }
        std::string members;
        for (const auto& m : e.members) members += (members.empty() ? "" : ", ") + m;
        out = problem(path, "expected one of " + members + " (" + e.name + "), got " + shown(v),
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
        bool elem_optional = b.types[t.ref].optional;
        for (std::size_t i = 0; i < arr.size(); ++i) {
          Path at{&path, {}, i, true};
          if (auto err = convert(arr[i], t.ref, at, block[i])) return err;
          if (!elem_optional && block[i].kind == ValueKind::None) block[i] = Value::missing(0);
        }
        out = Value::set(block.get(), static_cast<std::uint32_t>(arr.size()));
        break;
      }
    }
    return std::nullopt;
  }

  RequestError unknown_fact(std::string_view key, std::uint32_t st, const Path& path) {
    const auto& fields = b.structs[st].fields;
    std::vector<std::string> names;
    for (const auto& f : fields) names.push_back(f.name);
    std::string p = path.text();
    std::string where = p.empty() ? "`facts`" : "`" + p + "`";
    std::string k(key);
    RequestError e{{"unknown fact `" + k + "` in " + where,
                    "「" + (p.empty() ? std::string("facts") : p) + "」中没有事实「" + k + "」"},
                   {}};
    if (auto s = closest_name(k, names); !s.empty()) {
      e.message.en += "; did you mean `" + s + "`?";
      e.message.zh += "；是否应为「" + s + "」？";
    } else {
      std::string list;
      for (std::size_t i = 0; i < names.size() && i < 12; ++i) list += (i ? ", " : "") + names[i];
      e.message.en += "; known facts: " + list;
      e.message.zh += "；已声明的事实：" + list;
    }
    return e;
  }

  std::optional<RequestError> record(const json::object& obj, std::uint32_t st, const Path& path,
                                     Value& out) {
    const auto& fields = b.structs[st].fields;
    auto& block = req.blocks.emplace_back(new Value[fields.empty() ? 1 : fields.size()]);
    // Every key must be a field (the first unknown one is the error). The parsed object holds
    // each key once, so the value of field i is found here, in the same pass.
    constexpr std::size_t kSlots = 32;
    const json::value* slot[kSlots] = {};
    bool slotted = fields.size() <= kSlots;
    for (const auto& kv : obj) {
      std::string_view key = kv.key();
      std::size_t i = 0;
      while (i < fields.size() && fields[i].name != key) ++i;
      if (i == fields.size()) return unknown_fact(key, st, path);
      if (slotted && !slot[i]) slot[i] = &kv.value();
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const json::value* v = nullptr;
      if (slotted) {
        v = slot[i];
      } else if (auto it = obj.find(fields[i].name); it != obj.end()) {
        v = &it->value();
      }
      if (!v) {
        block[i] = b.types[fields[i].type].optional ? Value::none() : Value::missing(0);
        continue;
      }
      Path sub{&path, fields[i].name};
      if (auto err = convert(*v, fields[i].type, sub, block[i])) return err;
    }
    out = Value::record(block.get(), static_cast<std::uint32_t>(fields.size()));
    return std::nullopt;
  }
};

}  // namespace

namespace request_detail {

// The general path: a JSON document, checked step by step, with a message for every failure.
R parse_general(const Bundle& bundle, std::string_view text, std::optional<Date> as_of_override,
                Date today) {
  // The document lives in a monotonic arena, on the stack while it fits: no malloc per node, and
  // nothing to free one by one. It is gone when this function returns; the Request keeps copies.
  alignas(std::max_align_t) unsigned char arena[4096];
  json::monotonic_resource mr(arena, sizeof arena);
  alignas(std::max_align_t) unsigned char temp[2048];
  json::parse_options opts;
  opts.max_depth = 64;
  json::stream_parser parser(json::storage_ptr(), opts, temp, sizeof temp);
  parser.reset(&mr);
  boost::system::error_code ec;
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
  // Boost.JSON keeps the last of two equal keys; a request that says something twice is refused.
  if (auto dup = duplicate_key(text))
    return fail("duplicate key `" + *dup + "` in the request (each key once per object)",
                "请求中的键「" + *dup + "」重复（同一对象中每个键只能出现一次）");
  const auto& obj = doc.get_object();
  for (const auto& kv : obj) {
    std::string_view key = kv.key();
    if (key != "action" && key != "as_of" && key != "policy" && key != "facts" && key != "id")
      return fail(
          "unknown request field `" + std::string(key) +
              "`; expected action, as_of, policy, facts, id",
          "请求中没有字段「" + std::string(key) + "」；应为 action、as_of、policy、facts、id");
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
  auto named = obj.find("policy");
  bool is_named = named != obj.end();
  std::string_view name;
  if (is_named && named->value().is_string()) name = named->value().get_string();
  auto candidate = [&](std::uint32_t i) {
    return request_detail::policy_candidate(
        bundle, i, is_named, is_named && named->value().is_string() ? &name : nullptr, req.action,
        req.as_of);
  };
  std::size_t count = 0;
  std::uint32_t first = 0;
  for (std::uint32_t i = 0; i < bundle.policies.size(); ++i)
    if (candidate(i) && count++ == 0) first = i;
  if (is_named && count == 0) {
    std::string n = named->value().is_string() ? std::string(named->value().get_string())
                                               : json::serialize(named->value());
    return fail("unknown policy `" + n + "`", "未知政策「" + n + "」");
  }
  if (is_named) {
    const auto& p = bundle.policies[first];
    if (!ir::in_period(p.from, p.until, req.as_of.days))
      return fail("the policy `" + p.name + "` is not in force on " + req.as_of.to_string(),
                  "政策「" + p.name + "」在 " + req.as_of.to_string() + " 不在生效期间内");
    if (!p.by_action.count(req.action))
      return fail("the policy `" + p.name + "` does not decide `" + action_name + "`",
                  "政策「" + p.name + "」不裁决「" + action_name + "」");
  }
  if (count == 0)
    return fail("no policy in force on " + req.as_of.to_string() + " decides `" + action_name + "`",
                req.as_of.to_string() + " 没有生效的政策裁决「" + action_name + "」");
  if (count > 1) {
    std::string names;
    for (std::uint32_t i = 0; i < bundle.policies.size(); ++i)
      if (candidate(i)) names += (names.empty() ? "`" : ", `") + bundle.policies[i].name + "`";
    return fail(
        "several policies decide `" + action_name + "` (" + names + "); name one in `policy`",
        "有多个政策裁决「" + action_name + "」（" + names + "），请在「policy」中指明");
  }
  req.policy = first;
  Converter conv{bundle, req};
  auto facts = obj.find("facts");
  json::object empty;
  if (facts != obj.end() && !facts->value().is_object() && !facts->value().is_null())
    return fail("`facts` must be a JSON object", "「facts」必须是 JSON 对象");
  const json::object& fo =
      facts != obj.end() && facts->value().is_object() ? facts->value().get_object() : empty;
  if (auto err = conv.record(fo, bundle.actions[req.action].facts, Path{}, req.facts))
    return R::failure(*err);
  return req;
}

}  // namespace request_detail

Result<Request, RequestError> parse_request(const Bundle& bundle, std::string_view text,
                                            std::optional<Date> as_of_override, Date today) {
  {
    R plain(Request{});  // built in place: a Request move costs allocations (its deques)
    if (request_detail::parse_plain(bundle, text, as_of_override, today, *plain)) return plain;
  }
  return request_detail::parse_general(bundle, text, as_of_override, today);
}

std::optional<RequestError> ill_fitting_facts(const Request& request) {
  if (request.problems.empty()) return std::nullopt;
  RequestError e;
  e.message.en = request.problems.size() == 1
                     ? "a fact does not fit the schema: "
                     : std::to_string(request.problems.size()) + " facts do not fit the schema: ";
  e.message.zh = request.problems.size() == 1
                     ? "有事实不符合结构："
                     : "有 " + std::to_string(request.problems.size()) + " 项事实不符合结构：";
  for (std::size_t i = 0; i < request.problems.size(); ++i) {
    const auto& p = request.problems[i];
    e.message.en += (i ? "; " : "") + p.path + ": " + p.detail.en;
    e.message.zh += (i ? "；" : "") + p.path + "：" + p.detail.zh;
  }
  e.facts = request.problems;
  return e;
}

Result<Request, RequestError> parse_fitting_request(const Bundle& bundle, std::string_view json,
                                                    std::optional<Date> as_of_override,
                                                    Date today) {
  auto req = parse_request(bundle, json, as_of_override, today);
  if (req)
    if (auto bad = ill_fitting_facts(*req)) return Result<Request, RequestError>::failure(*bad);
  return req;
}

std::string fact_problems_json(const std::vector<FactProblem>& facts, Lang lang) {
  json::array out;
  for (const auto& p : facts)
    out.push_back(
        json::object{{"path", p.path}, {"problem", "invalid"}, {"detail", p.detail.in(lang)}});
  return json::serialize(out);
}

}  // namespace xy
