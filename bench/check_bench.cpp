// xy_bench: Google Benchmark suite for decide(), JSON in/out, compile, bundle load and set sizes.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "generate.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/engine.h"

namespace {

using xy::bench::PolicySet;

const xy::Date kToday = *xy::Date::from_ymd(2026, 11, 26);
constexpr std::size_t kRequests = 256;

// A generated, compiled policy set with parsed requests; built once per (rules, members).
struct Fixture {
  PolicySet set;
  xy::Bundle bundle;
  std::vector<std::string> json;
  std::deque<xy::Request> requests;  // a deque: Request's move constructor is not noexcept
};

const Fixture& fixture(std::size_t rules, std::size_t members = 2) {
  static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[{rules, members}];
  if (slot) return *slot;
  auto f = std::make_unique<Fixture>();
  f->set = xy::bench::generate_policies(rules);
  f->bundle = xy::bench::compile_or_die(f->set);
  xy::bench::RequestOptions ro;
  ro.count = kRequests;
  ro.members = members;
  f->json = xy::bench::generate_requests(f->set, ro);
  for (const auto& text : f->json) {
    auto r = xy::parse_request(f->bundle, text, std::nullopt, kToday);
    if (!r) {
      std::cerr << "generated request rejected: " << r.error().message.en << "\n" << text << "\n";
      std::abort();
    }
    f->requests.push_back(std::move(*r));
  }
  slot = std::move(f);
  return *slot;
}

// decide() in process, reasons rendered; requests parsed once, outside the timed loop.
void BM_Check(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
  xy::Evaluator ev(f.bundle);
  xy::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    ev.decide(f.requests[i++ % f.requests.size()], d);
    benchmark::DoNotOptimize(d.outcome);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Check)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// The service path: parse the JSON request, decide, render the decision JSON.
void BM_JsonInOut(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
  xy::Evaluator ev(f.bundle);
  xy::Decision d;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& text = f.json[i++ % f.json.size()];
    auto r = xy::parse_request(f.bundle, text, std::nullopt, kToday);
    ev.decide(*r, d);
    std::string out = xy::decision_json(f.bundle, *r, d);
    benchmark::DoNotOptimize(out.data());
    bytes += text.size() + out.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_JsonInOut)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// Parse, check and lower the generated source text into a bundle.
void BM_Compile(benchmark::State& state) {
  PolicySet set = xy::bench::generate_policies(static_cast<std::size_t>(state.range(0)));
  xy::bench::compile_or_die(set);  // fail early, with diagnostics, if the text is invalid
  for (auto _ : state) {
    xy::CompileResult result = xy::compile_sources(set.files);
    benchmark::DoNotOptimize(result.bundle.has_value());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(set.bytes() * state.iterations()));
  state.counters["rules"] = static_cast<double>(set.rules);
}
BENCHMARK(BM_Compile)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// Load a serialised bundle (checks the hash and rebuilds the derived tables).
void BM_BundleLoad(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
  std::string bytes = f.bundle.serialize();
  for (auto _ : state) {
    auto loaded = xy::Bundle::deserialize(bytes);
    if (!loaded) {
      state.SkipWithError(loaded.error().en.c_str());
      break;
    }
    benchmark::DoNotOptimize(loaded->rules.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size() * state.iterations()));
}
BENCHMARK(BM_BundleLoad)->Arg(10000)->Unit(benchmark::kMillisecond);

// Request size: 100 rules, requests whose 成员 set holds 1..1000 records. Every action has an
// `any m in 成员: ...` rule that no member satisfies, so it visits the whole set.
void BM_SetSize_Check(benchmark::State& state) {
  const Fixture& f = fixture(100, static_cast<std::size_t>(state.range(0)));
  xy::Evaluator ev(f.bundle);
  xy::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    ev.decide(f.requests[i++ % f.requests.size()], d);
    benchmark::DoNotOptimize(d.outcome);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetSize_Check)->Arg(1)->Arg(10)->Arg(100)->Arg(1000);

void BM_SetSize_JsonInOut(benchmark::State& state) {
  const Fixture& f = fixture(100, static_cast<std::size_t>(state.range(0)));
  xy::Evaluator ev(f.bundle);
  xy::Decision d;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& text = f.json[i++ % f.json.size()];
    auto r = xy::parse_request(f.bundle, text, std::nullopt, kToday);
    ev.decide(*r, d);
    std::string out = xy::decision_json(f.bundle, *r, d);
    benchmark::DoNotOptimize(out.data());
    bytes += text.size() + out.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_SetSize_JsonInOut)->Arg(1)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
