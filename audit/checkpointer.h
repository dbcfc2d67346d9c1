// Copies the audit store's write-ahead log back into the database on its own connection and
// thread (private to the audit module), so that the writer rarely stops for a checkpoint.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"

struct sqlite3;

namespace xy::audit {

class Checkpointer {
 public:
  static Result<std::unique_ptr<Checkpointer>, Localized> open(const std::string& path,
                                                               bool full_sync);
  ~Checkpointer();
  // Starts a pass over the log if none is running. The writer keeps writing meanwhile.
  void request();
  // Once after each finished pass: how many of the log's pages are now in the database. What was
  // written during the pass is still to copy.
  std::optional<int> finished();

 private:
  Checkpointer() = default;
  void run();

  sqlite3* db_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false, busy_ = false, finished_ = false, stop_ = false;
  int backfilled_ = 0;
  std::thread thread_;
};

}  // namespace xy::audit
