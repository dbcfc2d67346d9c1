// `xy check` and `xy compile`: compile or load a bundle, then decide each request in order.
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <iostream>

#include "commands.h"
#include "request_stream.h"
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
      std::cerr << (o.lang == Lang::zh ? "错误：" : "error: ") << b.error().in(o.lang) << "\n";
      return std::nullopt;
    }
    return std::move(*b);
  }
  CompileSettings settings;
  settings.laws_dir = o.laws;
  auto result = compile_paths(o.policies, settings);
  if (result.diagnostics.kept() > 0)  // errors, or warnings beside a bundle
    std::cerr << render_all(result.diagnostics, result.files, o.lang);
  if (!result.bundle) return std::nullopt;
  return std::move(*result.bundle);
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
  int fd = 0;
  if (o.request != "-") {
    fd = ::open(o.request.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << (zh ? "错误：无法读取请求文件「" + o.request + "」\n"
                       : "error: cannot read the request file `" + o.request + "`\n");
      return kBadInput;
    }
  }
  struct Closer {
    int fd;
    ~Closer() {
      if (fd > 0) ::close(fd);
    }
  } closer{fd};
  std::unique_ptr<audit::Store> store;
  if (!o.audit.empty()) {
    auto opened = audit::Store::open(o.audit);
    if (!opened) {
      std::cerr << (zh ? "错误：" : "error: ") << opened.error().in(o.lang) << "\n";
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
  auto not_recorded = [&](const Localized& why) {
    std::cerr << (zh ? "错误：决定未能记录：" : "error: decisions not recorded: ") << why.in(o.lang)
              << "\n";
    return false;
  };
  // Prints what is recorded; with `all`, first waits until everything appended is.
  auto release = [&](bool all) -> bool {
    if (store && all)
      if (auto r = store->commit(); !r) return not_recorded(r.error());
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
  // Before waiting for input that has not arrived: everything decided so far is recorded and shown.
  bool failed = false;
  auto before_wait = [&] { failed = failed || !release(true); };
  Evaluator evaluator(*bundle);
  Decision decision;
  int code = kDecided;
  RequestStream input(fd);
  std::int64_t epoch = 0;  // the store's failure count when the first decision was appended
  std::string source = o.request != "-" ? o.request : zh ? "<标准输入>" : "<stdin>";
  while (auto raw = input.next(before_wait)) {
    if (failed) return kNotRecorded;
    // As in the service: facts that do not fit the schema are an error, never decided around.
    auto req = parse_fitting_request(*bundle, raw->text, as_of, Date::today());
    if (!req) {
      const RequestError& bad = req.error();
      // A lone request is named by the file alone; in JSON Lines, by its line too.
      bool many = input.many() || input.more(before_wait);
      std::cerr << source << (many ? ":" + std::to_string(raw->line) : "") << ": "
                << (zh ? "请求错误：" : "bad request: ") << say(bad.message, o.lang) << "\n";
      if (o.format == "json") {
        boost::json::object err;
        err["error"] = say(bad.message, o.lang);
        err["line"] = raw->line;
        if (!bad.facts.empty())
          err["facts"] = boost::json::parse(fact_problems_json(bad.facts, o.lang));
        hold(boost::json::serialize(err) + "\n");
      }
      code = kBadInput;
      if (!release(false)) return kNotRecorded;
      continue;
    }
    evaluator.decide(*req, decision);
    std::string json = decision_json(*bundle, *req, decision);
    audit::Receipt receipt;
    if (store) {
      receipt = store->append(*bundle, *req, raw->text, decision, json);
      // A failure voids what was queued (the epoch moves on); held output must then not be
      // printed under ids that the store hands out again.
      if (!epoch) epoch = receipt.epoch;
      if (receipt.id == 0 || receipt.epoch != epoch) {
        release(false);
        not_recorded(store->health().error);
        return kNotRecorded;
      }
    }
    last_id = receipt.id;
    if (o.format == "json") {
      hold(store ? "{\"audit_id\":" + std::to_string(receipt.id) + ",\"audit_hash\":\"" +
                       receipt.hash + "\"," + json.substr(1) + "\n"
                 : json + "\n");
    } else {
      std::string shown = decision_text(*bundle, *req, decision, o.lang);
      if (store)
        shown += std::string(zh ? "  审计记录 #" : "  audit record #") +
                 std::to_string(receipt.id) + (zh ? "，链哈希 " : ", chain hash ") + receipt.hash +
                 "\n";
      // Decisions in JSON Lines are set apart by a blank line (one after the last, too).
      hold(input.many() ? "\n" + shown : shown);
    }
    // At most --audit-batch decisions wait for their transaction.
    if (!release(store && store->pending() >= o.audit_batch)) return kNotRecorded;
  }
  if (o.format != "json" && input.many()) hold("\n");
  if (failed || !release(true)) return kNotRecorded;
  if (!input.read_error().empty()) {
    std::cerr << (zh ? "错误：读取请求失败：" : "error: cannot read the requests: ")
              << input.read_error() << "\n";
    return kBadInput;
  }
  return code;
}

int run_compile(const CompileOptions& o) {
  CompileSettings settings;
  settings.laws_dir = o.laws;
  auto result = compile_paths(o.policies, settings);
  if (result.diagnostics.kept() > 0)
    std::cerr << render_all(result.diagnostics, result.files, o.lang);
  if (!result.bundle) return kPolicyErrors;
  auto written = result.bundle->write_file(o.output);
  if (!written) {
    std::cerr << (o.lang == Lang::zh ? "错误：" : "error: ") << written.error().in(o.lang) << "\n";
    return kBadInput;
  }
  std::cout << o.output << ": " << result.bundle->rules.size()
            << (o.lang == Lang::zh ? " 条规则，" : " rules, ") << "bundle " << result.bundle->hash
            << "\n";
  return kDecided;
}

}  // namespace xy::cli
