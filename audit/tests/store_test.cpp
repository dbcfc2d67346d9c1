// Audit store tests: recording, masking, the hash chain and the tampering that verify must catch.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "xiangyue/audit/store.h"
#include "xiangyue/compiler/compiler.h"

namespace {

const char* kPolicy = R"(
policy 联审 {
  kind review
  default 通过
  schema {
    record 记录 { 罪名: text, 释放日: date }
    action 审查 { 姓名: text 敏感, 身份证号: text 敏感, 刑事记录: set<记录> }
  }
  rule R1 不能 审查 when any r in 刑事记录: r.释放日 + 5年 > as_of because "{r.罪名}，{r.释放日}释放"
}
)";

struct Fixture {
  std::string path;
  xy::Bundle bundle;
  Fixture() {
    path = (std::filesystem::temp_directory_path() /
            ("xy_store_test_" + std::to_string(::getpid()) + ".db"))
               .string();
    wipe();
    auto r = xy::compile_sources({xy::SourceFile{"p.xy", kPolicy}});
    REQUIRE(r.bundle);
    bundle = std::move(*r.bundle);
  }
  ~Fixture() { wipe(); }
  void wipe() {
    for (const char* s : {"", "-wal", "-shm", ".anchors", ".key"})
      std::filesystem::remove(path + s);
  }
  std::string request(int i) const {
    return R"({"action":"审查","as_of":"2021-06-01","facts":{"姓名":"张三)" + std::to_string(i) +
           R"(","身份证号":"410102199001011234","刑事记录":[{"罪名":"聚众斗殴","释放日":"2017-03-10"}]}})";
  }
  void record(int n) {
    auto store = xy::audit::Store::open(path);
    REQUIRE(store);
    xy::Evaluator ev(bundle);
    for (int i = 0; i < n; ++i) {
      std::string text = request(i);
      auto req = xy::parse_request(bundle, text, std::nullopt, xy::Date{});
      REQUIRE(req);
      auto d = ev.decide(*req);
      (*store)->append(bundle, *req, text, d, xy::decision_json(bundle, *req, d));
    }
    REQUIRE((*store)->commit());
  }
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    INFO(statement);
    CHECK(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err) == SQLITE_OK);
    sqlite3_free(err);
    sqlite3_close(db);
  }
  xy::audit::Verification verify() {
    auto store = xy::audit::Store::open_read(path);
    REQUIRE(store);
    return (*store)->verify();
  }
};

}  // namespace

TEST_CASE("decisions are recorded in order with an intact chain", "[audit]") {
  Fixture f;
  f.record(5);
  f.record(3);  // a second session continues the same chain
  auto v = f.verify();
  CHECK(v.intact);
  CHECK(v.records == 8);
  CHECK(v.head.size() == 64);
  auto store = xy::audit::Store::open(f.path);
  auto r = (*store)->get(6);
  REQUIRE(r);
  REQUIRE(r->has_value());
  CHECK((*r)->outcome == "不能");
  CHECK((*r)->decision.find("聚众斗殴，2017-03-10释放") != std::string::npos);
}

TEST_CASE("sensitive facts are never stored in clear", "[audit][mask]") {
  Fixture f;
  f.record(2);
  auto store = xy::audit::Store::open(f.path);
  auto r = (*store)->get(1);
  REQUIRE(r);
  REQUIRE(r->has_value());
  const std::string& req = (*r)->request;
  CHECK(req.find("410102199001011234") == std::string::npos);
  CHECK(req.find("张三") == std::string::npos);
  CHECK(req.find("41**************34") != std::string::npos);
  CHECK(req.find("\"hmac\"") != std::string::npos);
  CHECK(req.find("聚众斗殴") != std::string::npos);  // facts not marked sensitive stay readable
}

TEST_CASE("verify names the record when one field is changed", "[audit][tamper]") {
  Fixture f;
  f.record(6);
  f.sql("UPDATE decisions SET outcome = '通过' WHERE seq = 4");
  auto v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 4);
  CHECK(v.problem.en.find("changed") != std::string::npos);
}

TEST_CASE("verify names the gap when a record is deleted", "[audit][tamper]") {
  Fixture f;
  f.record(6);
  f.sql("DELETE FROM decisions WHERE seq = 3");
  auto v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 3);
  CHECK(v.problem.en.find("missing") != std::string::npos);
}

TEST_CASE("verify catches the last records being removed", "[audit][tamper]") {
  Fixture f;
  f.record(6);
  f.sql("DELETE FROM decisions WHERE seq >= 5");
  auto v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 5);
}

TEST_CASE("verify catches two records swapped", "[audit][tamper]") {
  Fixture f;
  f.record(6);
  f.sql(
      "UPDATE decisions SET seq = -2 WHERE seq = 2; UPDATE decisions SET seq = 2 WHERE seq = 3; "
      "UPDATE decisions SET seq = 3 WHERE seq = -2");
  auto v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 2);
}

TEST_CASE("verify catches a forged record inserted", "[audit][tamper]") {
  Fixture f;
  f.record(4);
  // A forgery that even carries a correct hash of its own content, but not the chain's.
  xy::audit::Record forged;
  forged.seq = 5;
  forged.recorded_at = "2026-01-01T00:00:00.000Z";
  forged.as_of = "2021-06-01";
  forged.action = "审查";
  forged.policy = "联审";
  forged.outcome = "通过";
  forged.bundle = f.bundle.hash;
  forged.request = "{}";
  forged.decision = "{}";
  forged.prev_hash = std::string(64, '0');
  forged.hash = xy::audit::Store::chain_hash(forged);
  f.sql(
      "INSERT INTO decisions(seq, recorded_at, as_of, action, policy, outcome, bundle, request, "
      "decision, prev_hash, hash) VALUES (5, '" +
      forged.recorded_at + "', '2021-06-01', '审查', '联审', '通过', '" + forged.bundle +
      "', '{}', '{}', '" + forged.prev_hash + "', '" + forged.hash + "')");
  auto v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 5);
}

TEST_CASE("a store of a newer schema or a foreign database is refused", "[audit]") {
  Fixture f;
  f.record(1);
  f.sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  auto s = xy::audit::Store::open(f.path);
  REQUIRE_FALSE(s);
  CHECK(s.error().en.find("newer") != std::string::npos);
  f.wipe();
  f.sql("CREATE TABLE other (x)");
  auto t = xy::audit::Store::open(f.path);
  REQUIRE_FALSE(t);
  CHECK(t.error().en.find("not an audit store") != std::string::npos);
}

TEST_CASE("verify catches an edited search column", "[audit][tamper]") {
  Fixture f;
  f.record(4);
  {
    auto store = xy::audit::Store::open(f.path);
    auto r = (*store)->get(2);
    REQUIRE(r);
    REQUIRE(r->has_value());
    CHECK((*r)->rules == " R1 ");  // the rule ids of the reasons, set off by spaces
    CHECK((*r)->overridden.empty());
  }
  // Hiding a decision from `rule = R1` searches without touching the hashed content.
  f.sql("UPDATE decisions SET rules = '' WHERE seq = 2");
  auto v = f.verify();
  CHECK_FALSE(v.intact);
  CHECK(v.first_bad == 2);
  CHECK(v.problem.en.find("search columns") != std::string::npos);
}

TEST_CASE("a version 1 store is migrated on open and keeps its chain", "[audit][migrate]") {
  Fixture f;
  f.record(3);
  // Turn the store back into schema version 1: rule ids in their own table.
  f.sql(R"sql(
    CREATE TABLE decision_rules (seq INTEGER NOT NULL, rule TEXT NOT NULL, role TEXT NOT NULL);
    INSERT INTO decision_rules SELECT seq, 'R1', 'reason' FROM decisions;
    CREATE INDEX decision_rules_rule ON decision_rules(rule, role);
    CREATE INDEX decisions_outcome ON decisions(outcome);
    ALTER TABLE decisions DROP COLUMN rules;
    ALTER TABLE decisions DROP COLUMN overridden;
    UPDATE meta SET value = '1' WHERE key = 'schema_version';
  )sql");
  f.record(2);  // opening migrates; the chain goes on
  auto store = xy::audit::Store::open(f.path);
  REQUIRE(store);
  auto v = (*store)->verify();
  CHECK(v.intact);
  CHECK(v.records == 5);
  auto filter = xy::audit::compile_filter("rule = R1 and id <= 3");
  REQUIRE(filter);
  auto found = (*store)->find(*filter);
  REQUIRE(found);
  CHECK(found->size() == 3);
}

TEST_CASE("many threads append; ids are unique and the chain verifies", "[audit][threads]") {
  Fixture f;
  {
    auto store = xy::audit::Store::open(f.path);
    REQUIRE(store);
    xy::Evaluator ev(f.bundle);
    std::string text = f.request(0);
    auto req = xy::parse_request(f.bundle, text, std::nullopt, xy::Date{});
    REQUIRE(req);
    auto d = ev.decide(*req);
    std::string json = xy::decision_json(f.bundle, *req, d);
    constexpr int kThreads = 4, kEach = 300;
    std::vector<std::vector<std::int64_t>> ids(kThreads);
    std::vector<std::thread> threads;
    std::atomic<int> not_recorded{0};
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto receipt = (*store)->append(f.bundle, *req, text, d, json);
          ids[t].push_back(receipt.id);
          if (i % 50 == 0 && !(*store)->wait(receipt)) ++not_recorded;  // like a server reply
        }
      });
    for (auto& t : threads) t.join();
    REQUIRE((*store)->commit());
    CHECK(not_recorded == 0);
    CHECK((*store)->pending() == 0);
    CHECK((*store)->recorded_through() == kThreads * kEach);
    std::vector<std::int64_t> all;
    for (const auto& v : ids) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
    CHECK(all.front() == 1);
    CHECK(all.back() == kThreads * kEach);
  }
  auto v = f.verify();
  CHECK(v.intact);
  CHECK(v.records == 1200);
}
