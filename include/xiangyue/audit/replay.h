// Replay: the requests recorded in an audit store decided again under other policies, each as of
// the date it was decided, and every decision that would change (`xy replay`, docs/analysis.md).
#pragma once
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "xiangyue/audit/store.h"
#include "xiangyue/common/date.h"
#include "xiangyue/runtime/engine.h"

namespace xy::audit {

// A rule a decision names as deciding it (a reason), with its citation and where it stands.
struct ReplayRule {
  std::string rule, effect, text;
  std::string cite, quote;  // the citation, and the cited text when the law text was available
  std::string file;
  std::int64_t line = 0, column = 0;
};

// A fact a decision needed and did not have (or could not use).
struct ReplayMissing {
  std::string fact, problem;  // problem: missing | invalid
  std::vector<std::string> rules;
};

// One side of a comparison: the outcome (wire name) and the rules that decided it.
struct ReplaySide {
  std::string outcome;
  bool by_default = false;  // no rule applied: the policy's default decided
  std::vector<ReplayRule> rules;
  std::vector<ReplayMissing> missing;
};
// A decision JSON (as stored, or as the runtime writes it) read as a side; nullopt when it is not
// one.
std::optional<ReplaySide> replay_side(std::string_view decision_json);
// Whether `rule` (its id and effect) is among the side's deciding rules.
bool decides(const ReplaySide& side, const ReplayRule& rule);

// Which record it is.
struct ReplayRecord {
  std::int64_t id = 0;
  std::string action, policy, as_of, bundle;  // as recorded (bundle: the hash that decided it)
};

// A decision that changes: the outcome, or the deciding rules and their effects, differ.
struct ReplayChange {
  ReplayRecord record;
  ReplaySide before, after;
};

// Why a recorded request is not decided again.
enum class NoReplay : std::uint8_t {
  MaskedFactsRead,  // the new rules read a fact that the store keeps masked: its value is unknown
  NoPolicy,         // the new policies have no policy of that name in force deciding the action
  DoesNotFit,       // the runtime refuses the request under the new schema
  Unreadable,       // the record's request, decision or date cannot be read
};
const char* no_replay_name(NoReplay why);  // masked_facts_read, no_policy, does_not_fit, unreadable
Localized no_replay_label(NoReplay why);   // in words, before the detail

// A masked fact and the new rules that read it.
struct MaskedRead {
  std::string path;
  std::vector<std::string> rules;
};

struct ReplaySkip {
  ReplayRecord record;
  std::string outcome;  // as recorded
  NoReplay why = NoReplay::Unreadable;
  Localized detail;                // the paths read, the runtime's message …
  std::vector<MaskedRead> masked;  // MaskedFactsRead
  std::vector<FactProblem> facts;  // DoesNotFit: each fact that does not fit, when it is facts
};

struct ReplayUnchanged {};
using Replayed = std::variant<ReplayUnchanged, ReplayChange, ReplaySkip>;

// Decides recorded requests again under one bundle. Not thread-safe (one evaluator).
class Replayer {
 public:
  // `as_of`: decide every record as of this date instead of the date it was decided as of.
  explicit Replayer(const Bundle& bundle, std::optional<Date> as_of = std::nullopt);
  Replayer(Bundle&&, std::optional<Date> = std::nullopt) = delete;  // it keeps a reference
  Replayed replay(const Record& record);

 private:
  // The fact paths rule `rule` reads (rule_reads), found once per rule.
  const std::vector<std::string>& reads(std::uint32_t rule);

  const Bundle& bundle_;
  std::optional<Date> as_of_;
  Evaluator evaluator_;
  std::unordered_map<std::uint32_t, std::vector<std::string>> reads_;
};

// A rule (with an effect) that newly decides, or no longer decides, some records: a rule whose
// effect changed stops deciding with the old effect and newly decides with the new one.
struct RuleShift {
  std::string policy, rule, effect, cite;
  std::vector<std::int64_t> newly, stopped;  // record ids
};

// How many changed records went from one outcome to another.
struct OutcomeShift {
  std::string before, after;
  std::int64_t count = 0;
};

struct ReplayReport {
  // Named as the caller gives them: the store, the new policies (paths or bundle file), the filter
  // (empty: every record), and the date that overrides each record's (empty: none).
  std::string store, policies, filter, as_of;
  std::string bundle;  // the new bundle's hash
  std::int64_t read = 0, unchanged = 0;
  std::vector<ReplayChange> changed;   // in record order
  std::vector<ReplaySkip> skipped;     // in record order
  std::vector<RuleShift> rules;        // by finish(): by policy, then rule id
  std::vector<OutcomeShift> outcomes;  // by finish(): most records first

  std::int64_t replayed() const { return unchanged + static_cast<std::int64_t>(changed.size()); }
  void add(Replayed r);
  void finish();  // groups the changes by rule and by outcome
};

// Replays every record `filter` selects, in order, into `report` (finished).
Result<bool, Localized> replay_store(Store& store, const SqlFilter& filter, Replayer& replayer,
                                     ReplayReport& report);

// The report for people (text, in one language), for programs (JSON, documented in
// docs/analysis.md; human text in `lang`) and for reviewers (a self-contained HTML page).
std::string replay_text(const ReplayReport& report, Lang lang);
boost::json::object replay_json(const ReplayReport& report, Lang lang);
std::string replay_html(const ReplayReport& report, Lang lang);

}  // namespace xy::audit
