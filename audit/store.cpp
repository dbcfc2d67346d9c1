// The SQLite audit store: schema and migration, batched hash-chained appends, queries, verify.
#include "xiangyue/audit/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "statement.h"
#include "xiangyue/common/hash.h"

namespace xy::audit {
namespace {

const std::string kZeroHash(64, '0');

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

std::string now_utc() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

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
  return r;
}

constexpr const char* kColumns =
    "d.seq, d.recorded_at, d.as_of, d.action, d.policy, d.outcome, d.bundle, d.request, "
    "d.decision, "
    "d.prev_hash, d.hash";

}  // namespace

std::string Store::chain_hash(const Record& r) {
  // Length-prefixed fields, so no two different records share a canonical form.
  std::string canon = r.prev_hash;
  for (const std::string* f : {&r.recorded_at, &r.as_of, &r.action, &r.policy, &r.outcome,
                               &r.bundle, &r.request, &r.decision}) {
    canon += "\n" + std::to_string(f->size()) + ":" + *f;
  }
  canon += "\nseq:" + std::to_string(r.seq);
  return sha256_hex(canon);
}

Result<bool> Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return Result<bool>::failure(m);
  }
  return true;
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
  using R = Result<std::unique_ptr<Store>>;
  std::unique_ptr<Store> s(new Store());
  if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK)
    return R::failure("cannot open the audit store `" + path +
                      "`: " + (s->db_ ? sqlite3_errmsg(s->db_) : "out of memory"));
  sqlite3_busy_timeout(s->db_, 10000);
  // WAL with FULL sync: a committed transaction survives a crash of the process and of the machine.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
        "PRAGMA cache_size=-65536", "PRAGMA wal_autocheckpoint=10000"})
    if (auto r = s->exec(pragma); !r)
      return R::failure("cannot set up `" + path + "`: " + r.error());
  Statement has_meta(s->db_,
                     "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
  if (!has_meta.ok() || !has_meta.step())
    return R::failure("`" + path + "` is not a readable SQLite database");
  int version = 0;
  if (has_meta.int64(0) > 0) {
    Statement v(s->db_, "SELECT value FROM meta WHERE key='schema_version'");
    if (v.step()) version = std::atoi(v.text(0).c_str());
  } else {
    Statement any(s->db_, "SELECT count(*) FROM sqlite_master WHERE type='table'");
    if (any.step() && any.int64(0) > 0)
      return R::failure("`" + path + "` is a SQLite database but not an audit store");
  }
  if (version > kSchemaVersion)
    return R::failure("`" + path + "` has schema version " + std::to_string(version) +
                      ", newer than this xy (" + std::to_string(kSchemaVersion) + ")");
  if (version < 1) {  // migrations run in order, each in its own transaction
    if (auto r = s->exec("BEGIN IMMEDIATE"); !r) return R::failure(r.error());
    auto created = s->exec(kSchemaV1);
    Statement meta(s->db_, "INSERT INTO meta(key, value) VALUES (?, ?)");
    bool ok = created.ok();
    for (const auto& [k, v] : {std::pair<std::string, std::string>{"schema_version", "1"},
                               {"created_at", now_utc()},
                               {"mask_key", random_hex(32)},
                               {"head_seq", "0"},
                               {"head_hash", kZeroHash}}) {
      ok = ok && meta.reset() && meta.bind(1, k) && meta.bind(2, v) && meta.run();
    }
    if (!ok || !s->exec("COMMIT")) {
      s->exec("ROLLBACK");
      return R::failure("cannot create the audit store schema in `" + path +
                        "`: " + sqlite3_errmsg(s->db_));
    }
  }
  Statement key(s->db_, "SELECT value FROM meta WHERE key='mask_key'");
  if (!key.step()) return R::failure("`" + path + "` has no masking key");
  s->mask_key_ = key.text(0);
  Statement last(s->db_, "SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1");
  s->last_hash_ = kZeroHash;
  if (last.step()) {
    s->next_seq_ = last.int64(0) + 1;
    s->last_hash_ = last.text(1);
  }
  return s;
}

Store::~Store() {
  if (!batch_.empty()) commit();
  if (db_) sqlite3_close_v2(db_);
}

std::int64_t Store::append(const Bundle& bundle, const Request& request,
                           std::string_view request_json, const Decision& decision,
                           std::string decision_text) {
  Record r;
  r.seq = next_seq_++;
  r.recorded_at = now_utc();
  r.as_of = decision.as_of.to_string();
  r.action = bundle.actions[decision.action].name;
  r.policy = bundle.policies[decision.policy].name;
  r.outcome = outcome_name(decision.outcome);
  r.bundle = bundle.hash;
  r.request = mask_request(bundle, request.action, request_json, mask_key_);
  r.decision = std::move(decision_text);
  r.prev_hash = last_hash_;
  r.hash = chain_hash(r);
  last_hash_ = r.hash;
  std::vector<std::pair<std::string, std::string>> rules;
  for (const auto& x : decision.reasons) rules.emplace_back(bundle.rules[x.rule].id, "reason");
  for (const auto& x : decision.overridden)
    rules.emplace_back(bundle.rules[x.rule].id, "overridden");
  std::sort(rules.begin(), rules.end());
  rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
  if (std::find(known_bundles_.begin(), known_bundles_.end(), bundle.hash) ==
      known_bundles_.end()) {
    known_bundles_.push_back(bundle.hash);
    new_bundles_.emplace_back(bundle.hash, bundle.serialize());
  }
  batch_.push_back(std::move(r));
  batch_rules_.push_back(std::move(rules));
  return batch_.back().seq;
}

Result<bool> Store::commit() {
  if (batch_.empty() && new_bundles_.empty()) return true;
  if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
  Statement bundle(db_, "INSERT OR IGNORE INTO bundles(hash, content) VALUES (?, ?)");
  Statement insert(db_, "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement rule(db_, "INSERT INTO decision_rules(seq, rule, role) VALUES (?, ?, ?)");
  Statement head(db_, "UPDATE meta SET value = ? WHERE key = ?");
  bool ok = bundle.ok() && insert.ok() && rule.ok() && head.ok();
  for (const auto& [hash, bytes] : new_bundles_)
    ok = ok && bundle.reset() && bundle.bind(1, hash) && bundle.bind_blob(2, bytes) && bundle.run();
  for (std::size_t i = 0; ok && i < batch_.size(); ++i) {
    const Record& r = batch_[i];
    ok = insert.reset() && insert.bind(1, r.seq) && insert.bind(2, r.recorded_at) &&
         insert.bind(3, r.as_of) && insert.bind(4, r.action) && insert.bind(5, r.policy) &&
         insert.bind(6, r.outcome) && insert.bind(7, r.bundle) && insert.bind(8, r.request) &&
         insert.bind(9, r.decision) && insert.bind(10, r.prev_hash) && insert.bind(11, r.hash) &&
         insert.run();
    for (const auto& [id, role] : batch_rules_[i])
      ok = ok && rule.reset() && rule.bind(1, r.seq) && rule.bind(2, id) && rule.bind(3, role) &&
           rule.run();
  }
  if (ok && !batch_.empty()) {
    ok = head.reset() && head.bind(1, std::to_string(batch_.back().seq)) &&
         head.bind(2, std::string("head_seq")) && head.run() && head.reset() &&
         head.bind(1, batch_.back().hash) && head.bind(2, std::string("head_hash")) && head.run();
  }
  if (!ok || !exec("COMMIT")) {
    std::string why = sqlite3_errmsg(db_);
    exec("ROLLBACK");
    return Result<bool>::failure("cannot record decisions: " + why);  // the batch stays pending
  }
  batch_.clear();
  batch_rules_.clear();
  new_bundles_.clear();
  return true;
}

Result<std::vector<Record>> Store::find(const SqlFilter& filter, std::int64_t limit) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM decisions d WHERE (" + filter.where +
                    ") ORDER BY d.seq LIMIT ?";
  Statement s(db_, sql.c_str());
  if (!s.ok())
    return Result<std::vector<Record>>::failure(std::string("bad query: ") + sqlite3_errmsg(db_));
  int i = 1;
  for (const auto& p : filter.params) s.bind(i++, p);
  s.bind(i, limit);
  std::vector<Record> out;
  while (s.step()) out.push_back(read_record(s));
  if (s.failed()) return Result<std::vector<Record>>::failure(sqlite3_errmsg(db_));
  return out;
}

Result<std::optional<Record>> Store::get(std::int64_t seq) {
  Statement s(db_,
              (std::string("SELECT ") + kColumns + " FROM decisions d WHERE d.seq = ?").c_str());
  s.bind(1, seq);
  if (s.step()) return std::optional<Record>(read_record(s));
  if (s.failed()) return Result<std::optional<Record>>::failure(sqlite3_errmsg(db_));
  return std::optional<Record>();
}

Result<std::optional<std::string>> Store::bundle_bytes(const std::string& hash) {
  Statement s(db_, "SELECT content FROM bundles WHERE hash = ?");
  s.bind(1, hash);
  if (s.step()) return std::optional<std::string>(s.blob(0));
  return std::optional<std::string>();
}

Verification Store::verify() {
  Verification v;
  Statement s(db_,
              (std::string("SELECT ") + kColumns + " FROM decisions d ORDER BY d.seq").c_str());
  std::string prev = kZeroHash;
  std::int64_t expected = 1;
  auto bad = [&](std::int64_t seq, std::string why) {
    v.intact = false;
    v.first_bad = seq;
    v.problem = std::move(why);
  };
  while (v.intact && s.step()) {
    Record r = read_record(s);
    ++v.records;
    if (r.seq != expected) {
      bad(expected, r.seq > expected ? "record " + std::to_string(expected) +
                                           " is missing (the next is " + std::to_string(r.seq) + ")"
                                     : "record " + std::to_string(r.seq) + " is out of order");
    } else if (r.prev_hash != prev) {
      bad(r.seq, "record " + std::to_string(r.seq) +
                     " does not follow the record before it (its prev_hash differs): a record was "
                     "removed, "
                     "inserted or reordered");
    } else if (chain_hash(r) != r.hash) {
      bad(r.seq, "record " + std::to_string(r.seq) +
                     " was changed after it was recorded (its content does not "
                     "match its hash)");
    }
    prev = r.hash;
    ++expected;
  }
  if (s.failed()) bad(expected, std::string("cannot read the store: ") + sqlite3_errmsg(db_));
  if (v.intact) {
    Statement h(db_,
                "SELECT (SELECT value FROM meta WHERE key='head_seq'), (SELECT value FROM meta "
                "WHERE key='head_hash')");
    if (h.step() && (std::atoll(h.text(0).c_str()) != expected - 1 || h.text(1) != prev)) {
      std::int64_t head = std::atoll(h.text(0).c_str());
      bad(head >= expected ? expected : head,
          head >= expected ? "the last " + std::to_string(head - expected + 1) +
                                 " record(s) are missing (the store's head is record " +
                                 std::to_string(head) + ")"
                           : "the store's head (record " + std::to_string(head) +
                                 ") does not match its last record");
    }
  }
  v.head = prev;
  return v;
}

}  // namespace xy::audit
