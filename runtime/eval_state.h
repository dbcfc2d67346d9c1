// Evaluator state shared by the evaluation and combining files (private to the runtime).
#pragma once
#include <array>
#include <deque>
#include <vector>

#include "xiangyue/runtime/engine.h"

namespace xy {

constexpr std::uint8_t kFalse = 0, kTrue = 1, kUnknown = 2;

struct Miss {
  std::uint32_t path;
  std::uint32_t problem;
};

struct Evaluator::State {
  const Bundle& b;
  const Request* req = nullptr;
  std::array<Value, 64> slots{};
  std::vector<Miss> misses;  // facts found missing while evaluating the current rule
  std::vector<std::uint8_t>
      status;  // per rule: condition held (kFalse/kTrue/kUnknown), this decision
  std::deque<std::vector<Value>> scratch;  // set literals materialised during this decision

  explicit State(const Bundle& bundle) : b(bundle), status(bundle.rules.size(), kFalse) {}

  Value eval(std::uint32_t n);
  Value compare(const ir::Node& n, const Value& l, const Value& r) const;
  Value arith(const ir::Node& n, const Value& l, const Value& r) const;
  Value quantify(const ir::Node& n);
};

}  // namespace xy
