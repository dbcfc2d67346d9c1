// The audit store: every decision kept in SQLite (WAL), hash-chained, with sensitive facts masked.
//
// When a decision counts as recorded: when the SQLite transaction holding it has committed, which
// `wait(id)` (or `commit()`) reports by returning true. `append` masks and chains a decision on the
// caller's thread and queues it; one writer thread per store writes whatever is queued in one
// transaction (group commit), so many callers share each fsync. `xy check --audit` and the server
// print or send a decision (with its `audit_id`) only after it is recorded.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/audit/filter.h"
#include "xiangyue/common/result.h"
#include "xiangyue/runtime/engine.h"

struct sqlite3;

namespace xy::audit {

constexpr int kSchemaVersion = 2;

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

// The result of checking the whole chain.
struct Verification {
  bool intact = true;
  std::int64_t records = 0;
  std::int64_t first_bad = 0;  // the first record that is wrong (0: none)
  std::string problem;         // what is wrong with it
  std::string head;            // the last record's hash: note it down to anchor the chain
};

// What "recorded" survives (docs/audit.md). Machine: each transaction is fsynced before it counts
// (survives a power loss). Process: each transaction is in the operating system's hands before it
// counts (survives the process being killed, not a power loss or kernel crash); the log is fsynced
// at checkpoints. Process is several times faster on disks with slow fsync.
enum class Durability { Machine, Process };

class Store {
 public:
  // Opens (creating if needed) the store at `path` and migrates its schema to kSchemaVersion.
  static Result<std::unique_ptr<Store>> open(const std::string& path,
                                             Durability durability = Durability::Machine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Queues a decision for recording and returns its number (the audit id). `request_json` is the
  // request as received; facts marked sensitive in the schema are masked before storing. Safe to
  // call from many threads; blocks while the queue is full (kMaxQueued).
  std::int64_t append(const Bundle& bundle, const Request& request, std::string_view request_json,
                      const Decision& decision, std::string decision_json);
  // Waits until decision `id` is recorded. False (with why) if the store failed to record it.
  Result<bool> wait(std::int64_t id);
  // Calls `done` once decision `id` is recorded (true) or cannot be (the failure): at once on this
  // thread if that is already known, else on the writer's thread, which `done` must not block.
  void when_recorded(std::int64_t id, std::function<void(Result<bool>)> done);
  // Waits until every decision appended so far is recorded.
  Result<bool> commit();
  // Decisions appended but not yet recorded (the audit queue).
  std::size_t pending() const;
  // The number of the last recorded decision.
  std::int64_t recorded_through() const;
  static constexpr std::size_t kMaxQueued = 65536;

  Result<std::vector<Record>> find(const SqlFilter& filter, std::int64_t limit = -1);
  Result<std::optional<Record>> get(std::int64_t seq);
  // The bundle a record was decided with (its sources let the view show policy text).
  Result<std::optional<std::string>> bundle_bytes(const std::string& hash);
  Verification verify();

  // The canonical hash of a record given its predecessor's hash (also used by `verify`).
  static std::string chain_hash(const Record& r);

 private:
  class Writer;  // the writer thread and its queue (writer.cpp)
  Store();
  Result<bool> migrate(const std::string& path, int version);

  sqlite3* db_ = nullptr;  // for reading and migrating; the writer has its own connection
  std::string mask_key_;
  std::unique_ptr<Writer> writer_;
};

// Masks the facts marked sensitive in the action's schema: `{"masked": "41**…**12", "hmac": "…"}`.
std::string mask_request(const Bundle& bundle, std::uint32_t action, std::string_view request_json,
                         const std::string& key);

}  // namespace xy::audit
