// The SQLite audit store: opening (for writing, with the lock and the checkpoint checks, or for
// reading only), schema and migration, appends, queries on pooled read connections.
#include "xiangyue/audit/store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>

#include <boost/json.hpp>

#include "anchor.h"
#include "statement.h"
#include "store_detail.h"
#include "words.h"
#include "writer.h"
#include "xiangyue/common/hash.h"

namespace xy::audit {
namespace json = boost::json;
namespace {

// Version 1 (kept for migration tests): rules were searched through a separate table.
const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE decisions (
  seq INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, as_of TEXT NOT NULL, action TEXT NOT NULL,
  policy TEXT NOT NULL, outcome TEXT NOT NULL, bundle TEXT NOT NULL, request TEXT NOT NULL,
  decision TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE decision_rules (seq INTEGER NOT NULL, rule TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE bundles (hash TEXT PRIMARY KEY, content BLOB NOT NULL);
CREATE INDEX decisions_outcome ON decisions(outcome);
CREATE INDEX decisions_as_of ON decisions(as_of);
CREATE INDEX decision_rules_rule ON decision_rules(rule, role);
)sql";

// Version 2: the rule ids are columns of `decisions` (one row per decision: faster recording).
const char* kV1toV2 = R"sql(
ALTER TABLE decisions ADD COLUMN rules TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN overridden TEXT NOT NULL DEFAULT '';
DROP TABLE decision_rules;
DROP INDEX decisions_outcome;
)sql";

// Version 3: the store has an id (named by its signed checkpoints) and records recoveries.
const char* kV2toV3 = R"sql(
CREATE TABLE IF NOT EXISTS recoveries (
  after_seq INTEGER PRIMARY KEY, lost_to INTEGER NOT NULL, recorded_at TEXT NOT NULL,
  reason TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
)sql";

}  // namespace

Record read_record(Statement& s) {
  Record r;
  r.seq = s.int64(0);
  r.recorded_at = s.text(1);
  r.as_of = s.text(2);
  r.action = s.text(3);
  r.policy = s.text(4);
  r.outcome = s.text(5);
  r.bundle = s.text(6);
  r.request = s.text(7);
  r.decision = s.text(8);
  r.prev_hash = s.text(9);
  r.hash = s.text(10);
  r.rules = s.text(11);
  r.overridden = s.text(12);
  return r;
}

const char* const kColumns =
    "d.seq, d.recorded_at, d.as_of, d.action, d.policy, d.outcome, d.bundle, d.request, "
    "d.decision, d.prev_hash, d.hash, d.rules, d.overridden";

namespace {

// " A1 A7 " from rule ids: sorted, unique, each set off by spaces so `instr` finds whole ids.
std::string id_column(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (const auto& id : ids) out += " " + id;
  return out.empty() ? out : out + " ";
}

}  // namespace

std::string Store::chain_hash(const Record& r) {
  // Length-prefixed fields, so no two different records share a canonical form.
  std::string canon = r.prev_hash;
  for (const std::string* f : {&r.recorded_at, &r.as_of, &r.action, &r.policy, &r.outcome,
                               &r.bundle, &r.request, &r.decision}) {
    append_field(canon, *f);
  }
  canon += "\nseq:" + std::to_string(r.seq);
  return sha256_hex(canon);
}

std::optional<std::pair<std::string, std::string>> rule_columns(std::string_view decision_json) {
  boost::system::error_code ec;
  json::value doc = json::parse(decision_json, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  auto ids = [&](const char* key) -> std::optional<std::vector<std::string>> {
    const json::value* list = doc.get_object().if_contains(key);
    if (!list || !list->is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& x : list->get_array()) {
      const json::value* rule = x.is_object() ? x.get_object().if_contains("rule") : nullptr;
      if (!rule || !rule->is_string()) return std::nullopt;
      out.emplace_back(rule->get_string());
    }
    return out;
  };
  auto reasons = ids("reasons");
  auto overridden = ids("overridden");
  if (!reasons || !overridden) return std::nullopt;
  return std::pair(id_column(std::move(*reasons)), id_column(std::move(*overridden)));
}

Store::Store() = default;

// Read connections, opened when needed and kept for the next read; each read has its own, so that
// searches on several threads do not queue behind one another.
struct Store::Readers {
  std::string path;
  std::mutex mu;
  std::vector<sqlite3*> idle;
  ~Readers() {
    for (sqlite3* d : idle) sqlite3_close_v2(d);
  }
};

namespace {

// A read connection for one read, given back afterwards; with a deadline, SQLite is interrupted
// once it passes (the read then fails with "interrupted").
class Lease {
 public:
  Lease(std::mutex& mu, std::vector<sqlite3*>& idle, const std::string& path,
        const ReadLimits& limits)
      : mu_(mu), idle_(idle), deadline_(limits.deadline) {
    {
      std::lock_guard l(mu_);
      if (!idle_.empty()) {
        db_ = idle_.back();
        idle_.pop_back();
      }
    }
    if (!db_) {
      if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        error_ = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close_v2(db_);
        db_ = nullptr;
        return;
      }
      sqlite3_busy_timeout(db_, 10000);
    }
    if (deadline_) sqlite3_progress_handler(db_, 1000, &Lease::past_deadline, this);
  }
  ~Lease() {
    if (!db_) return;
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    std::lock_guard l(mu_);
    idle_.push_back(db_);
  }
  sqlite3* db() const { return db_; }
  const std::string& error() const { return error_; }
  // The failure of a read on this connection, in words.
  Localized why() const {
    if (timed_out_) return {"timeout", "超时"};
    return same(db_ ? sqlite3_errmsg(db_) : error_);
  }

 private:
  static int past_deadline(void* self) {
    auto* l = static_cast<Lease*>(self);
    if (std::chrono::steady_clock::now() < *l->deadline_) return 0;
    l->timed_out_ = true;
    return 1;
  }
  std::mutex& mu_;
  std::vector<sqlite3*>& idle_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  sqlite3* db_ = nullptr;
  std::string error_;
  bool timed_out_ = false;
};

// The schema version of an open database, or why it is not an audit store.
Result<int, Localized> schema_version(sqlite3* db, const std::string& path) {
  using R = Result<int, Localized>;
  Statement has_meta(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
  if (!has_meta.ok() || !has_meta.step())
    return R::failure({"`" + path + "` is not a readable SQLite database",
                       "`" + path + "` 不是可读取的 SQLite 数据库"});
  if (has_meta.int64(0) == 0) {
    Statement any(db, "SELECT count(*) FROM sqlite_master WHERE type='table'");
    if (any.step() && any.int64(0) > 0)
      return R::failure({"`" + path + "` is a SQLite database but not an audit store",
                         "`" + path + "` 是 SQLite 数据库，但不是审计存储"});
    return 0;
  }
  return std::atoi(meta_value(db, "schema_version").value_or("0").c_str());
}

bool exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

}  // namespace

std::optional<std::string> chain_point(sqlite3* db, std::int64_t seq) {
  if (seq == 0) return kZeroHash;
  {
    Statement s(db, "SELECT hash FROM decisions WHERE seq = ?");
    s.bind(1, seq);
    if (s.step()) return s.text(0);
  }
  if (!has_table(db, "recoveries")) return std::nullopt;
  Statement r(db, "SELECT hash FROM recoveries WHERE lost_to = ?");
  r.bind(1, seq);
  if (r.step()) return r.text(0);
  return std::nullopt;
}

std::string recovery_hash(const Recovery& r) {
  std::string canon = "recovery\n" + r.prev_hash + "\nafter:" + std::to_string(r.after_seq) +
                      "\nlost_to:" + std::to_string(r.lost_to);
  append_field(canon, r.at);
  append_field(canon, r.reason);
  return sha256_hex(canon);
}

Result<std::unique_ptr<Store>, Localized> Store::open_read(const std::string& path) {
  using R = Result<std::unique_ptr<Store>, Localized>;
  if (!exists(path))
    return R::failure(
        {"there is no audit store at `" + path + "`", "`" + path + "` 处没有审计存储"});
  std::unique_ptr<Store> s(new Store());
  s->path_ = path;
  if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return R::failure(
        Localized{"cannot open the audit store `" + path + "`: ",
                  "无法打开审计存储 `" + path + "`："} +
        (s->db_ ? same(sqlite3_errmsg(s->db_)) : Localized{"out of memory", "内存不足"}));
  sqlite3_busy_timeout(s->db_, 10000);
  auto version = schema_version(s->db_, path);
  if (!version) return R::failure(version.error());
  if (*version == 0)
    return R::failure({"`" + path + "` is an empty database, not an audit store",
                       "`" + path + "` 是空数据库，不是审计存储"});
  if (*version < 2 || *version > kSchemaVersion) {
    std::string have = std::to_string(*version), ours = std::to_string(kSchemaVersion);
    if (*version > kSchemaVersion)
      return R::failure(
          {"`" + path + "` has schema version " + have + ", newer than this xy (" + ours + ")",
           "`" + path + "` 的结构版本是 " + have + "，比这个 xy 支持的版本（" + ours + "）新"});
    return R::failure({"`" + path + "` has schema version " + have +
                           ", which this xy reads only after migrating it (open it once for "
                           "writing; this is " +
                           ours + ")",
                       "`" + path + "` 的结构版本是 " + have +
                           "，需要先升级才能读取（以写入方式打开一次即可升级；当前版本为 " + ours +
                           "）"});
  }
  s->readers_ = std::make_unique<Readers>();
  s->readers_->path = path;
  return s;
}

Result<std::unique_ptr<Store>, Localized> Store::open(const std::string& path,
                                                      StoreOptions options) {
  using R = Result<std::unique_ptr<Store>, Localized>;
  auto fail = [&](const Localized& why) { return R::failure(why); };
  // The lock first: a second writer is turned away before it touches anything.
  std::string anchor_path = store_anchor_path(path);
  auto log = AnchorLog::open(anchor_path);
  if (!log)
    return fail(Localized{"the audit store `" + path + "` cannot be written: ",
                          "审计存储 `" + path + "` 无法写入："} +
                log.error());
  auto anchors = read_anchors(anchor_path);
  if (!anchors) return fail(anchors.error());
  if (!exists(path) && (!anchors->anchors.empty() || !anchors->problems.empty())) {
    std::string n = std::to_string(anchors->anchors.empty() ? 0 : anchors->anchors.back().seq);
    return fail({"the audit store `" + path + "` is missing, but its checkpoint file `" +
                     anchor_path + "` anchors " + n +
                     " record(s): the store was lost or moved. Restore it; to start a new store "
                     "here, move the checkpoint file away first",
                 "审计存储 `" + path + "` 不见了，但它的检查点文件 `" + anchor_path + "` 确认过 " +
                     n +
                     " 条记录：审计存储已丢失或被移走。请把它恢复原位；如要在此新建审计存储，"
                     "请先把检查点文件移走"});
  }
  std::unique_ptr<Store> s(new Store());
  s->path_ = path;
  if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK)
    return fail(Localized{"cannot open the audit store `" + path + "`: ",
                          "无法打开审计存储 `" + path + "`："} +
                (s->db_ ? same(sqlite3_errmsg(s->db_)) : Localized{"out of memory", "内存不足"}));
  sqlite3_busy_timeout(s->db_, 10000);
  for (const char* pragma : {"PRAGMA page_size=16384", "PRAGMA journal_mode=WAL",
                             "PRAGMA synchronous=FULL", "PRAGMA cache_size=-16384"})
    if (auto r = exec(s->db_, pragma); !r)
      return fail(
          {"cannot set up `" + path + "`: " + r.error(), "无法设置 `" + path + "`：" + r.error()});
  auto version = schema_version(s->db_, path);
  if (!version) return fail(version.error());
  if (*version > kSchemaVersion) {
    std::string have = std::to_string(*version), ours = std::to_string(kSchemaVersion);
    return fail(
        {"`" + path + "` has schema version " + have + ", newer than this xy (" + ours + ")",
         "`" + path + "` 的结构版本是 " + have + "，比这个 xy 支持的版本（" + ours + "）新"});
  }
  if (*version < kSchemaVersion)
    if (auto r = s->migrate(path, *version); !r) return fail(r.error());
  auto mask = meta_value(s->db_, "mask_key");
  auto store_id = meta_value(s->db_, "store_id");
  if (!mask || !store_id)
    return fail({"`" + path + "` has no masking key or store id",
                 "`" + path + "` 缺少遮蔽密钥或审计存储编号"});
  s->mask_key_ = *mask;
  std::int64_t head_seq = std::atoll(meta_value(s->db_, "head_seq").value_or("0").c_str());
  std::string head_hash = meta_value(s->db_, "head_hash").value_or(kZeroHash);
  // The key signs checkpoints; it is made with the first one, and never replaced silently.
  std::string key_path = store_key_path(path);
  bool first = anchors->anchors.empty() && anchors->problems.empty();
  if (first && exists(key_path))
    return fail({"the audit store `" + path + "` is not written to: its checkpoint file `" +
                     anchor_path +
                     "` is missing or empty, but its signing key exists: the checkpoints "
                     "were removed. Restore the file; only to anchor the store afresh from its "
                     "present head, move the key `" +
                     key_path + "` away (verify then checks from there on)",
                 "不向审计存储 `" + path + "` 写入：它的检查点文件 `" + anchor_path +
                     "` 不存在或为空，但签名密钥还在：检查点被删除了。请恢复该文件；只有在要从"
                     "现在的链头重新确认审计存储时，才把密钥 `" +
                     key_path + "` 移走（之后核验从那里开始）"});
  if (!first && !exists(key_path))
    return fail({"the signing key `" + key_path + "` of the audit store `" + path +
                     "` is missing: restore it (its public half is in `" + anchor_path + "`)",
                 "审计存储 `" + path + "` 的签名密钥 `" + key_path +
                     "` 不见了：请恢复它（它的公钥部分在 `" + anchor_path + "` 中）"});
  auto key = SigningKey::load(key_path, first);
  if (!key) return fail(key.error());
  if (!first) {
    // Every line is signed by the file's first key (read_anchors): that must be the store's.
    Localized refuse{"the audit store `" + path + "` is not written to: ",
                     "不向审计存储 `" + path + "` 写入："};
    Localized next{"; see `xy audit verify " + path + "`",
                   "；请查看 `xy audit verify " + path + "`"};
    if (!anchors->problems.empty())
      return fail(refuse +
                  Localized{"its checkpoint file `" + anchor_path + "` is damaged (",
                            "它的检查点文件 `" + anchor_path + "` 已损坏（"} +
                  anchors->problems.front() + Localized{")", "）"} + next);
    if (anchors->anchors.front().key != key->public_hex()) {
      std::string line = std::to_string(anchors->anchors.front().line);
      return fail(refuse +
                  Localized{"its checkpoint file `" + anchor_path + "` is damaged (line " + line +
                                ": is signed by another key than `" + key_path + "`)",
                            "它的检查点文件 `" + anchor_path + "` 已损坏（第 " + line +
                                " 行：签名所用的密钥不是 `" + key_path + "`）"} +
                  next);
    }
    const Anchor& last = anchors->anchors.back();
    if (last.store != *store_id)
      return fail(refuse +
                  Localized{"its checkpoint file `" + anchor_path + "` belongs to another store (" +
                                last.store + ")",
                            "它的检查点文件 `" + anchor_path + "` 属于另一个审计存储（" +
                                last.store + "）"} +
                  next);
    if (last.seq > head_seq) {
      std::string head = std::to_string(head_seq), at = std::to_string(last.seq),
                  gone = std::to_string(last.seq - head_seq);
      return fail(refuse +
                  Localized{"it ends at record " + head + ", but a signed checkpoint (" + last.at +
                                ") anchors record " + at + ": " + gone +
                                " recorded decision(s) are missing",
                            "它止于第 " + head + " 条记录，但一个已签名的检查点（" + last.at +
                                "）确认到第 " + at + " 条：有 " + gone + " 个已记录的决定缺失"} +
                  next +
                  Localized{", then `xy audit recover " + path + " --reason …`",
                            "，然后运行 `xy audit recover " + path + " --reason …`"});
    }
    if (chain_point(s->db_, last.seq) != last.hash)
      return fail(refuse +
                  Localized{"its record " + std::to_string(last.seq) +
                                " differs from the signed checkpoint of " + last.at,
                            "它的第 " + std::to_string(last.seq) + " 条记录与 " + last.at +
                                " 的已签名检查点不一致"} +
                  next);
  }
  auto writer = Writer::open(path, head_seq, std::move(head_hash), *store_id, std::move(options),
                             std::move(*log), std::move(*key));
  if (!writer) return fail(writer.error());
  s->writer_ = std::move(*writer);
  s->readers_ = std::make_unique<Readers>();
  s->readers_->path = path;
  return s;
}

// Migrations run in order, each in its own transaction: 0 → 1 creates the store, 1 → 2 moves the
// rule ids into columns of `decisions`, recomputed from each stored decision, 2 → 3 gives the store
// an id and a table of recoveries, and notes the head from which checkpoints anchor it.
Result<bool, Localized> Store::migrate(const std::string& path, int version) {
  auto fail = [&](const std::string& why) {
    exec(db_, "ROLLBACK");
    std::string to = std::to_string(version + 1);
    return Result<bool, Localized>::failure(
        {"cannot migrate the audit store `" + path + "` to version " + to + ": " + why,
         "无法把审计存储 `" + path + "` 升级到版本 " + to + "：" + why});
  };
  for (; version < kSchemaVersion; ++version) {
    if (auto r = exec(db_, "BEGIN IMMEDIATE"); !r) return fail(r.error());
    if (version == 0) {
      if (auto r = exec(db_, kSchemaV1); !r) return fail(r.error());
      Statement meta(db_, "INSERT INTO meta(key, value) VALUES (?, ?)");
      for (const auto& [k, v] : {std::pair<std::string, std::string>{"schema_version", "1"},
                                 {"created_at", utc_timestamp()},
                                 {"mask_key", random_hex(32)},
                                 {"head_seq", "0"},
                                 {"head_hash", kZeroHash}})
        if (!(meta.reset() && meta.bind(1, k) && meta.bind(2, v) && meta.run()))
          return fail(sqlite3_errmsg(db_));
    } else if (version == 1) {
      if (auto r = exec(db_, kV1toV2); !r) return fail(r.error());
      Statement read(db_, "SELECT seq, decision FROM decisions");
      Statement update(db_, "UPDATE decisions SET rules = ?, overridden = ? WHERE seq = ?");
      while (read.step()) {
        auto cols = rule_columns(read.text(1));
        if (!cols) continue;  // left empty: verify will name the record
        if (!(update.reset() && update.bind(1, cols->first) && update.bind(2, cols->second) &&
              update.bind(3, read.int64(0)) && update.run()))
          return fail(sqlite3_errmsg(db_));
      }
      if (read.failed()) return fail(sqlite3_errmsg(db_));
    } else if (version == 2) {
      if (auto r = exec(db_, kV2toV3); !r) return fail(r.error());
      Statement meta(db_, "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)");
      std::string head = meta_value(db_, "head_seq").value_or("0");
      for (const auto& [k, v] : {std::pair<std::string, std::string>{"store_id", random_hex(16)},
                                 {"anchored_since", head}})
        if (!(meta.reset() && meta.bind(1, k) && meta.bind(2, v) && meta.run()))
          return fail(sqlite3_errmsg(db_));
    }
    std::string set = "UPDATE meta SET value = '" + std::to_string(version + 1) +
                      "' WHERE key = 'schema_version'";
    if (auto r = exec(db_, set.c_str()); !r) return fail(r.error());
    if (auto r = exec(db_, "COMMIT"); !r) return fail(r.error());
  }
  return true;
}

Store::~Store() {
  writer_.reset();  // writes what is queued
  readers_.reset();
  if (db_) sqlite3_close_v2(db_);
}

Receipt Store::append(const Bundle& bundle, const Request& request, std::string_view request_json,
                      const Decision& decision, std::string decision_text) {
  if (!writer_) return Receipt{};
  Record r;
  r.recorded_at = utc_timestamp();
  r.as_of = decision.as_of.to_string();
  r.action = bundle.actions[decision.action].name;
  r.policy = bundle.policies[decision.policy].name;
  r.outcome = outcome_name(decision.outcome);
  r.bundle = bundle.hash;
  r.request = mask_request(bundle, request.action, request_json, mask_key_);
  r.decision = std::move(decision_text);
  std::vector<std::string> reasons, overridden;
  for (const auto& x : decision.reasons) reasons.push_back(bundle.rules[x.rule].id);
  for (const auto& x : decision.overridden) overridden.push_back(bundle.rules[x.rule].id);
  r.rules = id_column(std::move(reasons));
  r.overridden = id_column(std::move(overridden));
  return writer_->push(std::move(r), bundle);
}

namespace {
const Localized kReadOnly{"the store is open for reading only", "审计存储以只读方式打开"};
}  // namespace

Result<bool, Localized> Store::wait(const Receipt& receipt) {
  if (!writer_) return Result<bool, Localized>::failure(kReadOnly);
  return writer_->wait(receipt);
}
void Store::when_recorded(const Receipt& receipt,
                          std::function<void(Result<bool, Localized>)> done) {
  if (!writer_) return done(Result<bool, Localized>::failure(kReadOnly));
  writer_->when_recorded(receipt, std::move(done));
}
Result<bool, Localized> Store::commit() {
  return writer_ ? writer_->wait_all() : Result<bool, Localized>(true);
}
std::size_t Store::pending() const {
  return writer_ ? static_cast<std::size_t>(writer_->appended() - writer_->durable()) : 0;
}
std::int64_t Store::recorded_through() const {
  return writer_ ? writer_->durable() : 0;
}
StoreHealth Store::health() const {
  return writer_ ? writer_->health() : StoreHealth{};
}

namespace {
Localized cannot_read(const std::string& path, const std::string& why) {
  return {"cannot read `" + path + "`: " + why, "无法读取 `" + path + "`：" + why};
}
}  // namespace

Result<bool, Localized> Store::each(const SqlFilter& filter, std::int64_t limit,
                                    const std::function<bool(const Record&)>& row,
                                    ReadLimits limits) {
  using R = Result<bool, Localized>;
  Lease lease(readers_->mu, readers_->idle, path_, limits);
  if (!lease.db()) return R::failure(cannot_read(path_, lease.error()));
  std::string sql = std::string("SELECT ") + kColumns + " FROM decisions d WHERE (" + filter.where +
                    ") ORDER BY d.seq LIMIT ?";
  Statement s(lease.db(), sql.c_str());
  if (!s.ok())
    return R::failure(Localized{"bad query: ", "查询有误："} + same(sqlite3_errmsg(lease.db())));
  int i = 1;
  for (const auto& p : filter.params) s.bind(i++, p);
  s.bind(i, limit);
  while (s.step())
    if (!row(read_record(s))) return true;
  if (s.failed()) return R::failure(lease.why());
  return true;
}

Result<std::vector<Record>, Localized> Store::find(const SqlFilter& filter, std::int64_t limit,
                                                   ReadLimits limits) {
  std::vector<Record> out;
  auto r = each(
      filter, limit,
      [&](const Record& rec) {
        out.push_back(rec);
        return true;
      },
      limits);
  if (!r) return Result<std::vector<Record>, Localized>::failure(r.error());
  return out;
}

Result<std::optional<Record>, Localized> Store::get(std::int64_t seq) {
  using R = Result<std::optional<Record>, Localized>;
  Lease lease(readers_->mu, readers_->idle, path_, {});
  if (!lease.db()) return R::failure(cannot_read(path_, lease.error()));
  Statement s(lease.db(),
              (std::string("SELECT ") + kColumns + " FROM decisions d WHERE d.seq = ?").c_str());
  s.bind(1, seq);
  if (s.step()) return std::optional<Record>(read_record(s));
  if (s.failed()) return R::failure(lease.why());
  return std::optional<Record>();
}

Result<std::optional<std::string>, Localized> Store::bundle_bytes(const std::string& hash) {
  Lease lease(readers_->mu, readers_->idle, path_, {});
  if (!lease.db())
    return Result<std::optional<std::string>, Localized>::failure(
        {"cannot read `" + path_ + "`", "无法读取 `" + path_ + "`"});
  Statement s(lease.db(), "SELECT content FROM bundles WHERE hash = ?");
  s.bind(1, hash);
  if (s.step()) return std::optional<std::string>(s.blob(0));
  return std::optional<std::string>();
}

Result<std::string, Localized> Store::public_key(const std::string& path) {
  using R = Result<std::string, Localized>;
  std::string key_path = store_key_path(path);
  if (!exists(key_path))
    return R::failure({"the audit store `" + path + "` has no signing key (`" + key_path +
                           "`): it is made when the store is first written",
                       "审计存储 `" + path + "` 没有签名密钥（`" + key_path +
                           "`）：密钥在第一次写入审计存储时生成"});
  auto key = SigningKey::load(key_path, false);
  if (!key) return R::failure(key.error());
  return key->public_hex();
}

}  // namespace xy::audit
