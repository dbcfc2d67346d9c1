// Prometheus metrics of the service: requests by endpoint and status, decisions by outcome, a
// latency histogram, reloads, and the audit queue. Lock-free counters, rendered on demand.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "xiangyue/runtime/bundle.h"

namespace xy::server {

enum class Endpoint : std::uint8_t {
  Check,
  Batch,
  Review,
  Decision,
  DecisionHtml,
  Decisions,
  Health,
  Metrics,
  Reload,
  Other,
  Count
};
const char* endpoint_name(Endpoint e);

class Metrics {
 public:
  void request(Endpoint e, unsigned status, double seconds);
  void decision(ir::Outcome o) { decisions_[static_cast<std::size_t>(o)].fetch_add(1); }
  void reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1); }
  std::string render(std::int64_t audit_queue, std::int64_t audit_recorded) const;

  static constexpr std::array<unsigned, 12> kStatuses = {200, 400, 401, 403, 404, 405,
                                                         408, 413, 422, 500, 503, 0};
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    1.0};

 private:
  using Counter = std::atomic<std::uint64_t>;
  std::array<std::array<Counter, kStatuses.size()>, static_cast<std::size_t>(Endpoint::Count)>
      requests_{};
  std::array<Counter, kBuckets.size() + 1> buckets_{};  // the last one: +Inf
  Counter count_{0}, sum_us_{0};
  std::array<Counter, 8> decisions_{};
  Counter reloads_ok_{0}, reloads_failed_{0};
};

}  // namespace xy::server
