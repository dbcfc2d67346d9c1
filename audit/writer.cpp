// The writer thread: numbers and chains records as they are appended, then writes everything queued
// in one transaction per round, so concurrent callers share each fsync (group commit).
#include "writer.h"

#include <sqlite3.h>

#include <algorithm>

#include "statement.h"

namespace xy::audit {

Result<std::unique_ptr<Store::Writer>> Store::Writer::open(const std::string& path,
                                                           std::int64_t head_seq,
                                                           std::string head_hash,
                                                           Durability durability) {
  using R = Result<std::unique_ptr<Writer>>;
  std::unique_ptr<Writer> w(new Writer());
  if (sqlite3_open_v2(path.c_str(), &w->db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return R::failure("cannot open the audit store `" + path +
                      "` for writing: " + (w->db_ ? sqlite3_errmsg(w->db_) : "out of memory"));
  sqlite3_busy_timeout(w->db_, 10000);
  // WAL with FULL sync: a committed transaction survives a crash of the process and of the machine;
  // with NORMAL, of the process (the WAL is fsynced at checkpoints).
  for (const char* pragma :
       {durability == Durability::Machine ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
        "PRAGMA cache_size=-65536"})
    if (auto r = exec(w->db_, pragma); !r)
      return R::failure("cannot set up `" + path + "` for writing: " + r.error());
  // Checkpoints are ours (this replaces SQLite's automatic ones, which run inside a commit and
  // would hold up every decision waiting for it).
  auto checkpointer = Checkpointer::open(path, durability == Durability::Machine);
  if (!checkpointer) return R::failure(checkpointer.error());
  w->checkpointer_ = std::move(*checkpointer);
  sqlite3_wal_hook(w->db_, &Writer::on_wal, w.get());
  w->appended_ = w->durable_ = head_seq;
  w->last_hash_ = std::move(head_hash);
  return w;
}

Store::Writer::~Writer() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  work_.notify_all();
  if (thread_.joinable()) thread_.join();
  checkpointer_.reset();
  sqlite3_close_v2(db_);
}

std::int64_t Store::Writer::push(Record r, const Bundle& bundle) {
  std::unique_lock l(mu_);
  done_.wait(l, [&] { return queue_.size() < kMaxQueued || !failure_.empty(); });
  if (!failure_.empty()) return appended_ + 1;  // not queued: wait() reports the failure
  std::int64_t seq = r.seq = ++appended_;
  r.prev_hash = std::move(last_hash_);
  r.hash = chain_hash(r);
  last_hash_ = r.hash;
  if (std::find(known_bundles_.begin(), known_bundles_.end(), bundle.hash) ==
      known_bundles_.end()) {
    known_bundles_.push_back(bundle.hash);
    new_bundles_.emplace_back(bundle.hash, bundle.serialize());
  }
  queue_.push_back(std::move(r));
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  l.unlock();
  work_.notify_one();
  return seq;
}

Result<bool> Store::Writer::wait(std::int64_t seq) {
  std::unique_lock l(mu_);
  done_.wait(l, [&] { return durable_ >= seq || !failure_.empty(); });
  if (durable_ >= seq) return true;
  return Result<bool>::failure(failure_);
}

void Store::Writer::when_recorded(std::int64_t seq, std::function<void(Result<bool>)> done) {
  std::unique_lock l(mu_);
  if (durable_ >= seq || !failure_.empty()) {
    Result<bool> r = durable_ >= seq ? Result<bool>(true) : Result<bool>::failure(failure_);
    l.unlock();
    done(std::move(r));
    return;
  }
  // Callers register in about the order they appended; keep the queue sorted by seq.
  auto at = callbacks_.end();
  while (at != callbacks_.begin() && std::prev(at)->first > seq) --at;
  callbacks_.emplace(at, seq, std::move(done));
}

std::int64_t Store::Writer::appended() const {
  std::lock_guard l(mu_);
  return appended_;
}

std::int64_t Store::Writer::durable() const {
  std::lock_guard l(mu_);
  return durable_;
}

int Store::Writer::on_wal(void* self, sqlite3*, const char*, int pages) {
  static_cast<Writer*>(self)->wal_pages_ = pages;
  return SQLITE_OK;
}

// A long log is copied back by the checkpointer while writing goes on, in passes, each copying
// what was written during the one before, until what is left is small: the writer copies that
// itself (a millisecond or so), which lets SQLite start the log from the beginning again. Copying
// a larger rest in the writer held up every decision waiting for it (p99 10 ms in the service).
// Should the log still grow too long (a reader holding an old snapshot, say), the writer
// checkpoints itself.
void Store::Writer::checkpoint() {
  constexpr int kBulkPages = 4096, kTailPages = 64, kMaxPages = 65536;  // 64 MB, 1 MB, 1 GB
  if (auto copied = checkpointer_->finished()) {
    if (wal_pages_ - *copied <= kTailPages)
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    else
      checkpointer_->request();
  } else if (wal_pages_ >= kMaxPages) {
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages_ >= kBulkPages) {
    checkpointer_->request();
  }
}

void Store::Writer::run() {
  std::vector<Record> batch;
  std::vector<std::pair<std::string, std::string>> bundles;
  for (;;) {
    {
      std::unique_lock l(mu_);
      work_.wait(l, [&] { return !queue_.empty() || stop_; });
      if (queue_.empty() || !failure_.empty()) return;
      batch.swap(queue_);
      bundles.swap(new_bundles_);
    }
    done_.notify_all();  // room in the queue again
    auto written = write(batch, bundles);
    std::vector<std::function<void(Result<bool>)>> due;
    std::string failure;
    {
      std::lock_guard l(mu_);
      if (written)
        durable_ = batch.back().seq;
      else
        failure_ = "cannot record decisions " + std::to_string(batch.front().seq) + "–" +
                   std::to_string(batch.back().seq) + ": " + written.error();
      while (!callbacks_.empty() && (callbacks_.front().first <= durable_ || !failure_.empty())) {
        due.push_back(std::move(callbacks_.front().second));
        callbacks_.pop_front();
      }
      failure = failure_;
    }
    done_.notify_all();
    for (auto& done : due)
      done(failure.empty() ? Result<bool>(true) : Result<bool>::failure(failure));
    if (written) checkpoint();
    batch.clear();
    bundles.clear();
  }
}

Result<bool> Store::Writer::write(const std::vector<Record>& batch,
                                  const std::vector<std::pair<std::string, std::string>>& bundles) {
  if (auto r = exec(db_, "BEGIN IMMEDIATE"); !r) return r;
  // One writer per store: if another process appended meanwhile, this chain no longer follows on.
  std::int64_t head_seq = -1;
  {
    Statement head_now(db_, "SELECT value FROM meta WHERE key = 'head_seq'");
    if (head_now.step()) head_seq = std::atoll(head_now.text(0).c_str());
  }
  if (head_seq != batch.front().seq - 1) {
    exec(db_, "ROLLBACK");
    return Result<bool>::failure(
        "another process has written to the store meanwhile (one writer per store)");
  }
  Statement bundle(db_, "INSERT OR IGNORE INTO bundles(hash, content) VALUES (?, ?)");
  Statement insert(
      db_,
      "INSERT INTO decisions(seq, recorded_at, as_of, action, policy, outcome, bundle, "
      "rules, overridden, request, decision, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement head(db_, "UPDATE meta SET value = ? WHERE key = ?");
  bool ok = bundle.ok() && insert.ok() && head.ok();
  for (const auto& [hash, bytes] : bundles)
    ok = ok && bundle.reset() && bundle.bind(1, hash) && bundle.bind_blob(2, bytes) && bundle.run();
  for (const Record& r : batch) {
    ok = ok && insert.reset() && insert.bind(1, r.seq) && insert.bind(2, r.recorded_at) &&
         insert.bind(3, r.as_of) && insert.bind(4, r.action) && insert.bind(5, r.policy) &&
         insert.bind(6, r.outcome) && insert.bind(7, r.bundle) && insert.bind(8, r.rules) &&
         insert.bind(9, r.overridden) && insert.bind(10, r.request) &&
         insert.bind(11, r.decision) && insert.bind(12, r.prev_hash) && insert.bind(13, r.hash) &&
         insert.run();
  }
  ok = ok && head.reset() && head.bind(1, std::to_string(batch.back().seq)) &&
       head.bind(2, std::string("head_seq")) && head.run() && head.reset() &&
       head.bind(1, batch.back().hash) && head.bind(2, std::string("head_hash")) && head.run();
  if (!ok || !exec(db_, "COMMIT")) {
    std::string why = sqlite3_errmsg(db_);
    exec(db_, "ROLLBACK");
    return Result<bool>::failure(why);
  }
  return true;
}

}  // namespace xy::audit
