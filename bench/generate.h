// Seeded, deterministic generator of realistic policy sets and matching requests for benchmarks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::bench {

// A small deterministic PRNG (splitmix64), so generated text is identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

// The lists one group of actions refers to (item names only; attributes stay in the text).
struct ListGroup {
  std::vector<std::string> duties;  // 履职清单G: permitted when the body is at least 乡镇
  std::vector<std::string> assists;  // 协助清单G (上限: 金额): permitted with funding transferred
  std::vector<std::string> negative;  // 负面清单G (序号: 整数): forbidden certificates
};

struct GeneratedAction {
  std::string name;
  std::size_t group = 0;  // index into PolicySet::groups
  std::size_t rules = 0;  // how many rules name this action
};

struct PolicySet {
  std::vector<SourceFile> files;  // schema.xy (schema and lists), then one file per policy
  std::vector<GeneratedAction> actions;
  std::vector<ListGroup> groups;
  std::size_t rules = 0;
  std::size_t policies = 0;
  std::size_t bytes() const;  // total source size
};

// About ten rules per action, a hundred actions per policy, ten actions per list group. Every
// action's rules mix permit/forbid, list membership, comparisons on numbers, enums and dates,
// an exception, an `any` quantifier over the action's 成员 set, a list attribute, a set literal,
// reason templates with placeholders and citations.
PolicySet generate_policies(std::size_t rules, std::uint64_t seed = 20261126);

struct RequestOptions {
  std::size_t count = 64;   // how many requests (spread over random actions)
  std::size_t members = 2;  // size of each request's 成员 set (all adults with no record)
  std::uint64_t seed = 7;
  std::string as_of = "2024-05-01";
};

// JSON requests for random actions of `set`, each built to make only one or two rules apply
// (permit by a duty list, deny by the negative list, permit of an assisting item, deny of an
// unlisted item, or permit of an unlisted item through an exception).
std::vector<std::string> generate_requests(const PolicySet& set, const RequestOptions& options);

// Compiles the set; on errors prints the rendered diagnostics to stderr and aborts.
Bundle compile_or_die(const PolicySet& set);

}  // namespace xy::bench
