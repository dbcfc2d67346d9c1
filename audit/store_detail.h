// What the store's parts share (private to the audit module): reading records and meta values,
// the hash of a recovery, the hash at a point of the chain.
#pragma once
#include <sqlite3.h>

#include <optional>
#include <string>

#include "statement.h"
#include "xiangyue/audit/store.h"

namespace xy::audit {

inline const std::string kZeroHash(64, '0');
extern const char* const kColumns;  // the columns read_record reads, of `decisions d`
Record read_record(Statement& s);

inline std::optional<std::string> meta_value(sqlite3* db, const char* key) {
  Statement s(db, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, std::string(key));
  if (s.step()) return s.text(0);
  return std::nullopt;
}

inline bool has_table(sqlite3* db, const char* name) {
  Statement s(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?");
  s.bind(1, std::string(name));
  return s.step() && s.int64(0) > 0;
}

// One recorded recovery: records after_seq+1 … lost_to are gone; the chain resumes after lost_to
// from `hash`, which follows the record after_seq (`prev_hash`).
struct Recovery {
  std::int64_t after_seq = 0, lost_to = 0;
  std::string at, reason, prev_hash, hash;
};
std::string recovery_hash(const Recovery& r);

// The hash of the chain at `seq` (a record, or a recovery ending there; 64 zeros at 0).
std::optional<std::string> chain_point(sqlite3* db, std::int64_t seq);

}  // namespace xy::audit
