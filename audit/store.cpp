// The SQLite audit store: schema and migration, batched hash-chained appends, queries, verify.
#include "xiangyue/audit/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <boost/json.hpp>

#include "statement.h"
#include "writer.h"
#include "xiangyue/common/hash.h"

namespace xy::audit {
namespace json = boost::json;
namespace {

const std::string kZeroHash(64, '0');

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

constexpr const char* kColumns =
    "d.seq, d.recorded_at, d.as_of, d.action, d.policy, d.outcome, d.bundle, d.request, "
    "d.decision, d.prev_hash, d.hash, d.rules, d.overridden";

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
    canon += "\n" + std::to_string(f->size()) + ":" + *f;
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

Result<std::unique_ptr<Store>> Store::open(const std::string& path, Durability durability) {
  using R = Result<std::unique_ptr<Store>>;
  std::unique_ptr<Store> s(new Store());
  if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK)
    return R::failure("cannot open the audit store `" + path +
                      "`: " + (s->db_ ? sqlite3_errmsg(s->db_) : "out of memory"));
  sqlite3_busy_timeout(s->db_, 10000);
  for (const char* pragma : {"PRAGMA page_size=16384", "PRAGMA journal_mode=WAL",
                             "PRAGMA synchronous=FULL", "PRAGMA cache_size=-16384"})
    if (auto r = exec(s->db_, pragma); !r)
      return R::failure("cannot set up `" + path + "`: " + r.error());
  int version = 0;
  {  // statements closed before migrating: DROP TABLE needs none pending
    Statement has_meta(s->db_,
                       "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
    if (!has_meta.ok() || !has_meta.step())
      return R::failure("`" + path + "` is not a readable SQLite database");
    if (has_meta.int64(0) > 0) {
      Statement v(s->db_, "SELECT value FROM meta WHERE key='schema_version'");
      if (v.step()) version = std::atoi(v.text(0).c_str());
    } else {
      Statement any(s->db_, "SELECT count(*) FROM sqlite_master WHERE type='table'");
      if (any.step() && any.int64(0) > 0)
        return R::failure("`" + path + "` is a SQLite database but not an audit store");
    }
  }
  if (version > kSchemaVersion)
    return R::failure("`" + path + "` has schema version " + std::to_string(version) +
                      ", newer than this xy (" + std::to_string(kSchemaVersion) + ")");
  if (version < kSchemaVersion)
    if (auto r = s->migrate(path, version); !r) return R::failure(r.error());
  Statement key(s->db_, "SELECT value FROM meta WHERE key='mask_key'");
  if (!key.step()) return R::failure("`" + path + "` has no masking key");
  s->mask_key_ = key.text(0);
  Statement last(s->db_, "SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1");
  std::int64_t head_seq = 0;
  std::string head_hash = kZeroHash;
  if (last.step()) {
    head_seq = last.int64(0);
    head_hash = last.text(1);
  }
  auto writer = Writer::open(path, head_seq, std::move(head_hash), durability);
  if (!writer) return R::failure(writer.error());
  s->writer_ = std::move(*writer);
  return s;
}

// Migrations run in order, each in its own transaction: 0 → 1 creates the store, 1 → 2 moves the
// rule ids into columns of `decisions`, recomputed from each stored decision.
Result<bool> Store::migrate(const std::string& path, int version) {
  auto fail = [&](const std::string& why) {
    exec(db_, "ROLLBACK");
    return Result<bool>::failure("cannot migrate the audit store `" + path + "` to version " +
                                 std::to_string(version + 1) + ": " + why);
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
  if (db_) sqlite3_close_v2(db_);
}

std::int64_t Store::append(const Bundle& bundle, const Request& request,
                           std::string_view request_json, const Decision& decision,
                           std::string decision_text) {
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

Result<bool> Store::wait(std::int64_t id) {
  return writer_->wait(id);
}
void Store::when_recorded(std::int64_t id, std::function<void(Result<bool>)> done) {
  writer_->when_recorded(id, std::move(done));
}
Result<bool> Store::commit() {
  return writer_->wait(writer_->appended());
}
std::size_t Store::pending() const {
  return static_cast<std::size_t>(writer_->appended() - writer_->durable());
}
std::int64_t Store::recorded_through() const {
  return writer_->durable();
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
    } else if (auto cols = rule_columns(r.decision);
               !cols || cols->first != r.rules || cols->second != r.overridden) {
      bad(r.seq, "record " + std::to_string(r.seq) +
                     "'s search columns (rules, overridden) do not match its decision: they were "
                     "changed after it was recorded");
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
