// Rendering the service's counters in the Prometheus text format (version 0.0.4).
#include "metrics.h"

#include <cstdio>

#include "xiangyue/runtime/engine.h"

namespace xy::server {

const char* endpoint_name(Endpoint e) {
  static constexpr const char* kNames[] = {"check",         "check_batch", "review", "decision",
                                           "decision_html", "decisions",   "health", "metrics",
                                           "reload",        "other"};
  return kNames[static_cast<std::size_t>(e)];
}

void Metrics::request(Endpoint e, unsigned status, double seconds) {
  std::size_t s = kStatuses.size() - 1;  // "other"
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i)
    if (kStatuses[i] == status) s = i;
  requests_[static_cast<std::size_t>(e)][s].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::render(std::int64_t audit_queue, std::int64_t audit_recorded) const {
  std::string out;
  char line[256];
  out += "# HELP xy_requests_total HTTP requests by endpoint and status.\n";
  out += "# TYPE xy_requests_total counter\n";
  for (std::size_t e = 0; e < requests_.size(); ++e)
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      auto n = requests_[e][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string status = kStatuses[s] ? std::to_string(kStatuses[s]) : "other";
      std::snprintf(line, sizeof line, "xy_requests_total{endpoint=\"%s\",status=\"%s\"} %llu\n",
                    endpoint_name(static_cast<Endpoint>(e)), status.c_str(),
                    static_cast<unsigned long long>(n));
      out += line;
    }
  out += "# HELP xy_decisions_total Decisions made, by outcome.\n";
  out += "# TYPE xy_decisions_total counter\n";
  for (std::size_t o = 0; o <= static_cast<std::size_t>(ir::Outcome::Pass); ++o) {
    std::snprintf(line, sizeof line, "xy_decisions_total{outcome=\"%s\"} %llu\n",
                  outcome_name(static_cast<ir::Outcome>(o)),
                  static_cast<unsigned long long>(decisions_[o].load(std::memory_order_relaxed)));
    out += line;
  }
  out += "# HELP xy_request_duration_seconds Time from a request read to its response ready.\n";
  out += "# TYPE xy_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    if (b < kBuckets.size())
      std::snprintf(line, sizeof line, "xy_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                    kBuckets[b], static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(line, sizeof line, "xy_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line,
                "xy_request_duration_seconds_sum %.6f\nxy_request_duration_seconds_count %llu\n",
                static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6,
                static_cast<unsigned long long>(count_.load(std::memory_order_relaxed)));
  out += line;
  out += "# HELP xy_reloads_total Policy reloads, by result.\n# TYPE xy_reloads_total counter\n";
  out += "xy_reloads_total{result=\"ok\"} " + std::to_string(reloads_ok_.load()) + "\n";
  out += "xy_reloads_total{result=\"failed\"} " + std::to_string(reloads_failed_.load()) + "\n";
  out += "# HELP xy_audit_queue Decisions waiting to be recorded.\n# TYPE xy_audit_queue gauge\n";
  out += "xy_audit_queue " + std::to_string(audit_queue) + "\n";
  out += "# HELP xy_audit_recorded_total The last recorded decision's number.\n";
  out += "# TYPE xy_audit_recorded_total counter\n";
  out += "xy_audit_recorded_total " + std::to_string(audit_recorded) + "\n";
  return out;
}

}  // namespace xy::server
