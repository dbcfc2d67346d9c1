// The chain anchored outside the database: signed checkpoints, one writer, losses found and
// recovered on record, receipts, read-only opening.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "xiangyue/audit/store.h"
#include "xiangyue/compiler/compiler.h"

namespace fs = std::filesystem;

namespace {

const char* kPolicy = R"(
schema {
  action 下派 { 名称: text }
}
policy 准入 {
  kind check
  default not_permitted
  for 下派
  rule P permit when 名称 = "调解" because "可以"
}
)";

struct Store {
  std::string path;
  xy::Bundle bundle;
  Store() {
    path = (fs::temp_directory_path() / ("xy_anchor_test_" + std::to_string(::getpid()) + ".db"))
               .string();
    wipe();
    auto r = xy::compile_sources({xy::SourceFile{"p.xy", kPolicy}});
    REQUIRE(r.bundle);
    bundle = std::move(*r.bundle);
  }
  ~Store() { wipe(); }
  void wipe() {
    for (const char* s : {"", "-wal", "-shm", ".anchors", ".key", ".old"}) fs::remove(path + s);
  }
  // Records n decisions in one writer session; their receipts.
  std::vector<xy::audit::Receipt> record(int n, xy::audit::StoreOptions o = {}) {
    auto store = xy::audit::Store::open(path, std::move(o));
    INFO((store ? "" : store.error().en));
    REQUIRE(store);
    xy::Evaluator ev(bundle);
    std::string text = R"({"action":"下派","as_of":"2024-01-01","facts":{"名称":"调解"}})";
    auto req = xy::parse_request(bundle, text, std::nullopt, xy::Date{});
    REQUIRE(req);
    auto d = ev.decide(*req);
    std::vector<xy::audit::Receipt> out;
    for (int i = 0; i < n; ++i)
      out.push_back((*store)->append(bundle, *req, text, d, xy::decision_json(bundle, *req, d)));
    REQUIRE((*store)->commit());
    return out;
  }
  xy::audit::Verification verify(const std::string& key = {}, const std::string& receipts = {}) {
    auto store = xy::audit::Store::open_read(path);
    REQUIRE(store);
    return (*store)->verify(key, receipts);
  }
  std::string anchors() const {
    std::ifstream in(path + ".anchors");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void write_anchors(const std::string& text) const { std::ofstream(path + ".anchors") << text; }
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("every writer session anchors the head in signed checkpoints", "[audit][anchor]") {
  Store s;
  s.record(3);
  s.record(2);
  auto v = s.verify();
  CHECK(v.intact);
  CHECK(v.records == 5);
  CHECK(v.anchored_through == 5);
  CHECK(v.checkpoints >= 4);  // each session: one when it opens, one when it closes
  auto key = xy::audit::Store::public_key(s.path);
  REQUIRE(key);
  CHECK(v.key == *key);
  CHECK(fs::status(s.path + ".key").permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write));
  auto pinned = s.verify(std::string(64, 'a'));
  CHECK_FALSE(pinned.intact);
  CHECK(has(pinned.problem.en, "another key"));
}

TEST_CASE("a checkpoint every N records", "[audit][anchor]") {
  Store s;
  xy::audit::StoreOptions o;
  o.anchor_every = 10;
  o.anchor_interval = std::chrono::hours(1);
  {
    auto store = xy::audit::Store::open(s.path, o);
    REQUIRE(store);
    xy::Evaluator ev(s.bundle);
    std::string text = R"({"action":"下派","as_of":"2024-01-01","facts":{"名称":"调解"}})";
    auto req = xy::parse_request(s.bundle, text, std::nullopt, xy::Date{});
    REQUIRE(req);
    auto d = ev.decide(*req);
    for (int i = 0; i < 55; ++i) {
      (*store)->append(s.bundle, *req, text, d, xy::decision_json(s.bundle, *req, d));
      REQUIRE((*store)->commit());  // one transaction each
    }
  }
  auto v = s.verify();
  CHECK(v.intact);
  CHECK(v.checkpoints >= 6);
}

TEST_CASE("a store that ends before its last checkpoint is incomplete", "[audit][anchor]") {
  Store s;
  s.record(4);
  fs::copy_file(s.path, s.path + ".old");
  auto receipts = s.record(6);
  // The older copy comes back (as when the -wal holding the last records is lost).
  fs::copy_file(s.path + ".old", s.path, fs::copy_options::overwrite_existing);
  auto v = s.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.missing == 6);
  CHECK(v.first_bad == 5);
  CHECK(has(v.problem.en, "(5–10) are missing"));
  // Writing is refused until an operator records the loss; no id is handed out twice.
  auto refused = xy::audit::Store::open(s.path);
  REQUIRE_FALSE(refused);
  CHECK(has(refused.error().en, "xy audit recover"));
  CHECK_FALSE(xy::audit::Store::recover(s.path, "  "));
  auto done = xy::audit::Store::recover(s.path, "restored last night's copy");
  REQUIRE(done);
  CHECK(has(done->en, "records 5–"));
  auto after = s.record(1);
  CHECK(after[0].id > receipts.back().id);
  auto w = s.verify();
  CHECK(w.intact);
  REQUIRE(w.recovered.size() == 1);
  CHECK(w.recovered[0].from == 5);
  CHECK(w.recovered[0].reason == "restored last night's copy");
  CHECK_FALSE(xy::audit::Store::recover(s.path, "again"));  // nothing to recover
}

TEST_CASE("a recovery not made by xy audit recover is found out", "[audit][anchor]") {
  Store s;
  s.record(3);
  s.sql("DELETE FROM decisions WHERE seq = 3");
  // Someone hides the deletion as a recovery, without the signing key.
  s.sql("INSERT INTO recoveries VALUES (2, 3, '2026-01-01', 'x', '', '')");
  auto v = s.verify();
  CHECK_FALSE(v.intact);
}

TEST_CASE("an edited, removed or foreign checkpoint line is found out", "[audit][anchor]") {
  Store s;
  s.record(3);
  std::string text = s.anchors();
  SECTION("edited") {
    auto at = text.find("\"seq\":3");
    REQUIRE(at != std::string::npos);
    text.replace(at, 7, "\"seq\":2");
    s.write_anchors(text);
    auto v = s.verify();
    CHECK_FALSE(v.intact);
    CHECK(has(v.problem.en, "signature"));
  }
  SECTION("a line removed") {
    s.write_anchors(text.substr(text.find('\n') + 1));
    CHECK_FALSE(s.verify().intact);
  }
  SECTION("the file removed") {
    fs::remove(s.path + ".anchors");
    auto v = s.verify();
    CHECK_FALSE(v.intact);
    CHECK(has(v.problem.en, "missing"));
    CHECK_FALSE(xy::audit::Store::open(s.path));  // the key exists: not a new store
  }
  SECTION("a line cut short by a crash is ignored and repaired by the next writer") {
    s.write_anchors(text + "{\"kind\":\"checkp");
    auto v = s.verify();
    CHECK(v.intact);
    CHECK_FALSE(v.warnings.empty());
    s.record(1);
    CHECK(s.verify().intact);
    CHECK(s.verify().warnings.empty());
  }
}

TEST_CASE("one writer per store", "[audit][lock]") {
  Store s;
  auto first = xy::audit::Store::open(s.path);
  REQUIRE(first);
  auto second = xy::audit::Store::open(s.path);
  REQUIRE_FALSE(second);
  CHECK(has(second.error().en, "another process is writing"));
  CHECK_FALSE(xy::audit::Store::recover(s.path, "while it runs"));
  auto reader = xy::audit::Store::open_read(s.path);  // reading is always allowed
  CHECK(reader);
}

TEST_CASE("a deleted store is not silently started again", "[audit][anchor]") {
  Store s;
  s.record(2);
  for (const char* x : {"", "-wal", "-shm"}) fs::remove(s.path + x);
  auto again = xy::audit::Store::open(s.path);
  REQUIRE_FALSE(again);
  CHECK(has(again.error().en, "is missing"));
  CHECK_FALSE(fs::exists(s.path));
}

TEST_CASE("reading never creates a store", "[audit][read]") {
  Store s;
  auto r = xy::audit::Store::open_read(s.path);
  REQUIRE_FALSE(r);
  CHECK(has(r.error().en, "no audit store"));
  CHECK_FALSE(fs::exists(s.path));
  s.record(1);
  auto ro = xy::audit::Store::open_read(s.path);
  REQUIRE(ro);
  auto receipt = (*ro)->append(s.bundle, {}, "", {}, "");
  CHECK(receipt.id == 0);
}

TEST_CASE("receipts prove each decision is present and unchanged", "[audit][receipts]") {
  Store s;
  auto receipts = s.record(3);
  std::string file = s.path + ".old";
  {
    std::ofstream out(file);
    for (const auto& r : receipts)
      out << "{\"audit_id\":" << r.id << ",\"audit_hash\":\"" << r.hash
          << "\",\"outcome\":\"permit\"}\n";
    out << "{\"decisions\":[{\"audit_id\":" << receipts[0].id << ",\"audit_hash\":\""
        << receipts[0].hash << "\"}]}\n";
  }
  auto v = s.verify({}, file);
  CHECK(v.receipts == 4);
  CHECK(v.receipts_ok == 4);
  CHECK(v.receipt_problems.empty());
  s.sql("DELETE FROM decisions WHERE seq = 3");
  s.sql("UPDATE decisions SET hash = 'x' WHERE seq = 2");
  auto w = s.verify({}, file);
  CHECK(w.receipts_ok == 2);
  REQUIRE(w.receipt_problems.size() == 2);
  CHECK(has(w.receipt_problems[0].en, "record 2 differs"));
  CHECK(has(w.receipt_problems[1].en, "record 3 is missing"));
}
