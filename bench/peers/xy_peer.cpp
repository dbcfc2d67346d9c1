// xy_peer: the xiangyue side of the Cedar comparison (bench/peers/run). Compiles a generated policy
// set, decides every request once (the decisions the driver compares with Cedar's), then times
// JSON-in/JSON-out decisions (request text -> parse_request -> decide -> decision_json text) and
// in-process decisions (decide on a pre-parsed request, with reasons), and writes all of it as
// JSON.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../timing.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/engine.h"

namespace {

namespace json = boost::json;
using namespace xy::bench;  // Clock, elapsed_ns, summarize, clock_overhead_ns

const char* const kUsage =
    "usage: xy_peer POLICY_DIR REQUESTS.jsonl OUT.json [--warmup N] [--json-iterations N]\n"
    "               [--decide-iterations N]\n"
    "  Compiles POLICY_DIR, decides each request of REQUESTS.jsonl (one JSON request a line),\n"
    "  times JSON-in/JSON-out and in-process decisions and writes decisions and timings to\n"
    "  OUT.json.\n";

struct Options {
  std::string policies, requests, out;
  std::size_t warmup = 20000;
  std::size_t json_iterations = 100000;
  std::size_t decide_iterations = 200000;
};

// Parses a positive count; false when `text` is not one.
bool parse_count(const std::string& text, std::size_t& out) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  out = std::stoul(text);
  return out > 0;
}

bool parse_options(int argc, char** argv, Options& o) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::size_t* count = nullptr;
    if (a == "--warmup") count = &o.warmup;
    if (a == "--json-iterations") count = &o.json_iterations;
    if (a == "--decide-iterations") count = &o.decide_iterations;
    if (count) {
      if (i + 1 >= argc || !parse_count(argv[i + 1], *count)) {
        std::fprintf(stderr, "xy_peer: %s needs a positive count\n", a.c_str());
        return false;
      }
      ++i;
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "xy_peer: unknown option %s\n", a.c_str());
      return false;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 3) {
    std::fprintf(stderr, "xy_peer: expected 3 paths, got %zu\n", positional.size());
    return false;
  }
  o.policies = positional[0];
  o.requests = positional[1];
  o.out = positional[2];
  return true;
}

json::object stats_json(const Stats& s) {
  return {{"n", s.n},        {"p50_ns", s.p50},   {"p90_ns", s.p90},
          {"p99_ns", s.p99}, {"p999_ns", s.p999}, {"mean_ns", s.mean}};
}

const xy::Date kToday = *xy::Date::from_ymd(2026, 11, 26);

// Requests one a line; blank lines are skipped. Returns false (with a message) on a read error.
bool read_lines(const std::string& path, std::vector<std::string>& lines,
                std::vector<std::size_t>& line_numbers) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "xy_peer: cannot read %s\n", path.c_str());
    return false;
  }
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    lines.push_back(line);
    line_numbers.push_back(number);
  }
  if (in.bad()) {
    std::fprintf(stderr, "xy_peer: error reading %s\n", path.c_str());
    return false;
  }
  if (lines.empty()) {
    std::fprintf(stderr, "xy_peer: %s holds no request\n", path.c_str());
    return false;
  }
  return true;
}

int run(const Options& o) {
  // Opened first, so a bad output path fails before the measurement rather than after it.
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  if (!file) {
    std::fprintf(stderr, "xy_peer: cannot write %s\n", o.out.c_str());
    return 2;
  }
  auto c0 = Clock::now();
  xy::CompileResult compiled = xy::compile_paths({o.policies});
  auto c1 = Clock::now();
  if (!compiled.bundle) {
    std::cerr << "xy_peer: " << o.policies << " does not compile:\n"
              << xy::render_all(compiled.diagnostics, compiled.files, xy::Lang::en);
    return 1;
  }
  const xy::Bundle& bundle = *compiled.bundle;

  std::vector<std::string> texts;
  std::vector<std::size_t> line_numbers;
  if (!read_lines(o.requests, texts, line_numbers)) return 2;

  // A deque: Request is move-only and holds deques of its own.
  std::deque<xy::Request> requests;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto r = xy::parse_request(bundle, texts[i], std::nullopt, kToday);
    if (!r) {
      std::fprintf(stderr, "xy_peer: %s:%zu: bad request: %s\n", o.requests.c_str(),
                   line_numbers[i], r.error().message.en.c_str());
      return 2;
    }
    requests.push_back(std::move(*r));
  }

  xy::Evaluator ev(bundle);
  xy::Decision d;

  // The decisions, once each, for the driver to compare with Cedar's.
  json::array decisions;
  for (const auto& r : requests) {
    ev.decide(r, d);
    json::array rules;
    for (const auto& reason : d.reasons) rules.push_back(json::value(bundle.rules[reason.rule].id));
    decisions.push_back(json::object{{"outcome", xy::outcome_name(d.outcome)},
                                     {"by_default", d.by_default},
                                     {"rules", std::move(rules)}});
  }

  double overhead = clock_overhead_ns();

  // JSON in, JSON out: what a caller that speaks JSON pays per decision.
  std::size_t sink = 0;
  auto json_once = [&](const std::string& text) -> bool {
    auto r = xy::parse_request(bundle, text, std::nullopt, kToday);
    if (!r) return false;
    ev.decide(*r, d);
    sink += xy::decision_json(bundle, *r, d).size();
    return true;
  };
  for (std::size_t i = 0; i < o.warmup; ++i) json_once(texts[i % texts.size()]);
  std::vector<double> ns(o.json_iterations);
  for (std::size_t i = 0; i < o.json_iterations; ++i) {
    const std::string& text = texts[i % texts.size()];
    auto t0 = Clock::now();
    bool ok = json_once(text);
    auto t1 = Clock::now();
    if (!ok) {
      std::fprintf(stderr, "xy_peer: request %zu failed while timing\n", i % texts.size());
      return 1;
    }
    ns[i] = elapsed_ns(t0, t1);
  }
  Stats json_io = summarize(std::move(ns));

  // In-process: decide on pre-parsed requests, reasons included.
  for (std::size_t i = 0; i < o.warmup; ++i) ev.decide(requests[i % requests.size()], d);
  ns.assign(o.decide_iterations, 0);
  for (std::size_t i = 0; i < o.decide_iterations; ++i) {
    const xy::Request& r = requests[i % requests.size()];
    auto t0 = Clock::now();
    ev.decide(r, d);
    auto t1 = Clock::now();
    sink += d.reasons.size();
    ns[i] = elapsed_ns(t0, t1);
  }
  Stats in_process = summarize(std::move(ns));

  json::object out{
      {"rules", bundle.rules.size()},
      {"policies", bundle.policies.size()},
      {"actions", bundle.actions.size()},
      {"requests", requests.size()},
      {"compile_ms", elapsed_ns(c0, c1) / 1e6},
      {"clock_overhead_ns", overhead},
      {"warmup", o.warmup},
      {"json_io", stats_json(json_io)},
      {"in_process", stats_json(in_process)},
      {"sink", sink},
      {"decisions", std::move(decisions)},
  };
  file << json::serialize(out) << "\n";
  file.close();
  if (!file) {
    std::fprintf(stderr, "xy_peer: cannot write %s\n", o.out.c_str());
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xy_peer: %s\n", e.what());
    return 1;
  }
}
