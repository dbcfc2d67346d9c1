// The audit store: every decision kept in SQLite (WAL), hash-chained, with sensitive facts masked.
//
// When a decision counts as recorded: when the `commit()` that wrote it has returned true. Records
// are appended to an in-memory batch (`append`), and `commit()` writes the whole batch in one
// transaction; `xy check --audit` commits every `batch` decisions and at the end, and prints a
// decision (with its `audit_id`) only after the transaction holding it has committed.
#pragma once
#include <cstdint>
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

constexpr int kSchemaVersion = 1;

// One stored decision (the columns of `decisions`, docs/audit.md).
struct Record {
  std::int64_t seq = 0;
  std::string recorded_at, as_of, action, policy, outcome, bundle, request, decision, prev_hash,
      hash;
};

// The result of checking the whole chain.
struct Verification {
  bool intact = true;
  std::int64_t records = 0;
  std::int64_t first_bad = 0;  // the first record that is wrong (0: none)
  std::string problem;         // what is wrong with it
  std::string head;            // the last record's hash: note it down to anchor the chain
};

class Store {
 public:
  // Opens (creating if needed) the store at `path` and migrates its schema to kSchemaVersion.
  static Result<std::unique_ptr<Store>> open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Adds a decision to the pending batch and returns its number (the audit id). `request_json` is
  // the request as received; facts marked sensitive in the schema are masked before storing.
  std::int64_t append(const Bundle& bundle, const Request& request, std::string_view request_json,
                      const Decision& decision, std::string decision_json);
  std::size_t pending() const { return batch_.size(); }
  // Writes the pending batch in one transaction. True: every appended decision is recorded.
  Result<bool> commit();

  Result<std::vector<Record>> find(const SqlFilter& filter, std::int64_t limit = -1);
  Result<std::optional<Record>> get(std::int64_t seq);
  // The bundle a record was decided with (its sources let the view show policy text).
  Result<std::optional<std::string>> bundle_bytes(const std::string& hash);
  Verification verify();

  // The canonical hash of a record given its predecessor's hash (also used by `verify`).
  static std::string chain_hash(const Record& r);

 private:
  Store() = default;
  Result<bool> exec(const char* sql);

  sqlite3* db_ = nullptr;
  std::string mask_key_;
  std::int64_t next_seq_ = 1;
  std::string last_hash_;
  std::vector<Record> batch_;
  std::vector<std::pair<std::string, std::string>> new_bundles_;  // hash, bytes
  std::vector<std::string> known_bundles_;
  std::vector<std::vector<std::pair<std::string, std::string>>>
      batch_rules_;  // per record: rule, role
};

// Masks the facts marked sensitive in the action's schema: `{"masked": "41**…**12", "hmac": "…"}`.
std::string mask_request(const Bundle& bundle, std::uint32_t action, std::string_view request_json,
                         const std::string& key);

}  // namespace xy::audit
