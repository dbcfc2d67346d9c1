// The store's writer thread (private to the audit module): chains appended records in order and
// writes whatever is queued in one transaction on its own connection (group commit).
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "checkpointer.h"
#include "xiangyue/audit/store.h"

namespace xy::audit {

class Store::Writer {
 public:
  // Opens the writer's connection to `path`; the chain continues after `head_seq`/`head_hash`.
  static Result<std::unique_ptr<Writer>> open(const std::string& path, std::int64_t head_seq,
                                              std::string head_hash, Durability durability);
  ~Writer();  // writes what is queued, then stops

  // Numbers and chains `r` (seq, prev_hash, hash) and queues it; returns its number.
  std::int64_t push(Record r, const Bundle& bundle);
  Result<bool> wait(std::int64_t seq);
  void when_recorded(std::int64_t seq, std::function<void(Result<bool>)> done);
  std::int64_t appended() const;
  std::int64_t durable() const;

 private:
  Writer() = default;
  void run();
  Result<bool> write(const std::vector<Record>& batch,
                     const std::vector<std::pair<std::string, std::string>>& bundles);

  static int on_wal(void* self, sqlite3* db, const char* name, int pages);
  void checkpoint();

  sqlite3* db_ = nullptr;
  std::unique_ptr<Checkpointer> checkpointer_;
  int wal_pages_ = 0;  // the log's length after the last commit (writer thread only)
  mutable std::mutex mu_;
  std::condition_variable work_, done_;
  std::vector<Record> queue_;
  std::vector<std::pair<std::string, std::string>> new_bundles_;  // hash, bytes
  std::vector<std::string> known_bundles_;
  std::int64_t appended_ = 0, durable_ = 0;
  std::string last_hash_;
  std::string failure_;  // once set, nothing more is recorded by this writer
  std::deque<std::pair<std::int64_t, std::function<void(Result<bool>)>>> callbacks_;  // by seq
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace xy::audit
