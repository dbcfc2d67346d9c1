// A small RAII wrapper for prepared SQLite statements (private to the audit module).
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "xiangyue/common/result.h"

namespace xy::audit {

// Runs SQL that returns no rows; the failure carries SQLite's message.
inline Result<bool> exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return Result<bool>::failure(m);
  }
  return true;
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return ok_; }
  bool failed() const { return failed_; }
  bool bind(int i, const std::string& v) {
    return ok_ && sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                                    SQLITE_TRANSIENT) == SQLITE_OK;
  }
  bool bind(int i, std::int64_t v) { return ok_ && sqlite3_bind_int64(stmt_, i, v) == SQLITE_OK; }
  bool bind_blob(int i, const std::string& v) {
    return ok_ && sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()),
                                    SQLITE_TRANSIENT) == SQLITE_OK;
  }
  bool reset() {
    return ok_ && sqlite3_reset(stmt_) == SQLITE_OK && sqlite3_clear_bindings(stmt_) == SQLITE_OK;
  }
  // Runs a statement that returns no rows.
  bool run() { return ok_ && sqlite3_step(stmt_) == SQLITE_DONE; }
  // Advances to the next row: true on a row, false at the end or on an error (then failed()).
  bool step() {
    if (!ok_) return false;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) failed_ = true;
    return false;
  }
  std::int64_t int64(int c) const { return sqlite3_column_int64(stmt_, c); }
  std::string text(int c) const {
    const unsigned char* t = sqlite3_column_text(stmt_, c);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string();
  }
  std::string blob(int c) const {
    const void* b = sqlite3_column_blob(stmt_, c);
    return b ? std::string(static_cast<const char*>(b),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
  bool failed_ = false;
};

}  // namespace xy::audit
