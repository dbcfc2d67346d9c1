// The writer thread: numbers and chains records as they are appended, then writes everything queued
// in one transaction per round, so concurrent callers share each fsync (group commit). Between
// rounds it anchors the chain's head in DB.anchors, keeps the write-ahead log short, and notices
// when the store's files were removed. A failed write fails what is queued, and new records are
// refused (id 0) until a retry succeeds: nothing is ever reported recorded unless it is.
#include "writer.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>

#include "statement.h"
#include "words.h"
#include "xiangyue/common/date.h"

namespace xy::audit {

Result<std::unique_ptr<Store::Writer>, Localized> Store::Writer::open(
    const std::string& path, std::int64_t head_seq, std::string head_hash, std::string store_id,
    StoreOptions options, std::unique_ptr<AnchorLog> anchors, SigningKey key) {
  using R = Result<std::unique_ptr<Writer>, Localized>;
  std::unique_ptr<Writer> w(new Writer(std::move(key)));
  w->path_ = path;
  w->store_id_ = std::move(store_id);
  w->options_ = std::move(options);
  w->anchors_ = std::move(anchors);
  if (auto c = w->connect(); !c) return R::failure(c.error());
  // Checkpoints are ours (this replaces SQLite's automatic ones, which run inside a commit and
  // would hold up every decision waiting for it).
  auto checkpointer = Checkpointer::open(path, w->options_.durability == Durability::Machine);
  if (!checkpointer) return R::failure(checkpointer.error());
  w->checkpointer_ = std::move(*checkpointer);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    w->db_dev_ = st.st_dev;
    w->db_ino_ = st.st_ino;
  }
  w->appended_ = w->durable_ = w->anchored_ = head_seq;
  w->last_hash_ = w->durable_hash_ = std::move(head_hash);
  // The opening checkpoint: the head as found, and the ids this writer may hand out.
  if (auto a = w->anchor(); !a) return R::failure(a.error());
  w->last_log_checkpoint_ = w->last_retry_ = w->last_file_check_ = Clock::now();
  w->thread_ = std::thread([p = w.get()] { p->run(); });
  return w;
}

Result<bool, Localized> Store::Writer::connect() {
  using R = Result<bool, Localized>;
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return R::failure(Localized{"cannot open the audit store `" + path_ + "` for writing: ",
                                "无法打开审计存储 `" + path_ + "` 进行写入："} +
                      (db_ ? same(sqlite3_errmsg(db_)) : Localized{"out of memory", "内存不足"}));
  sqlite3_busy_timeout(db_, 10000);
  // WAL with FULL sync: a committed transaction survives a crash of the process and of the machine;
  // with NORMAL, of the process (the WAL is fsynced at checkpoints).
  for (const char* pragma :
       {options_.durability == Durability::Machine ? "PRAGMA synchronous=FULL"
                                                   : "PRAGMA synchronous=NORMAL",
        "PRAGMA cache_size=-65536"})
    if (auto r = exec(db_, pragma); !r)
      return R::failure({"cannot set up `" + path_ + "` for writing: " + r.error(),
                         "无法为写入设置 `" + path_ + "`：" + r.error()});
  sqlite3_wal_hook(db_, &Writer::on_wal, this);
  // A first read opens the log (SQLite creates DB-wal then), so that the log this writer uses is
  // known from the start: a log removed before the first look at the files is noticed too.
  if (auto r = exec(db_, "SELECT count(*) FROM meta"); !r)
    return R::failure(
        {"cannot read `" + path_ + "`: " + r.error(), "无法读取 `" + path_ + "`：" + r.error()});
  remember_log();
  return true;
}

void Store::Writer::remember_log() {
  struct stat st {};
  bool there = ::stat((path_ + "-wal").c_str(), &st) == 0;
  wal_dev_ = there ? st.st_dev : 0;
  wal_ino_ = there ? st.st_ino : 0;
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

Receipt Store::Writer::push(Record r, const Bundle& bundle) {
  std::unique_lock l(mu_);
  done_.wait(l, [&] {
    return (queue_.size() < kMaxQueued && appended_ < reserved_) || failure_ || stop_;
  });
  if (failure_ || stop_) {
    ++not_recorded_;
    return Receipt{0, {}, epoch_};
  }
  std::int64_t seq = r.seq = ++appended_;
  r.prev_hash = std::move(last_hash_);
  r.hash = chain_hash(r);
  last_hash_ = r.hash;
  Receipt receipt{seq, r.hash, epoch_};
  if (std::find(known_bundles_.begin(), known_bundles_.end(), bundle.hash) ==
      known_bundles_.end()) {
    known_bundles_.push_back(bundle.hash);
    new_bundles_.emplace_back(bundle.hash, bundle.serialize());
  }
  queue_.push_back(std::move(r));
  l.unlock();
  work_.notify_one();
  return receipt;
}

Result<bool, Localized> Store::Writer::wait(const Receipt& receipt) {
  using R = Result<bool, Localized>;
  std::unique_lock l(mu_);
  if (receipt.id == 0) return R::failure(last_failure_);
  done_.wait(l, [&] { return durable_ >= receipt.id || epoch_ != receipt.epoch; });
  if (epoch_ == receipt.epoch) return true;
  return R::failure(last_failure_);
}

Result<bool, Localized> Store::Writer::wait_all() {
  using R = Result<bool, Localized>;
  std::unique_lock l(mu_);
  Receipt all{appended_, {}, epoch_};
  l.unlock();
  auto r = all.id == 0 ? R(true) : wait(all);
  l.lock();
  if (r && not_recorded_ > 0)
    return R::failure(Localized{std::to_string(not_recorded_) + " decision(s) were not recorded: ",
                                "有 " + std::to_string(not_recorded_) + " 个决定未能记录："} +
                      last_failure_);
  return r;
}

void Store::Writer::when_recorded(const Receipt& receipt,
                                  std::function<void(Result<bool, Localized>)> done) {
  using R = Result<bool, Localized>;
  std::unique_lock l(mu_);
  if (receipt.id == 0 || durable_ >= receipt.id || epoch_ != receipt.epoch) {
    R r = receipt.id != 0 && epoch_ == receipt.epoch ? R(true) : R::failure(last_failure_);
    l.unlock();
    done(std::move(r));
    return;
  }
  // Callers register in about the order they appended; keep the queue sorted by seq.
  auto at = callbacks_.end();
  while (at != callbacks_.begin() && std::prev(at)->first > receipt.id) --at;
  callbacks_.emplace(at, receipt.id, std::move(done));
}

std::int64_t Store::Writer::appended() const {
  std::lock_guard l(mu_);
  return appended_;
}

std::int64_t Store::Writer::durable() const {
  std::lock_guard l(mu_);
  return durable_;
}

StoreHealth Store::Writer::health() const {
  std::lock_guard l(mu_);
  StoreHealth h;
  h.ok = !failure_;
  h.error = failure_.value_or(Localized{});
  h.since = failure_ ? failing_since_ : "";
  h.recorded = durable_;
  h.queued = appended_ - durable_;
  h.anchored = anchored_;
  h.not_recorded = not_recorded_;
  return h;
}

int Store::Writer::on_wal(void* self, sqlite3*, const char*, int pages) {
  static_cast<Writer*>(self)->wal_pages_ = pages;
  return SQLITE_OK;
}

void Store::Writer::fail(const Localized& why, bool permanent) {
  std::vector<std::function<void(Result<bool, Localized>)>> due;
  bool first;
  {
    std::lock_guard l(mu_);
    first = !failure_;
    if (first) failing_since_ = utc_timestamp();
    failure_ = last_failure_ = why;
    permanent_ = permanent_ || permanent;
    // Everything queued after the last recorded record is void: those callers hear it now.
    not_recorded_ += appended_ - durable_;
    appended_ = durable_;
    last_hash_ = durable_hash_;
    ++epoch_;
    queue_.clear();
    new_bundles_.clear();
    known_bundles_.clear();  // a bundle in a failed batch must be written again
    for (auto& c : callbacks_) due.push_back(std::move(c.second));
    callbacks_.clear();
  }
  done_.notify_all();
  for (auto& d : due) d(Result<bool, Localized>::failure(why));
  if (first && options_.on_state) options_.on_state(false, why);
  last_retry_ = Clock::now();
}

// A new connection, the head still where this writer left it, a write that needs room (the meta
// row rewritten) and a checkpoint: then the store records again.
Result<bool, Localized> Store::Writer::probe() {
  using R = Result<bool, Localized>;
  if (auto c = connect(); !c) return c;
  if (auto r = exec(db_, "BEGIN IMMEDIATE"); !r) return R::failure(same(r.error()));
  std::int64_t head = -1;
  {
    Statement h(db_, "SELECT value FROM meta WHERE key = 'head_seq'");
    if (h.step()) head = std::atoll(h.text(0).c_str());
  }
  bool ok = head == durable_ &&
            exec(db_, "UPDATE meta SET value = value WHERE key = 'head_seq'").ok() &&
            exec(db_, "COMMIT").ok();
  if (!ok) {
    Localized why = head != durable_
                        ? Localized{"the store's head moved (record " + std::to_string(head) +
                                        ", expected " + std::to_string(durable_) + ")",
                                    "审计存储的链头变了（是第 " + std::to_string(head) +
                                        " 条记录，应为第 " + std::to_string(durable_) + " 条）"}
                        : same(sqlite3_errmsg(db_));
    exec(db_, "ROLLBACK");
    return R::failure(why);
  }
  return anchor();
}

Result<bool, Localized> Store::Writer::anchor() {
  Anchor a;
  a.kind = "checkpoint";
  a.store = store_id_;
  {
    std::lock_guard l(mu_);
    a.seq = durable_;
    a.hash = durable_hash_;
    a.reserved = appended_ + kReserve;
  }
  a.at = utc_timestamp();
  if (auto r = anchors_->append(a, key_, options_.durability == Durability::Machine); !r) return r;
  {
    std::lock_guard l(mu_);
    anchored_ = a.seq;
    reserved_ = a.reserved;
  }
  done_.notify_all();
  last_anchor_ = Clock::now();
  return true;
}

std::optional<Localized> Store::Writer::files_changed() {
  if (!anchors_->still_there())
    return Localized{
        "the checkpoint file `" + store_anchor_path(path_) + "` was removed or replaced",
        "检查点文件 `" + store_anchor_path(path_) + "` 被删除或替换"};
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0 || st.st_dev != db_dev_ || st.st_ino != db_ino_)
    return Localized{"the database file `" + path_ + "` was removed or replaced",
                     "数据库文件 `" + path_ + "` 被删除或替换"};
  std::string wal = path_ + "-wal";
  bool there = ::stat(wal.c_str(), &st) == 0;
  if (wal_ino_ == 0) {  // no log when this writer connected: the one that appears is its own
    if (there) remember_log();
  } else if (!there || st.st_dev != wal_dev_ || st.st_ino != wal_ino_) {
    // Save what the removed log holds into the database while it is still open here.
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_FULL, nullptr, nullptr);
    return Localized{"the log file `" + wal +
                         "` was removed or replaced while in use (what it held was copied into "
                         "the database)",
                     "日志文件 `" + wal + "` 在使用中被删除或替换（其中的内容已复制进数据库）"};
  }
  return std::nullopt;
}

// A long log is copied back by the checkpointer while writing goes on, in passes, each copying
// what was written during the one before, until what is left is small: the writer copies that
// itself (a millisecond or so), which lets SQLite start the log from the beginning again. Copying
// a larger rest in the writer held up every decision waiting for it (p99 10 ms in the service).
// The log is also copied back at least once per anchor interval, so that recorded decisions do not
// live in the log alone for long. Should the log still grow too long (a reader holding an old
// snapshot, say), the writer checkpoints itself.
void Store::Writer::checkpoint_log(bool by_time) {
  constexpr int kBulkPages = 1024, kTailPages = 64, kMaxPages = 65536;  // 16 MB, 1 MB, 1 GB
  if (auto copied = checkpointer_->finished()) {
    if (wal_pages_ - *copied <= kTailPages)
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    else
      checkpointer_->request();
  } else if (wal_pages_ >= kMaxPages) {
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages_ >= kBulkPages || (by_time && wal_pages_ > 0)) {
    checkpointer_->request();
  }
}

void Store::Writer::housekeeping(bool final) {
  auto now = Clock::now();
  bool failing, permanent, reserve_low, due;
  {
    std::lock_guard l(mu_);
    failing = failure_.has_value();
    permanent = permanent_;
    reserve_low = reserved_ - appended_ < kReserve / 2;
    due = durable_ > anchored_ && (final || durable_ - anchored_ >= options_.anchor_every ||
                                   now - last_anchor_ >= options_.anchor_interval);
  }
  if (permanent) return;
  // The files are looked at while failing too: a probe opens a new connection, which would take a
  // log made after the old one was removed for its own.
  if (now - last_file_check_ >= std::chrono::milliseconds(500) || final) {
    last_file_check_ = now;
    if (auto changed = files_changed()) return fail(*changed, true);
  }
  if (failing) {
    if (now - last_retry_ < options_.retry_interval) return;
    last_retry_ = now;
    if (auto p = probe(); p) {
      {
        std::lock_guard l(mu_);
        failure_.reset();
      }
      done_.notify_all();
      if (options_.on_state) options_.on_state(true, Localized{});
    } else {
      std::lock_guard l(mu_);
      failure_ = last_failure_ = p.error();
    }
    return;
  }
  if (due || reserve_low)
    if (auto a = anchor(); !a) return fail(a.error(), false);
  bool by_time = now - last_log_checkpoint_ >= options_.anchor_interval;
  if (by_time) last_log_checkpoint_ = now;
  if (!final) checkpoint_log(by_time);
}

void Store::Writer::run() {
  std::vector<Record> batch;
  std::vector<std::pair<std::string, std::string>> bundles;
  auto tick =
      std::min({options_.anchor_interval, options_.retry_interval, std::chrono::milliseconds(500)});
  for (;;) {
    bool stopping;
    {
      std::unique_lock l(mu_);
      work_.wait_for(l, tick, [&] {
        return (!queue_.empty() && !failure_) || stop_ || reserved_ - appended_ < kReserve / 2;
      });
      stopping = stop_;
      if (!failure_) {
        batch.swap(queue_);
        bundles.swap(new_bundles_);
      }
    }
    if (!batch.empty()) {
      done_.notify_all();  // room in the queue again
      auto written = write(batch, bundles);
      if (!written) {
        std::string range =
            std::to_string(batch.front().seq) + "–" + std::to_string(batch.back().seq);
        fail(Localized{"cannot record decisions " + range + ": ",
                       "无法记录第 " + range + " 个决定："} +
                 written.error(),
             false);
      } else {
        std::vector<std::function<void(Result<bool, Localized>)>> due;
        {
          std::lock_guard l(mu_);
          durable_ = batch.back().seq;
          durable_hash_ = batch.back().hash;
          while (!callbacks_.empty() && callbacks_.front().first <= durable_) {
            due.push_back(std::move(callbacks_.front().second));
            callbacks_.pop_front();
          }
        }
        done_.notify_all();
        for (auto& done : due) done(Result<bool, Localized>(true));
      }
      batch.clear();
      bundles.clear();
    }
    bool idle;
    {
      std::lock_guard l(mu_);
      idle = queue_.empty() || failure_;
    }
    housekeeping(stopping && idle);
    if (stopping && idle) return;
  }
}

Result<bool, Localized> Store::Writer::write(
    const std::vector<Record>& batch,
    const std::vector<std::pair<std::string, std::string>>& bundles) {
  using R = Result<bool, Localized>;
  if (auto r = exec(db_, "BEGIN IMMEDIATE"); !r) return R::failure(same(r.error()));
  // The lock on DB.anchors keeps other writers out; should the head still have moved (a store
  // edited by hand meanwhile), this chain no longer follows on.
  std::int64_t head_seq = -1;
  {
    Statement head_now(db_, "SELECT value FROM meta WHERE key = 'head_seq'");
    if (head_now.step()) head_seq = std::atoll(head_now.text(0).c_str());
  }
  if (head_seq != batch.front().seq - 1) {
    exec(db_, "ROLLBACK");
    return R::failure({"the store's head is record " + std::to_string(head_seq) + ", not " +
                           std::to_string(batch.front().seq - 1) +
                           ": it was written by someone else meanwhile",
                       "审计存储的链头是第 " + std::to_string(head_seq) + " 条记录，而不是第 " +
                           std::to_string(batch.front().seq - 1) + " 条：期间有他人写入过"});
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
    return R::failure(same(why));
  }
  return true;
}

}  // namespace xy::audit
