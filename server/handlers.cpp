// The endpoints: routing, access control, deciding and recording, reading the audit store.
#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/pct_string_view.hpp>
#include <charconv>
#include <chrono>

#include "service.h"
#include "xiangyue/audit/html.h"
#include "xiangyue/audit/record_json.h"
#include "xiangyue/common/hash.h"
#include "xiangyue/runtime/engine.h"

namespace xy::server {
namespace json = boost::json;

HttpResponse error_response(unsigned status, const std::string& code, const std::string& message,
                            std::optional<std::size_t> index, const std::string& facts_json) {
  // Messages quote what the client sent (a path, a filter), which need not be UTF-8: the answer
  // must stay JSON, so bytes that are not show as U+FFFD.
  json::object e{{"status", status}, {"code", code}, {"message", replacing_invalid_utf8(message)}};
  if (index) e["index"] = *index;
  if (!facts_json.empty()) e["facts"] = json::parse(facts_json);
  HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = json::serialize(json::object{{"error", std::move(e)}});
  return res;
}

namespace {

// A request that could not be decided: 400 bad_request, or bad_fact with every ill-fitting fact.
HttpResponse refused(const RequestError& e, Lang lang, std::optional<std::size_t> index) {
  if (e.facts.empty()) return error_response(400, "bad_request", e.message.in(lang), index);
  return error_response(400, "bad_fact", e.message.in(lang), index,
                        fact_problems_json(e.facts, lang));
}

HttpResponse ok_response(std::string body, const char* type = "application/json; charset=utf-8",
                         unsigned status = 200) {
  HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, type);
  res.body() = std::move(body);
  return res;
}

// Evaluators are not thread-safe: one per network thread and set, rebuilt when the catalog
// changes. Holding the catalog here keeps the bundles they point into alive.
Evaluator& evaluator(const std::shared_ptr<const Catalog>& catalog, std::size_t set) {
  thread_local std::shared_ptr<const Catalog> held;
  thread_local std::vector<std::unique_ptr<Evaluator>> per_set;
  if (held != catalog) {
    per_set.clear();
    held = catalog;
    per_set.resize(catalog->sets.size());
  }
  if (!per_set[set]) per_set[set] = std::make_unique<Evaluator>(catalog->sets[set].bundle);
  return *per_set[set];
}

// The set that decides a request: by its action (a single set takes everything, and then
// parse_request reports an unknown action with suggestions).
std::optional<std::size_t> route(const Catalog& c, const json::value* doc) {
  if (c.sets.size() == 1) return 0;
  const json::object* o = doc ? doc->if_object() : nullptr;
  const json::value* action = o ? o->if_contains("action") : nullptr;
  if (!action || !action->is_string()) return 0;  // parse_request says what is wrong
  auto it = c.by_action.find(std::string(action->get_string()));
  if (it == c.by_action.end()) return std::nullopt;
  return it->second;
}

// A review sent to a check endpoint, or a check to the review endpoint.
std::string wrong_endpoint(bool review, Lang lang) {
  bool zh = lang == Lang::zh;
  return review ? (zh ? "这是资格审查：请发送到 /v1/review"
                      : "this action is a review: POST it to /v1/review")
                : (zh ? "这不是资格审查：请发送到 /v1/check"
                      : "this action is not a review: POST it to /v1/check");
}

std::string unknown_action(const std::string& a, Lang lang) {
  return lang == Lang::zh ? "没有策略处理行为「" + a + "」"
                          : "no policy decides the action `" + a + "`";
}

// 503: the decision (or a batch's decisions) could not be recorded, so it is not answered.
HttpResponse not_recorded(const Localized& why, Lang lang, bool batch) {
  std::string en =
      batch ? "the decisions could not be recorded: " : "the decision could not be recorded: ";
  return error_response(503, "not_recorded",
                        (lang == Lang::zh ? "决定未能记录：" : en) + why.in(lang));
}

// `"audit_id":N,"audit_hash":"…",`: the receipt that opens a decision's answer.
std::string receipt_fields(const audit::Receipt& r) {
  return "\"audit_id\":" + std::to_string(r.id) + ",\"audit_hash\":\"" + r.hash + "\",";
}

// The value of `key` in a query string, percent-decoded with `+` as a space: absent (nullopt), or
// nullopt in `*malformed` set when its encoding is broken. One reader for every parameter: the
// pairs are split by hand, then only the value goes through Boost.URL's decoder (its params views
// read `?lang=zh` as absent now and then under load, which zh_only caught).
std::optional<std::string> query_param(std::string_view query, std::string_view key,
                                       bool* malformed = nullptr) {
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(pair.size() + 1, query.size()));
    auto eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    if (eq == std::string_view::npos) return std::string();
    auto value = pair.substr(eq + 1);
    auto pct =
        boost::urls::make_pct_string_view(boost::core::string_view(value.data(), value.size()));
    if (!pct) {
      if (malformed) *malformed = true;
      return std::nullopt;
    }
    boost::urls::encoding_opts plus;
    plus.space_as_plus = true;  // a form-encoded space
    return pct->decode(plus);
  }
  return std::nullopt;
}

Lang lang_of(const HttpRequest& req, std::string_view query, Lang fallback) {
  auto lang = query_param(query, "lang");
  if (lang == "zh") return Lang::zh;
  if (lang == "en") return Lang::en;
  auto accept = req[http::field::accept_language];
  if (accept.starts_with("zh")) return Lang::zh;
  if (accept.starts_with("en")) return Lang::en;
  return fallback;
}

struct Route {
  Endpoint endpoint = Endpoint::Other;
  http::verb method = http::verb::get;
  unsigned role = 0;
};

std::optional<Route> find_route(std::string_view path) {
  if (path == "/v1/check") return Route{Endpoint::Check, http::verb::post, kRoleCheck};
  if (path == "/v1/check/batch") return Route{Endpoint::Batch, http::verb::post, kRoleCheck};
  if (path == "/v1/review") return Route{Endpoint::Review, http::verb::post, kRoleCheck};
  if (path == "/v1/decisions") return Route{Endpoint::Decisions, http::verb::get, kRoleAudit};
  // One record: /v1/decisions/ID or /v1/decisions/ID.html; anything deeper is no endpoint.
  if (path.starts_with("/v1/decisions/") && path.size() > 14 &&
      path.find('/', 14) == std::string_view::npos)
    return Route{path.ends_with(".html") ? Endpoint::DecisionHtml : Endpoint::Decision,
                 http::verb::get, kRoleAudit};
  if (path == "/v1/health") return Route{Endpoint::Health, http::verb::get, 0};
  if (path == "/metrics") return Route{Endpoint::Metrics, http::verb::get, 0};
  if (path == "/v1/reload") return Route{Endpoint::Reload, http::verb::post, kRoleAdmin};
  return std::nullopt;
}

}  // namespace

void Service::rejected(std::string_view target, unsigned status) {
  auto route = find_route(target.substr(0, target.find('?')));
  metrics_.request(route ? route->endpoint : Endpoint::Other, status, 0);
}

std::optional<HttpResponse> Service::authorize(const HttpRequest& req, unsigned role, Lang lang) {
  if (!role || tokens_.empty()) return std::nullopt;
  bool zh = lang == Lang::zh;
  auto auth = req[http::field::authorization];
  const Token* token = nullptr;
  if (auth.starts_with("Bearer ")) {
    auto it = tokens_.find(sha256_hex(std::string(auth.substr(7))));
    if (it != tokens_.end()) token = it->second;
  }
  if (!token) {
    auto res = error_response(
        401, "unauthorized",
        auth.empty() ? (zh ? "需要令牌：Authorization: Bearer …" : "a bearer token is required")
                     : (zh ? "令牌无效" : "the token is not valid"));
    res.set(http::field::www_authenticate, "Bearer realm=\"xiangyue\"");
    return res;
  }
  if (!(token->roles & role))
    return error_response(
        403, "forbidden",
        zh ? "令牌「" + token->name + "」没有此操作的权限"
           : "the token `" + token->name + "` does not have the role this endpoint needs");
  return std::nullopt;
}

std::optional<HttpResponse> Service::answer_early(const HttpRequest& header) {
  std::string_view target = header.target();
  auto q = target.find('?');
  std::string_view path = target.substr(0, q), query;
  if (q != std::string_view::npos) query = target.substr(q + 1);
  auto route = find_route(path);
  if (!route || header.method() != route->method) return std::nullopt;  // said after the body
  auto refused = authorize(header, route->role, lang_of(header, query, options_.lang));
  if (!refused) return std::nullopt;
  metrics_.request(route->endpoint, refused->result_int(), 0);
  refused->version(header.version());
  refused->keep_alive(false);  // the body is not read: the connection cannot go on
  refused->set(http::field::server, "xiangyue");
  refused->prepare_payload();
  return refused;
}

void Service::handle(HttpRequest&& req, Respond respond) {
  auto start = std::chrono::steady_clock::now();
  std::string_view target = req.target();
  auto q = target.find('?');
  std::string_view path = target.substr(0, q), query;
  if (q != std::string_view::npos) query = target.substr(q + 1);
  auto route = find_route(path);
  Endpoint endpoint = route ? route->endpoint : Endpoint::Other;
  Lang lang = lang_of(req, query, options_.lang);
  bool zh = lang == Lang::zh;
  auto finish = [this, start, endpoint, version = req.version(), keep = req.keep_alive(),
                 respond = std::move(respond)](HttpResponse res) {
    metrics_.request(
        endpoint, res.result_int(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    res.version(version);
    res.keep_alive(keep);
    res.set(http::field::server, "xiangyue");
    res.prepare_payload();
    respond(std::move(res));
  };
  if (!route)
    return finish(error_response(
        404, "not_found",
        zh ? "没有这个地址：" + std::string(path) : "no such endpoint: " + std::string(path)));
  if (req.method() != route->method) {
    auto res = error_response(405, "method_not_allowed",
                              std::string(zh ? "此地址只接受 " : "this endpoint takes ") +
                                  std::string(http::to_string(route->method)));
    res.set(http::field::allow, http::to_string(route->method));
    return finish(std::move(res));
  }
  if (auto refused = authorize(req, route->role, lang)) return finish(std::move(*refused));
  switch (endpoint) {
    case Endpoint::Check:
    case Endpoint::Review:
      return decide(endpoint, req, lang, std::move(finish));
    case Endpoint::Batch:
      return batch(req, lang, std::move(finish));
    // Audit reads run on their own thread: a long search never holds up a decision.
    case Endpoint::Decision:
    case Endpoint::DecisionHtml: {
      std::string id(path.substr(14));
      bool html = endpoint == Endpoint::DecisionHtml;
      if (html) id.resize(id.size() - 5);
      return read_audit([this, id, html, lang] { return decision_record(id, html, lang); },
                        std::move(finish));
    }
    case Endpoint::Decisions:
      return read_audit([this, q = std::string(query), lang] { return decisions(q, lang); },
                        std::move(finish));
    case Endpoint::Health:
      return finish(health(lang));
    case Endpoint::Metrics:
      return finish(ok_response(
          metrics_.render(static_cast<std::int64_t>(store_->pending()), store_->recorded_through()),
          "text/plain; version=0.0.4; charset=utf-8"));
    case Endpoint::Reload: {
      auto removal = query_param(query, "allow_removal");
      bool allow = removal == "true" || removal == "1";
      return reload(
          "api",
          [finish = std::move(finish), lang](ReloadEnd end, const Localized& error) {
            if (end == ReloadEnd::stopping)
              return finish(error_response(503, "stopping", error.in(lang)));
            bool ok = end == ReloadEnd::swapped;
            finish(ok_response(
                json::serialize(ok ? json::object{{"ok", true}}
                                   : json::object{{"ok", false}, {"error", error.in(lang)}}),
                "application/json; charset=utf-8", ok ? 200 : 422));
          },
          allow);
    }
    default:
      return finish(error_response(404, "not_found", "no such endpoint"));
  }
}

void Service::decide(Endpoint endpoint, const HttpRequest& req, Lang lang,
                     std::function<void(HttpResponse)> finish) {
  auto cat = catalog();
  const std::string& body = req.body();
  std::optional<std::size_t> set = 0;
  if (cat->sets.size() > 1) {
    // The action alone, without a JSON document; only a request it cannot read that way (an
    // error, an unusual number) is parsed to find it.
    std::optional<std::string> action = request_action(body);
    if (action) {
      auto it = cat->by_action.find(*action);
      set = it == cat->by_action.end() ? std::nullopt : std::optional(it->second);
    } else {
      boost::system::error_code ec;
      json::value doc = json::parse(body, ec);
      set = route(*cat, ec ? nullptr : &doc);
      if (!set) action = std::string(doc.at("action").as_string());
    }
    if (!set) return finish(error_response(400, "bad_request", unknown_action(*action, lang)));
  }
  const Bundle& bundle = cat->sets[*set].bundle;
  auto parsed = parse_fitting_request(bundle, body, std::nullopt, Date::today());
  if (!parsed) return finish(refused(parsed.error(), lang, std::nullopt));
  thread_local Decision d;
  evaluator(cat, *set).decide(*parsed, d);
  bool review = bundle.policies[d.policy].kind == ir::Kind::Review;
  if (review != (endpoint == Endpoint::Review))
    return finish(error_response(400, "wrong_endpoint", wrong_endpoint(review, lang)));
  std::string decided = decision_json(bundle, *parsed, d);
  metrics_.decision(d.outcome);
  audit::Receipt receipt = store_->append(bundle, *parsed, body, d, decided);
  std::string head = receipt_fields(receipt);
  store_->when_recorded(receipt, [head = std::move(head), decided = std::move(decided), lang,
                                  finish = std::move(finish)](Result<bool, Localized> recorded) {
    if (!recorded) return finish(not_recorded(recorded.error(), lang, false));
    finish(ok_response("{" + head + decided.substr(1)));
  });
}

void Service::batch(const HttpRequest& req, Lang lang, std::function<void(HttpResponse)> finish) {
  bool zh = lang == Lang::zh;
  boost::system::error_code ec;
  json::value doc = json::parse(req.body(), ec);
  const json::value* list =
      !ec && doc.is_object() ? doc.get_object().if_contains("requests") : nullptr;
  if (!list || !list->is_array())
    return finish(error_response(
        400, "bad_request",
        ec ? (zh ? "请求不是合法的 JSON：" : "the body is not valid JSON: ") + ec.message()
           : (zh ? "需要 {\"requests\": [请求…]}"
                 : "the body must be {\"requests\": [request, …]}")));
  if (auto dup = duplicate_json_key(req.body()))
    return finish(
        error_response(400, "bad_request",
                       zh ? "请求中的键「" + *dup + "」重复（同一对象中每个键只能出现一次）"
                          : "duplicate key `" + *dup + "` in the body (each key once per object)"));
  const auto& items = list->get_array();
  if (items.size() > config_.max_batch)
    return finish(error_response(413, "too_many",
                                 (zh ? "一批最多 " : "at most ") +
                                     std::to_string(config_.max_batch) +
                                     (zh ? " 个请求" : " requests in a batch")));
  auto cat = catalog();
  struct Item {
    std::size_t set;
    std::string text;
    Request request;
    Decision decision;
  };
  std::vector<Item> parsed;
  parsed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto set = route(*cat, &items[i]);
    if (!set)
      return finish(
          error_response(400, "bad_request",
                         unknown_action(std::string(items[i].at("action").as_string()), lang), i));
    std::string text = json::serialize(items[i]);
    auto r = parse_fitting_request(cat->sets[*set].bundle, text, std::nullopt, Date::today());
    if (!r) return finish(refused(r.error(), lang, i));
    parsed.push_back(Item{*set, std::move(text), std::move(*r), {}});
  }
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    auto& it = parsed[i];
    evaluator(cat, it.set).decide(it.request, it.decision);
    if (cat->sets[it.set].bundle.policies[it.decision.policy].kind == ir::Kind::Review)
      return finish(error_response(400, "wrong_endpoint", wrong_endpoint(true, lang), i));
  }
  std::string out = "{\"decisions\":[";
  std::vector<audit::Receipt> receipts;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    auto& it = parsed[i];
    const Bundle& b = cat->sets[it.set].bundle;
    std::string decided = decision_json(b, it.request, it.decision);
    metrics_.decision(it.decision.outcome);
    receipts.push_back(store_->append(b, it.request, it.text, it.decision, decided));
    out += (i ? ",{" : "{") + receipt_fields(receipts.back()) + decided.substr(1);
  }
  out += "]}";
  if (receipts.empty()) return finish(ok_response(std::move(out)));
  // All recorded when the last is and none was refused or voided by a failure in between.
  bool whole = std::all_of(receipts.begin(), receipts.end(), [&](const audit::Receipt& r) {
    return r.id != 0 && r.epoch == receipts.back().epoch;
  });
  auto last = receipts.back();
  if (!whole) last.id = 0;
  store_->when_recorded(last, [out = std::move(out), lang, finish = std::move(finish)](
                                  Result<bool, Localized> recorded) mutable {
    if (!recorded) return finish(not_recorded(recorded.error(), lang, true));
    finish(ok_response(std::move(out)));
  });
}

HttpResponse Service::decision_record(const std::string& id_text, bool html, Lang lang) {
  bool zh = lang == Lang::zh;
  if (id_text.empty() || id_text.size() > 18 ||
      id_text.find_first_not_of("0123456789") != std::string::npos)
    return error_response(400, "bad_request",
                          zh ? "记录编号应为正整数：" + id_text
                             : "a record id is a positive integer, not `" + id_text + "`");
  auto got = store_->get(std::stoll(id_text));
  if (!got) return error_response(500, "audit_store", got.error().in(lang));
  if (!got->has_value())
    return error_response(404, "not_found",
                          zh ? "没有第 " + id_text + " 条记录" : "no record " + id_text);
  const audit::Record& r = **got;
  auto context = audit::record_context(*store_, r);
  if (!html) return ok_response(json::serialize(audit::record_json(r, context)));
  return ok_response(audit::render_html(audit::record_view(r, std::move(context)), lang),
                     "text/html; charset=utf-8");
}

HttpResponse Service::decisions(const std::string& query, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string filter;
  std::int64_t limit = 100;
  bool malformed = false;
  auto filter_text = query_param(query, "filter", &malformed);
  auto limit_text = query_param(query, "limit", &malformed);
  if (malformed)
    return error_response(
        400, "bad_request",
        zh ? "查询串的百分号编码无效" : "the query string's %-encoding is broken");
  if (filter_text) filter = *filter_text;
  if (limit_text) {
    const std::string& v = *limit_text;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (v.empty() || v[0] == '-' || ec != std::errc() || end != v.data() + v.size() || limit < 1 ||
        limit > 10000)
      return error_response(400, "bad_request",
                            zh ? "limit 应为 1 到 10000" : "limit must be from 1 to 10000");
  }
  auto compiled = audit::compile_filter(filter);
  if (!compiled)
    return error_response(400, "bad_filter",
                          audit::render_filter_error(filter, compiled.error(), lang));
  // Only the summary columns go into the answer, one row at a time, within the time budget.
  audit::ReadLimits budget{std::chrono::steady_clock::now() + config_.audit_read_timeout};
  std::string out = "{\"decisions\":[";
  bool first = true;
  auto read = store_->each(
      *compiled, limit,
      [&](const audit::Record& r) {
        out += first ? "" : ",";
        first = false;
        out += json::serialize(json::object{{"id", r.seq},
                                            {"recorded_at", r.recorded_at},
                                            {"as_of", r.as_of},
                                            {"action", r.action},
                                            {"policy", r.policy},
                                            {"outcome", r.outcome},
                                            {"rules", audit::rule_ids(r.rules)}});
        return true;
      },
      budget);
  if (!read) return store_error(read.error(), lang);
  out += "]}";
  return ok_response(std::move(out));
}

// A failed audit read: a filter SQLite cannot take is the client's (400), a read past its time
// budget is 503, anything else the store's (500).
HttpResponse Service::store_error(const Localized& why, Lang lang) {
  bool zh = lang == Lang::zh;
  if (why.en.starts_with("bad query"))
    return error_response(
        400, "bad_filter",
        (zh ? "过滤条件过大或过于复杂：" : "the filter is too large or complex: ") +
            why.en.substr(std::min<std::size_t>(why.en.size(), 11)));
  if (why.en == "timeout")
    return error_response(503, "timeout",
                          zh ? "查询超过 " + std::to_string(config_.audit_read_timeout.count()) +
                                   " 毫秒仍未完成；请缩小过滤条件"
                             : "the search took longer than " +
                                   std::to_string(config_.audit_read_timeout.count()) +
                                   " ms; narrow the filter");
  return error_response(500, "audit_store", why.in(lang));
}

HttpResponse Service::health(Lang lang) {
  auto cat = catalog();
  ReloadState last;
  {
    std::lock_guard l(catalog_mu_);
    last = last_reload_;
  }
  json::array sets;
  for (const auto& s : cat->sets) {
    json::array policies;
    for (const auto& p : s.bundle.policies) policies.emplace_back(p.name);
    sets.push_back(json::object{{"dir", s.dir},
                                {"bundle", s.bundle.hash},
                                {"policies", std::move(policies)},
                                {"rules", s.bundle.rules.size()},
                                {"tests", s.tests}});
  }
  json::object reload{{"at", last.at}, {"ok", last.ok}, {"trigger", last.trigger}};
  if (!last.ok) reload["error"] = last.error.in(lang);
  auto h = store_->health();
  json::object audit{{"ok", h.ok},
                     {"recorded", h.recorded},
                     {"queue", h.queued},
                     {"anchored", h.anchored},
                     {"not_recorded", h.not_recorded}};
  if (!h.ok) {
    audit["error"] = h.error.in(lang);
    audit["since"] = h.since;
  }
  // Failing while decisions cannot be recorded (they are answered 503): a load balancer should
  // send checks elsewhere.
  return ok_response(json::serialize(json::object{{"status", h.ok ? "ok" : "failing"},
                                                  {"loaded_at", cat->loaded_at},
                                                  {"sets", std::move(sets)},
                                                  {"last_reload", std::move(reload)},
                                                  {"audit", std::move(audit)}}),
                     "application/json; charset=utf-8", h.ok ? 200 : 503);
}

}  // namespace xy::server
