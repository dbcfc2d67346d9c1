// The store's writer thread (private to the audit module): chains appended records in order,
// writes whatever is queued in one transaction on its own connection (group commit), anchors the
// chain's head in DB.anchors, and when a write fails, refuses new records and tries again until
// the store works again.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "anchor.h"
#include "checkpointer.h"
#include "xiangyue/audit/store.h"

namespace xy::audit {

class Store::Writer {
 public:
  // Opens the writer's connection to `path` and writes the opening checkpoint; the chain continues
  // after `head_seq`/`head_hash`.
  static Result<std::unique_ptr<Writer>, Localized> open(
      const std::string& path, std::int64_t head_seq, std::string head_hash, std::string store_id,
      StoreOptions options, std::unique_ptr<AnchorLog> anchors, SigningKey key);
  ~Writer();  // writes what is queued and a last checkpoint, then stops

  // Numbers and chains `r` (seq, prev_hash, hash) and queues it; id 0 if the store is failing.
  Receipt push(Record r, const Bundle& bundle);
  Result<bool, Localized> wait(const Receipt& receipt);
  void when_recorded(const Receipt& receipt, std::function<void(Result<bool, Localized>)> done);
  Result<bool, Localized> wait_all();
  std::int64_t appended() const;
  std::int64_t durable() const;
  StoreHealth health() const;

  // Ids handed out beyond the last checkpoint are kept under this reserve, so that a recovery can
  // resume after every id that may have been handed out.
  static constexpr std::int64_t kReserve = 100'000;

 private:
  Writer(SigningKey key) : key_(std::move(key)) {}
  void run();
  Result<bool, Localized> connect();
  Result<bool, Localized> write(const std::vector<Record>& batch,
                                const std::vector<std::pair<std::string, std::string>>& bundles);
  Result<bool, Localized> probe();
  Result<bool, Localized> anchor();
  void housekeeping(bool final);
  // Marks the store failing (once per episode): every queued record fails, the chain goes back to
  // the last recorded one.
  void fail(const Localized& why, bool permanent);
  std::optional<Localized> files_changed();
  void remember_log();

  static int on_wal(void* self, sqlite3* db, const char* name, int pages);
  void checkpoint_log(bool by_time);

  std::string path_, store_id_;
  StoreOptions options_;
  SigningKey key_;
  std::unique_ptr<AnchorLog> anchors_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Checkpointer> checkpointer_;
  int wal_pages_ = 0;  // the log's length after the last commit (writer thread only)
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_anchor_, last_log_checkpoint_, last_retry_, last_file_check_;
  dev_t db_dev_ = 0, wal_dev_ = 0;
  ino_t db_ino_ = 0, wal_ino_ = 0;

  mutable std::mutex mu_;
  std::condition_variable work_, done_;
  std::vector<Record> queue_;
  std::vector<std::pair<std::string, std::string>> new_bundles_;  // hash, bytes
  std::vector<std::string> known_bundles_;
  std::int64_t appended_ = 0, durable_ = 0, anchored_ = 0, reserved_ = 0, not_recorded_ = 0;
  std::int64_t epoch_ = 1;  // advances when queued records fail: their receipts are void
  std::string last_hash_, durable_hash_;
  std::optional<Localized> failure_;  // none: working
  Localized last_failure_;
  std::string failing_since_;
  bool permanent_ = false;  // files removed: no retry
  std::deque<std::pair<std::int64_t, std::function<void(Result<bool, Localized>)>>>
      callbacks_;  // by seq
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace xy::audit
