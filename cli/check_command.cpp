// `xy check` and `xy compile`: compile or load a bundle, then decide each request in order.
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/literals/literals.h"
#include "xiangyue/runtime/engine.h"

namespace xy::cli {
namespace {

const std::string& say(const Localized& l, Lang lang) {
  return l.in(lang);
}

std::optional<Bundle> load(const CheckOptions& o) {
  if (!o.bundle.empty()) {
    auto b = Bundle::read_file(o.bundle);
    if (!b) {
      std::cerr << (o.lang == Lang::zh ? "错误：" : "error: ") << b.error() << "\n";
      return std::nullopt;
    }
    return std::move(*b);
  }
  auto result = compile_paths(o.policies, CompileSettings{o.laws});
  if (!result.bundle) {
    std::cerr << render_all(result.diagnostics, result.files, o.lang);
    return std::nullopt;
  }
  return std::move(*result.bundle);
}

// One request, or JSON Lines: the whole text is one JSON value, or each non-empty line is one.
std::vector<std::pair<std::size_t, std::string>> split_requests(const std::string& text) {
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  std::vector<std::pair<std::size_t, std::string>> out;
  std::istringstream in(text);
  std::string line;
  std::size_t n = 0, first = 0;
  std::vector<std::pair<std::size_t, std::string>> lines;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!first) first = n;
    lines.emplace_back(n, line);
  }
  if (!ec || lines.size() <= 1) {
    out.emplace_back(first ? first : 1, text);
    return out;
  }
  boost::system::error_code first_ec;
  boost::json::parse(lines[0].second, first_ec);
  if (first_ec) {  // not JSON Lines either: report the whole text as one bad request
    out.emplace_back(first, text);
    return out;
  }
  return lines;
}

}  // namespace

int run_check(const CheckOptions& o) {
  bool zh = o.lang == Lang::zh;
  if (o.bundle.empty() == o.policies.empty()) {
    std::cerr << (zh ? "用法错误：请给出政策路径或 --bundle（二者选一）\n"
                     : "usage: give policy paths or --bundle, not both and not neither\n");
    return kBadInput;
  }
  std::optional<Date> as_of;
  if (!o.as_of.empty()) {
    auto d = lit::parse_date(o.as_of);
    if (!d) {
      std::cerr << (zh ? "用法错误：--as-of 应为日期，如 2024-03-01\n"
                       : "usage: --as-of needs a date such as 2024-03-01\n");
      return kBadInput;
    }
    as_of = *d;
  }
  // Policies first: a broken policy is reported (exit 1) whatever the request holds.
  auto bundle = load(o);
  if (!bundle) return kPolicyErrors;
  std::string text;
  if (o.request == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    text = s.str();
  } else {
    std::ifstream in(o.request, std::ios::binary);
    if (!in) {
      std::cerr << (zh ? "错误：无法读取请求文件「" + o.request + "」\n"
                       : "error: cannot read the request file `" + o.request + "`\n");
      return kBadInput;
    }
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  std::unique_ptr<audit::Store> store;
  if (!o.audit.empty()) {
    auto opened = audit::Store::open(o.audit);
    if (!opened) {
      std::cerr << (zh ? "错误：" : "error: ") << opened.error() << "\n";
      return kNotRecorded;
    }
    store = std::move(*opened);
  }
  // With an audit store, output is held back until the transaction holding its decision has
  // committed: every decision printed with an audit_id is recorded. Each held text waits for the
  // last decision appended before it (0: none), so output keeps the order of the input.
  std::deque<std::pair<std::int64_t, std::string>> held;
  std::int64_t last_id = 0;
  auto hold = [&](std::string out) {
    if (!held.empty() && held.back().first == last_id)
      held.back().second += out;
    else
      held.emplace_back(last_id, std::move(out));
  };
  // Prints what is recorded; with `all`, first waits until everything appended is.
  auto release = [&](bool all) -> bool {
    if (store && all) {
      if (auto r = store->commit(); !r) {
        std::cerr << (zh ? "错误：决定未能记录：" : "error: decisions not recorded: ") << r.error()
                  << "\n";
        return false;
      }
    }
    std::int64_t through = store ? store->recorded_through() : last_id;
    bool any = false;
    while (!held.empty() && held.front().first <= through) {
      std::cout << held.front().second;
      held.pop_front();
      any = true;
    }
    if (any) std::cout << std::flush;
    return true;
  };
  Evaluator evaluator(*bundle);
  Decision decision;
  int code = kDecided;
  auto requests = split_requests(text);
  bool many = requests.size() > 1;
  for (const auto& [line, body] : requests) {
    auto req = parse_request(*bundle, body, as_of, Date::today());
    if (!req) {
      std::string where = (o.request == "-" ? std::string("<stdin>") : o.request) +
                          (many ? ":" + std::to_string(line) : "");
      std::cerr << where << ": " << (zh ? "请求错误：" : "bad request: ")
                << say(req.error().message, o.lang) << "\n";
      if (o.format == "json") {
        boost::json::object err;
        err["error"] = say(req.error().message, o.lang);
        err["line"] = line;
        hold(boost::json::serialize(err) + "\n");
      }
      code = kBadInput;
      if (!release(false)) return kNotRecorded;
      continue;
    }
    evaluator.decide(*req, decision);
    std::string json = decision_json(*bundle, *req, decision);
    std::int64_t id = store ? store->append(*bundle, *req, body, decision, json) : 0;
    last_id = id;
    if (o.format == "json") {
      hold(store ? "{\"audit_id\":" + std::to_string(id) + "," + json.substr(1) + "\n"
                 : json + "\n");
    } else {
      std::string shown = decision_text(*bundle, *req, decision, o.lang);
      if (store)
        shown += std::string(zh ? "  审计记录 #" : "  audit record #") + std::to_string(id) + "\n";
      hold(many ? shown + "\n" : shown);
    }
    // At most --audit-batch decisions wait for their transaction.
    if (!release(store && store->pending() >= o.audit_batch)) return kNotRecorded;
  }
  if (!release(true)) return kNotRecorded;
  return code;
}

int run_compile(const CompileOptions& o) {
  auto result = compile_paths(o.policies, CompileSettings{o.laws});
  if (!result.bundle) {
    std::cerr << render_all(result.diagnostics, result.files, o.lang);
    return kPolicyErrors;
  }
  auto written = result.bundle->write_file(o.output);
  if (!written) {
    std::cerr << (o.lang == Lang::zh ? "错误：" : "error: ") << written.error() << "\n";
    return kBadInput;
  }
  std::cout << o.output << ": " << result.bundle->rules.size()
            << (o.lang == Lang::zh ? " 条规则，" : " rules, ") << "bundle " << result.bundle->hash
            << "\n";
  return kDecided;
}

}  // namespace xy::cli
