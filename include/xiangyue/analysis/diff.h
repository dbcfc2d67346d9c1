// `xy diff`: how a new version of a policy set decides differently from the old one, per action
// and policy: equivalent, more permissive, less permissive or incomparable, with example requests
// on which the two decide differently, each decided by both runtimes before it is shown.
#pragma once
#include <string>
#include <vector>

#include "xiangyue/analysis/encoding.h"

namespace xy::analysis {

struct DiffSide {
  std::string outcome;                        // the runtime's, wire name
  std::vector<std::string> rules, citations;  // the deciding rules and what they cite
};

struct DiffExample {
  std::string request;  // JSON
  DiffSide before, after;
};

struct DiffEntry {
  std::string action, policy;
  // equivalent | more_permissive | less_permissive | incomparable (decisions differ both ways) |
  // only_old | only_new (the policy decides the action on one side only, or is in force on the
  // dates compared on one side only) | facts_changed (the action's facts are declared
  // differently: not compared) | kind_changed (check ↔ review: not compared) | not_in_force (on
  // neither side on the dates compared) | no_common_date (both in force, never on one date) |
  // undecided (the solver gave up)
  std::string verdict;
  bool review = false;  // outcomes of a review: more permissive is milder
  std::vector<DiffExample> examples;
};

struct DiffReport {
  std::vector<DiffEntry> entries;
  std::vector<std::string> disagreements;  // the solver and a runtime disagreed: a bug
  unsigned set_bound = 3;
};

DiffReport diff(const checked::Program& old_program, const Bundle& old_bundle,
                const checked::Program& new_program, const Bundle& new_bundle,
                const Options& old_options, const Options& new_options);

}  // namespace xy::analysis
