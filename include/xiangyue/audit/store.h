// The audit store: every decision kept in SQLite (WAL), hash-chained, with sensitive facts masked,
// the chain's head anchored outside the database by signed checkpoints (DB.anchors).
//
// When a decision counts as recorded: when the SQLite transaction holding it has committed, which
// `wait(id)` (or `commit()`) reports by returning true. `append` masks and chains a decision on the
// caller's thread and queues it; one writer thread per store writes whatever is queued in one
// transaction (group commit), so many callers share each fsync. `xy check --audit` and the server
// print or send a decision (with its `audit_id`) only after it is recorded.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/audit/filter.h"
#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"
#include "xiangyue/runtime/engine.h"

struct sqlite3;

namespace xy::audit {

constexpr int kSchemaVersion = 3;

// One stored decision (the columns of `decisions`, docs/audit.md).
struct Record {
  std::int64_t seq = 0;
  std::string recorded_at, as_of, action, policy, outcome, bundle, request, decision, prev_hash,
      hash;
  // The rule ids of the decision's reasons and overridden rules, sorted, each set off by spaces
  // (" A1 A7 "; "" when none): a search column derived from `decision`, checked by `verify`.
  std::string rules, overridden;
};

// The search columns for a decision JSON (as stored in `decision`); nullopt when it is not one.
std::optional<std::pair<std::string, std::string>> rule_columns(std::string_view decision_json);

// Records lost for good and acknowledged by an operator's `xy audit recover` (docs/audit.md).
struct Loss {
  std::int64_t from = 0, to = 0;  // the record numbers lost
  std::string at, reason;
};

// The result of checking the whole chain against itself and against the signed checkpoints.
struct Verification {
  bool intact = true;
  std::int64_t records = 0;
  std::int64_t first_bad = 0;  // the first record that is wrong (0: none)
  Localized problem;           // what is wrong with it
  std::int64_t missing = 0;    // records known to be missing (the tail a checkpoint anchors)
  std::string head;            // the chain's head hash: note it down to anchor the chain
  std::int64_t head_seq = 0;   // and its number
  std::vector<Loss> recovered;
  std::int64_t checkpoints = 0, anchored_through = 0;
  std::string key;                  // the public key the checkpoints are signed with
  std::vector<Localized> warnings;  // e.g. a store from before checkpoints
  // Receipts (--receipts): checked, present and unchanged, and the problems found.
  std::int64_t receipts = 0, receipts_ok = 0;
  std::vector<Localized> receipt_problems;
};

// What "recorded" survives (docs/audit.md). Machine: each transaction is fsynced before it counts
// (survives a power loss). Process: each transaction is in the operating system's hands before it
// counts (survives the process being killed, not a power loss or kernel crash); the log is fsynced
// at checkpoints. Process is several times faster on disks with slow fsync.
enum class Durability { Machine, Process };

struct StoreOptions {
  Durability durability = Durability::Machine;
  // A signed checkpoint of the chain's head is appended to DB.anchors after this many records or
  // this long (whichever comes first, when anything was recorded), and when the store closes.
  std::int64_t anchor_every = 10000;
  std::chrono::milliseconds anchor_interval{1000};
  // How often a failed writer tries again (disk full, I/O error).
  std::chrono::milliseconds retry_interval{1000};
  // Called on the writer's thread when recording starts failing (false, why) and when it works
  // again (true, ""): for logging once per episode.
  std::function<void(bool ok, const Localized& why)> on_state;
};

// What the store is doing now (the service's health).
struct StoreHealth {
  bool ok = true;
  Localized error;    // when not ok: why
  std::string since;  // and since when (UTC)
  std::int64_t recorded = 0, queued = 0, anchored = 0;
  std::int64_t not_recorded = 0;  // decisions refused or failed since the store was opened
};

// The proof a decision was recorded: its number and its chain hash.
struct Receipt {
  std::int64_t id = 0;  // 0: not queued, the store is failing (wait/when_recorded say why)
  std::string hash;
  std::int64_t epoch = 0;  // the writer's failure count when queued (a later failure voids it)
};

// Limits for a read (the service's searches): a deadline after which it stops with an error.
struct ReadLimits {
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

class Store {
 public:
  // Opens the store at `path` for writing (creating it if needed, migrating its schema to
  // kSchemaVersion), takes the one-writer lock on DB.anchors and makes the signing key DB.key on
  // first use. Refused if another process writes the store, or if the store ends before its last
  // signed checkpoint (records were lost: `xy audit recover`).
  static Result<std::unique_ptr<Store>, Localized> open(const std::string& path,
                                                        StoreOptions options = {});
  // Opens an existing store for reading only: never creates, migrates, checkpoints or writes.
  static Result<std::unique_ptr<Store>, Localized> open_read(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Queues a decision for recording and returns its number (the audit id) and chain hash.
  // `request_json` is the request as received; facts marked sensitive in the schema are masked
  // before storing. Safe to call from many threads; blocks while the queue is full (kMaxQueued).
  // While the store is failing nothing is queued: the receipt's id is 0.
  Receipt append(const Bundle& bundle, const Request& request, std::string_view request_json,
                 const Decision& decision, std::string decision_json);
  // Waits until the decision is recorded. False (with why) if the store failed to record it.
  Result<bool, Localized> wait(const Receipt& receipt);
  // Calls `done` once the decision is recorded (true) or cannot be (the failure): at once on this
  // thread if that is already known, else on the writer's thread, which `done` must not block.
  void when_recorded(const Receipt& receipt, std::function<void(Result<bool, Localized>)> done);
  // Waits until every decision appended so far is recorded.
  Result<bool, Localized> commit();
  // Decisions appended but not yet recorded (the audit queue).
  std::size_t pending() const;
  // The number of the last recorded decision.
  std::int64_t recorded_through() const;
  StoreHealth health() const;
  static constexpr std::size_t kMaxQueued = 65536;

  Result<std::vector<Record>, Localized> find(const SqlFilter& filter, std::int64_t limit = -1,
                                              ReadLimits limits = {});
  // Calls `row` for each matching record in order, one at a time (export streams); stops early
  // when `row` returns false.
  Result<bool, Localized> each(const SqlFilter& filter, std::int64_t limit,
                               const std::function<bool(const Record&)>& row,
                               ReadLimits limits = {});
  Result<std::optional<Record>, Localized> get(std::int64_t seq);
  // The bundle a record was decided with (its sources let the view show policy text).
  Result<std::optional<std::string>, Localized> bundle_bytes(const std::string& hash);
  // Checks the chain, the signed checkpoints in DB.anchors (signed by `public_key` when given, else
  // by the key the file names) and, when given, each receipt (JSON Lines of answers carrying
  // `audit_id` and `audit_hash`, or {"decisions": [...]} batch answers).
  Verification verify(const std::string& public_key = {}, const std::string& receipts = {});

  // The canonical hash of a record given its predecessor's hash (also used by `verify`).
  static std::string chain_hash(const Record& r);
  // The public half of the store's signing key (hex), from DB.key.
  static Result<std::string, Localized> public_key(const std::string& path);
  // After a loss that verify reports (the store ends before its last checkpoint), records the loss
  // and resumes the chain after every number that may have been handed out. Prints nothing;
  // returns what it did, in words.
  static Result<Localized, Localized> recover(const std::string& path, const std::string& reason);

  const std::string& path() const { return path_; }

 private:
  class Writer;    // the writer thread and its queue (writer.cpp)
  struct Readers;  // a pool of read connections
  Store();
  Result<bool, Localized> migrate(const std::string& path, int version);

  std::string path_;
  sqlite3* db_ = nullptr;  // for opening and migrating
  std::unique_ptr<Readers> readers_;
  std::string mask_key_;
  std::unique_ptr<Writer> writer_;
};

// Masks the facts marked sensitive in the action's schema: `{"masked": "41**…**12", "hmac": "…"}`.
std::string mask_request(const Bundle& bundle, std::uint32_t action, std::string_view request_json,
                         const std::string& key);

}  // namespace xy::audit
