// A background checkpoint pass (PASSIVE: it never blocks the writer) on a second connection.
#include "checkpointer.h"

#include <sqlite3.h>

#include "statement.h"
#include "words.h"

namespace xy::audit {

Result<std::unique_ptr<Checkpointer>, Localized> Checkpointer::open(const std::string& path,
                                                                    bool full_sync) {
  using R = Result<std::unique_ptr<Checkpointer>, Localized>;
  std::unique_ptr<Checkpointer> c(new Checkpointer());
  if (sqlite3_open_v2(path.c_str(), &c->db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return R::failure({"cannot open the audit store `" + path + "` for checkpoints",
                       "无法打开审计存储 `" + path + "` 以整理日志文件"});
  sqlite3_busy_timeout(c->db_, 10000);
  // The checkpoint's fsync of the database file follows the store's durability setting.
  if (auto r = exec(c->db_, full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      !r)
    return R::failure(Localized{"cannot set up `" + path + "` for checkpoints: ",
                                "无法为整理日志文件设置 `" + path + "`："} +
                      same(r.error()));
  return c;
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  sqlite3_close_v2(db_);
}

void Checkpointer::request() {
  {
    std::lock_guard l(mu_);
    if (busy_ || wanted_ || finished_) return;
    wanted_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  cv_.notify_all();
}

std::optional<int> Checkpointer::finished() {
  std::lock_guard l(mu_);
  if (!finished_) return std::nullopt;
  finished_ = false;
  return backfilled_;
}

void Checkpointer::run() {
  for (;;) {
    {
      std::unique_lock l(mu_);
      cv_.wait(l, [&] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
      busy_ = true;
    }
    // A failed pass (busy, I/O) leaves the log as it is; the next request tries again.
    int log = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) !=
        SQLITE_OK)
      copied = 0;
    std::lock_guard l(mu_);
    busy_ = false;
    finished_ = true;
    backfilled_ = copied;
  }
}

}  // namespace xy::audit
