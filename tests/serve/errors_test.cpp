// The `xy serve` test, part 3: bad requests, access control, limits, slow clients, metrics.
#include "parts.h"

namespace xy::servetest {

void test_request_errors(const std::vector<Example>& examples) {
  const Example& ex = *find_example(examples, "work-items", "01-");
  const Example& review = *find_example(examples, "candidate-review", "02-");
  check_error(call(verb::post, "/v1/check", "{\"action\": \"下派事项\", \"as_of\": ", kCheckToken),
              400, "POST /v1/check malformed JSON → 400");
  check_error(call(verb::post, "/v1/check", "[1, 2]", kCheckToken), 400,
              "POST /v1/check a JSON array → 400");
  check_error(call(verb::post, "/v1/review", "{\"action\": ", kCheckToken), 400,
              "POST /v1/review malformed JSON → 400");
  // Requests the CLI calls bad (exit 2) are 400; whatever the CLI decides is decided the same way.
  auto with = [&](const std::function<void(json::object&)>& edit) {
    json::value v = ex.request;
    edit(v.get_object());
    return v;
  };
  struct Case {
    std::string what;
    json::value request;
  };
  std::vector<Case> cases = {
      {"an unknown action", with([](json::object& o) { o["action"] = "不存在的行为"; })},
      {"an unknown fact", with([](json::object& o) { o["facts"].get_object()["未知事实"] = 5; })},
      {"`facts` not an object", with([](json::object& o) { o["facts"] = json::array{}; })},
      {"a malformed as_of", with([](json::object& o) { o["as_of"] = "2024-13-45"; })},
      {"no action", with([](json::object& o) { o.erase("action"); })},
      {"an unknown policy", with([](json::object& o) { o["policy"] = "不存在的政策"; })},
  };
  // The service is strict where the CLI is lenient: a fact of the wrong type fails the request
  // (the CLI decides it, the fact unknown), naming the fact.
  {
    auto r =
        call(verb::post, "/v1/check",
             json::serialize(with([](json::object& o) { o["facts"].get_object()["接收"] = 5; })),
             kCheckToken);
    check_error(r, 400, "POST /v1/check with a fact of the wrong type (接收: 5) → 400");
    check(r.body.find("接收") != std::string::npos, "… and the error names the fact 接收");
  }
  std::vector<std::string> lines;
  for (const auto& c : cases) lines.push_back(json::serialize(c.request));
  auto cli = cli_decisions(g_work / "policies" / "work-items", lines, "bad-requests");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    auto r = call(verb::post, "/v1/check", lines[i], kCheckToken);
    bool cli_bad = i >= cli.size() || !member(cli[i], "outcome");
    if (cli_bad) {
      check_error(r, 400, "POST /v1/check with " + c.what + " → 400 (the CLI: bad request)");
    } else {
      auto j = r.json();
      remember(j);
      std::string d = r.status == 200 ? first_diff(without_audit_id(j), cli[i]) : "";
      check(r.status == 200 && d.empty(),
            "POST /v1/check with " + c.what + " → 200 " + str(cli[i], "outcome") +
                ", as the CLI decides it" +
                (r.status == 200 ? (d.empty() ? "" : ": differs at " + d) : ": " + r.describe()));
    }
  }
  auto rc = call(verb::post, "/v1/check", json::serialize(review.request), kCheckToken);
  std::string why;
  bool err = is_error(rc, 400, &why);
  check(err && rc.body.find("/v1/review") != std::string::npos,
        "POST /v1/check with a review request (联审) → 400 pointing to /v1/review" +
            (err ? (rc.body.find("/v1/review") != std::string::npos ? "" : ": " + rc.describe())
                 : ": " + why));
  check_error(call(verb::post, "/v1/review", json::serialize(ex.request), kCheckToken), 400,
              "POST /v1/review with a check request (下派事项) → 400");
  check_error(call(verb::get, "/v1/decisions/abc", {}, kAuditToken), 400,
              "GET /v1/decisions/abc → 400");
  check_error(call(verb::get, "/v1/decisions/999999", {}, kAuditToken), 404,
              "GET /v1/decisions/999999 → 404");
  check_error(call(verb::get, "/v1/decisions/999999.html", {}, kAuditToken), 404,
              "GET /v1/decisions/999999.html → 404");
}

void test_access(const std::vector<Example>& examples) {
  const Example& ex = *find_example(examples, "work-items", "01-");
  const Example& review = *find_example(examples, "candidate-review", "02-");
  std::string body = json::serialize(ex.request);
  auto r = call(verb::post, "/v1/check", body);
  check(is_error(r, 401) && r.header("www-authenticate").rfind("Bearer", 0) == 0,
        "POST /v1/check without a token → 401 with WWW-Authenticate: Bearer (" + r.describe(100) +
            ", WWW-Authenticate: " + r.header("www-authenticate") + ")");
  auto u = call(verb::post, "/v1/check", body, "not-a-token");
  check(is_error(u, 401) && u.header("www-authenticate").rfind("Bearer", 0) == 0,
        "POST /v1/check with an unknown token → 401 (" + u.describe(100) + ")");
  check_error(call(verb::post, "/v1/check", body, {}, {{"Authorization", "Basic " + kCheckToken}}),
              401, "POST /v1/check with `Authorization: Basic …` → 401");
  check_error(call(verb::post, "/v1/check", "{\"action\": ", {}), 401,
              "POST /v1/check without a token and a malformed body → 401 (access before parsing)");
  check_error(call(verb::get, "/v1/decisions/1", {}, {}), 401,
              "GET /v1/decisions/1 without a token → 401");
  check_error(call(verb::get, "/v1/decisions?limit=1", {}, {}), 401,
              "GET /v1/decisions without a token → 401");
  check_error(call(verb::post, "/v1/reload", {}, {}), 401, "POST /v1/reload without a token → 401");
  // Known token, wrong role.
  check_error(call(verb::post, "/v1/check", body, kAuditToken), 403,
              "POST /v1/check as reviewer (audit) → 403");
  check_error(call(verb::post, "/v1/review", json::serialize(review.request), kAuditToken), 403,
              "POST /v1/review as reviewer (audit) → 403");
  check_error(call(verb::post, "/v1/check/batch", "{\"requests\": [" + body + "]}", kAuditToken),
              403, "POST /v1/check/batch as reviewer (audit) → 403");
  check_error(call(verb::get, "/v1/decisions/1", {}, kCheckToken), 403,
              "GET /v1/decisions/1 as case-system (check) → 403");
  check_error(call(verb::get, "/v1/decisions/1.html", {}, kCheckToken), 403,
              "GET /v1/decisions/1.html as case-system (check) → 403");
  check_error(call(verb::get, "/v1/decisions?limit=1", {}, kCheckToken), 403,
              "GET /v1/decisions as case-system (check) → 403");
  check_error(call(verb::post, "/v1/reload", {}, kCheckToken), 403,
              "POST /v1/reload as case-system (check) → 403");
  check_error(call(verb::post, "/v1/reload", {}, kAuditToken), 403,
              "POST /v1/reload as reviewer (audit) → 403");
  // Health and metrics need no token.
  check(call(verb::get, "/v1/health").status == 200, "GET /v1/health without a token → 200");
  check(call(verb::get, "/metrics").status == 200, "GET /metrics without a token → 200");
  // The ops token has every role.
  auto o = call(verb::post, "/v1/check", body, kAdminToken);
  remember(o.json());
  check(o.status == 200 && call(verb::get, "/v1/decisions/1", {}, kAdminToken).status == 200,
        "ops (admin, check, audit) may check and read records");
  // Unknown paths and methods.
  check_error(call(verb::get, "/v1/nothing-here", {}, kAdminToken), 404,
              "GET /v1/nothing-here → 404");
  check_error(call(verb::get, "/", {}, kAdminToken), 404, "GET / → 404");
  check_error(call(verb::get, "/v1/decisions/1/2", {}, kAdminToken), 404,
              "GET /v1/decisions/1/2 → 404 (no such endpoint, not a bad id)");
  check_error(call(verb::post, "/v2/check", body, kAdminToken), 404, "POST /v2/check → 404");
  // The query string: a broken %-encoding and a bad limit are the client's, said as such.
  check_error(call(verb::get, "/v1/decisions?filter=%E7%BB&limit=1", {}, kAdminToken), 400,
              "GET /v1/decisions?filter=%E7%BB (cut %-encoding) → 400");
  check_error(call(verb::get, "/v1/decisions?filter=%ZZ", {}, kAdminToken), 400,
              "GET /v1/decisions?filter=%ZZ (not %-encoding) → 400");
  check_error(call(verb::get, "/v1/decisions?limit=0", {}, kAdminToken), 400,
              "GET /v1/decisions?limit=0 → 400");
  auto plus = call(verb::get, "/v1/decisions?limit=1&filter=outcome+%3D+permit", {}, kAdminToken);
  check(plus.status == 200, "GET /v1/decisions?filter=outcome+%3D+permit (form-encoded) → 200 (" +
                                plus.describe(100) + ")");
  struct M {
    verb v;
    std::string target, what;
  };
  std::string no_allow;
  for (const auto& m : std::vector<M>{{verb::get, "/v1/check", "GET /v1/check"},
                                      {verb::get, "/v1/check/batch", "GET /v1/check/batch"},
                                      {verb::get, "/v1/review", "GET /v1/review"},
                                      {verb::post, "/v1/health", "POST /v1/health"},
                                      {verb::delete_, "/v1/decisions/1", "DELETE /v1/decisions/1"},
                                      {verb::post, "/v1/decisions", "POST /v1/decisions"},
                                      {verb::get, "/v1/reload", "GET /v1/reload"},
                                      {verb::put, "/metrics", "PUT /metrics"}}) {
    auto res =
        call(m.v, m.target, m.v == verb::get || m.v == verb::delete_ ? "" : "{}", kAdminToken);
    check_error(res, 405, m.what + " → 405");
    if (res.status == 405 && res.header("allow").empty()) no_allow += " " + m.what;
  }
  check(no_allow.empty(), "405 answers name the allowed methods in `Allow` (docs/serve.md)" +
                              (no_allow.empty() ? "" : ": none on" + no_allow));
}

void test_limits(const std::vector<Example>& examples) {
  const Example& ex = *find_example(examples, "work-items", "01-");
  std::string body = json::serialize(ex.request);
  std::string big = body + std::string(kMaxBody + 4096 - body.size(), ' ');
  check_error(call(verb::post, "/v1/check", big, kCheckToken), 413,
              "POST /v1/check with a body of " + std::to_string(big.size()) +
                  " bytes (max_body_bytes " + std::to_string(kMaxBody) + ") → 413");
  std::string under = body + std::string(kMaxBody - 1024 - body.size(), ' ');
  auto u = call(verb::post, "/v1/check", under, kCheckToken);
  remember(u.json());
  check(u.status == 200 && str(u.json(), "outcome") == ex.expected,
        "POST /v1/check with a body just under max_body_bytes → 200 (" + u.describe(80) + ")");
  check_error(call(verb::post, "/v1/check/batch", "{\"requests\": [" + big + "]}", kCheckToken),
              413, "POST /v1/check/batch over max_body_bytes → 413");

  // Keep-alive: several requests on one connection, errors included.
  Client c("127.0.0.1", g_port);
  struct Step {
    verb v;
    std::string target, body, token;
    int status;
  };
  std::vector<Step> steps = {
      {verb::get, "/v1/health", "", "", 200},
      {verb::post, "/v1/check", body, kCheckToken, 200},
      {verb::post, "/v1/check", "{\"action\": ", kCheckToken, 400},
      {verb::get, "/metrics", "", "", 200},
      {verb::get, "/v1/nothing-here", "", kAdminToken, 404},
      {verb::post, "/v1/check", body, "", 401},
      {verb::post, "/v1/check", body, kCheckToken, 200},
  };
  bool all = true;
  std::string why;
  for (const auto& st : steps) {
    auto r = c.request(st.v, st.target, st.body, st.token);
    if (r.status) {
      std::lock_guard lock(g_status_mu);
      g_statuses[r.status]++;
    }
    if (r.status == 200 && st.target == "/v1/check") remember(r.json());
    if (r.status != st.status || r.version != 11 || !r.keep_alive) {
      all = false;
      why = st.target + " " + r.describe(100);
    }
  }
  check(all && c.connects() == 1,
        "HTTP/1.1 keep-alive: 7 requests (200, 400, 404, 401 among them) answered on one "
        "connection (" +
            std::to_string(c.connects()) + " connections)" + (all ? "" : ": " + why));
  Client once("127.0.0.1", g_port);
  std::string answer;
  bool sent_close =
      once.send_raw("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  auto closed_after = sent_close ? once.wait_closed(3s, &answer) : std::nullopt;
  check(closed_after && answer.rfind("HTTP/1.1 200", 0) == 0,
        "`Connection: close` is honoured: answered, then the server closes");

  // Stalled clients are disconnected; others are served meanwhile.
  std::vector<std::unique_ptr<Client>> stalled;
  std::vector<std::string> partial = {
      "POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kCheckToken +
          "\r\nContent-Le",
      "POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kCheckToken +
          "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"action\": \"下派",
      "GET /v1/heal",
  };
  auto t0 = std::chrono::steady_clock::now();
  bool sent = true;
  for (const auto& p : partial) {
    stalled.push_back(std::make_unique<Client>("127.0.0.1", g_port));
    sent = stalled.back()->send_raw(p) && sent;
  }
  check(sent, "3 clients send part of a request and stall (more than the 2 workers)");
  std::this_thread::sleep_for(100ms);
  Client other("127.0.0.1", g_port);
  int served = 0;
  std::chrono::milliseconds slowest{0};
  for (int i = 0; i < 10; ++i) {
    auto s = std::chrono::steady_clock::now();
    auto r = i % 2 ? other.request(verb::post, "/v1/check", body, kCheckToken)
                   : other.request(verb::get, "/v1/health");
    if (i % 2) remember(r.json());
    auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - s);
    slowest = std::max(slowest, took);
    if (r.status == 200) ++served;
  }
  auto meanwhile =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  check(served == 10 && meanwhile.count() < kReadTimeoutMs,
        "another client is served while they stall (10/10 answered within " +
            std::to_string(meanwhile.count()) + " ms, slowest " + std::to_string(slowest.count()) +
            " ms; " + std::to_string(served) + " answered)");
  for (std::size_t i = 0; i < stalled.size(); ++i) {
    std::string got;
    auto left = std::chrono::milliseconds(kReadTimeoutMs + 8000) -
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - t0);
    auto closed = stalled[i]->wait_closed(left, &got);
    auto at = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    std::string first = got.substr(0, got.find('\r'));
    check(closed && at.count() >= kReadTimeoutMs / 2,
          "stalled client " + std::to_string(i + 1) + " is disconnected after read_timeout_ms (" +
              std::to_string(kReadTimeoutMs) + "): closed at " + std::to_string(at.count()) +
              " ms" + (first.empty() ? "" : ", after `" + first + "`") +
              (closed ? "" : " — still open"));
  }
  auto h = call(verb::get, "/v1/health");
  check(h.status == 200, "the server still answers after the stalled clients");
}

void test_metrics(const std::vector<Sample>& m0, const std::vector<Sample>& m1,
                  std::size_t decisions, std::size_t denies, const std::string& content_type) {
  check(content_type.find("text/plain") == 0 &&
            content_type.find("version=0.0.4") != std::string::npos,
        "GET /metrics: Content-Type text/plain; version=0.0.4 (" + content_type + ")");
  bool names = true;
  std::string missing;
  for (const char* n :
       {"xy_requests_total", "xy_decisions_total", "xy_request_duration_seconds_bucket",
        "xy_request_duration_seconds_sum", "xy_request_duration_seconds_count", "xy_reloads_total",
        "xy_audit_queue", "xy_audit_recorded_total"})
    if (!has_metric(m1, n)) {
      names = false;
      missing += std::string(" ") + n;
    }
  check(names, "GET /metrics: every metric of the spec is there" + missing);
  double dd = metric(m1, "xy_decisions_total") - metric(m0, "xy_decisions_total");
  check(dd == static_cast<double>(decisions), "xy_decisions_total grew by the " +
                                                  std::to_string(decisions) + " decisions made (" +
                                                  std::to_string(dd) + ")");
  double ddeny = metric(m1, "xy_decisions_total", {{"outcome", "deny"}}) -
                 metric(m0, "xy_decisions_total", {{"outcome", "deny"}});
  check(ddeny == static_cast<double>(denies), "xy_decisions_total{outcome=\"deny\"} grew by the " +
                                                  std::to_string(denies) + " denials (" +
                                                  std::to_string(ddeny) + ")");
  double checks = metric(m1, "xy_requests_total", {{"endpoint", "check"}, {"status", "200"}}) -
                  metric(m0, "xy_requests_total", {{"endpoint", "check"}, {"status", "200"}});
  check(checks >= 60,
        "xy_requests_total{endpoint=\"…check\",status=\"200\"} grew with the checks (" +
            std::to_string(checks) + ")");
  double count = metric(m1, "xy_request_duration_seconds_count") -
                 metric(m0, "xy_request_duration_seconds_count");
  double inf = metric(m1, "xy_request_duration_seconds_bucket", {{"le", "+Inf"}});
  check(count >= checks && inf == metric(m1, "xy_request_duration_seconds_count") &&
            metric(m1, "xy_request_duration_seconds_sum") >
                metric(m0, "xy_request_duration_seconds_sum"),
        "xy_request_duration_seconds: _count grew (" + std::to_string(count) +
            "), _sum grew, le=\"+Inf\" = _count");
  // Buckets are cumulative.
  std::vector<std::pair<double, double>> buckets;
  for (const auto& s : m1)
    if (s.name == "xy_request_duration_seconds_bucket" && s.labels.count("le") &&
        s.labels.at("le") != "+Inf")
      buckets.emplace_back(std::stod(s.labels.at("le")), s.value);
  std::sort(buckets.begin(), buckets.end());
  bool cumulative = !buckets.empty();
  for (std::size_t i = 1; i < buckets.size(); ++i)
    if (buckets[i].second < buckets[i - 1].second) cumulative = false;
  check(cumulative, "xy_request_duration_seconds_bucket counts are cumulative");
  check(metric(m1, "xy_audit_recorded_total") >= static_cast<double>(ledger_size()),
        "xy_audit_recorded_total ≥ the decisions answered (" +
            std::to_string(metric(m1, "xy_audit_recorded_total")) + " ≥ " +
            std::to_string(ledger_size()) + ")");
}

// Each 4xx status the test received, counted by the server between two scrapes.
void test_status_metrics(const std::vector<Sample>& before, const std::vector<Sample>& after,
                         const std::map<int, int>& sent_before,
                         const std::map<int, int>& sent_after) {
  for (int status : {400, 401, 403, 404, 405, 413}) {
    int sent = (sent_after.count(status) ? sent_after.at(status) : 0) -
               (sent_before.count(status) ? sent_before.at(status) : 0);
    double counted = metric(after, "xy_requests_total", {{"status", std::to_string(status)}}) -
                     metric(before, "xy_requests_total", {{"status", std::to_string(status)}});
    check(sent > 0 && counted == sent,
          "xy_requests_total{status=\"" + std::to_string(status) + "\"} grew by the " +
              std::to_string(sent) + " answers with that status (" + std::to_string(counted) + ")");
  }
}

}  // namespace xy::servetest
