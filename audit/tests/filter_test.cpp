// Unit tests for the filter language: translation, precedence, errors, injection, SQLite.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "xiangyue/audit/filter.h"

using xy::audit::compile_filter;
using xy::audit::FilterError;
using xy::audit::SqlFilter;
using Strings = std::vector<std::string>;

namespace {

SqlFilter ok(const std::string& text) {
  auto r = compile_filter(text);
  INFO(text << "\n" << (r ? "" : xy::audit::render_filter_error(text, r.error(), xy::Lang::en)));
  REQUIRE(r.ok());
  return *r;
}

FilterError err(const std::string& text) {
  auto r = compile_filter(text);
  INFO(text << " → " << (r ? r->where : ""));
  REQUIRE_FALSE(r.ok());
  return r.error();
}

const std::string kHash(64, 'a');
// A rule id is looked for, spaces around it, in the column " A1 A7 ".
std::string has(const char* column, int n = 1) {
  std::string sql = "(";
  for (int i = 0; i < n; ++i)
    sql += std::string(i ? " OR " : "") + "instr(d." + column + ", ' ' || ? || ' ') > 0";
  return sql + ")";
}
std::string reason(int n = 1) {
  return has("rules", n);
}

struct Case {
  std::string filter, where;
  Strings params;
};

// Every translation here is also checked for values leaking into the SQL text.
const std::vector<Case> kCases = {
    {"id = 7", "d.seq = ?", {"7"}},
    {"编号 >= 007", "d.seq >= ?", {"7"}},
    {"id in (1, 2,3)", "d.seq IN (?, ?, ?)", {"1", "2", "3"}},
    {"id < 10", "d.seq < ?", {"10"}},
    {"as_of < 2024-01-01", "d.as_of < ?", {"2024-01-01"}},
    {"基准日 = 2024年3月1日", "d.as_of = ?", {"2024-03-01"}},
    {"as_of != 2024-02-29", "d.as_of <> ?", {"2024-02-29"}},
    {"action = 下派事项", "d.action = ?", {"下派事项"}},
    {"行为 = 非法占地", "d.action = ?", {"非法占地"}},
    {"policy != \"村规 民约\"", "d.policy <> ?", {"村规 民约"}},
    {"政策 in (“甲 乙”, 丙)", "d.policy IN (?, ?)", {"甲 乙", "丙"}},
    {"action = \"and\"", "d.action = ?", {"and"}},
    {"action = \"say \\\"hi\\\" \\\\ c:\\tmp\"", "d.action = ?", {"say \"hi\" \\ c:\\tmp"}},
    {"outcome = 准许", "d.outcome = ?", {"permit"}},
    // As in policies: `==`, `≠`, `≥`, `≤`.
    {"结论 == 不予许可", "d.outcome = ?", {"not_permitted"}},
    // Every word a policy may write for a default is a filter value too (one vocabulary table).
    {"结论 = 未授权", "d.outcome = ?", {"not_permitted"}},
    {"结论≠准许", "d.outcome <> ?", {"permit"}},
    {"id ≥ 3", "d.seq >= ?", {"3"}},
    {"编号≤3", "d.seq <= ?", {"3"}},
    {"outcome = DENY", "d.outcome = ?", {"deny"}},
    {"结论 in (reject, 禁止, 通过, refer, 不予许可, indeterminate)",
     "d.outcome IN (?, ?, ?, ?, ?, ?)",
     {"不能", "deny", "通过", "不宜", "not_permitted", "indeterminate"}},
    {"rule = A7", reason(), {"A7"}},
    {"规则 != A7", "NOT " + reason(), {"A7"}},
    {"rule in (R1, R2)", reason(2), {"R1", "R2"}},
    {"例外 = R9", has("overridden"), {"R9"}},
    {"bundle ^= 1A2b", "substr(d.bundle, 1, length(?)) = ?", {"1a2b", "1a2b"}},
    {"策略包 = " + kHash, "d.bundle = ?", {kHash}},
    {"bundle != " + kHash, "d.bundle <> ?", {kHash}},
    {"time = 2024-01-01",
     "(d.recorded_at >= ? AND d.recorded_at < ?)",
     {"2024-01-01", "2024-01-02"}},
    {"时间 >= 2024-01-01", "d.recorded_at >= ?", {"2024-01-01"}},
    {"time > 2024-01-01", "d.recorded_at > ?", {"2024-01-01"}},
    {"time < 2024-01-01", "d.recorded_at < ?", {"2024-01-01"}},
    {"time <= 2024-02-28", "d.recorded_at < ?", {"2024-02-29"}},
    {"time != 2024-12-31",
     "(d.recorded_at < ? OR d.recorded_at >= ?)",
     {"2024-12-31", "2025-01-01"}},
    {"time = 2023-12-31T23:59",
     "(d.recorded_at >= ? AND d.recorded_at < ?)",
     {"2023-12-31T23:59", "2024-01-01T00:00"}},
    {"time >= 2024-01-01T08:30:15Z", "d.recorded_at >= ?", {"2024-01-01T08:30:15"}},
    {"time = \"2024-01-01 08:30:15.9\"",
     "(d.recorded_at >= ? AND d.recorded_at < ?)",
     {"2024-01-01T08:30:15.9", "2024-01-01T08:30:16.0"}},
    {"time <= 2024-12-31T23:59:59.999", "d.recorded_at < ?", {"2025-01-01T00:00:00.000"}},
    {"time in (2024-01-01, 2024-01-03)",
     "((d.recorded_at >= ? AND d.recorded_at < ?) OR (d.recorded_at >= ? AND d.recorded_at < ?))",
     {"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"}},
    // The examples in filter.h.
    {"outcome = deny and rule = A7 and as_of >= 2024-01-01 and action = \"下派事项\"",
     "(d.outcome = ? AND " + reason() + " AND d.as_of >= ? AND d.action = ?)",
     {"deny", "A7", "2024-01-01", "下派事项"}},
    {"结论 = 不能 且 (规则 = R1_刑事处罚 或 规则 = R4_涉黑涉恶) 且 基准日 >= 2021-01-01",
     "(d.outcome = ? AND (" + reason() + " OR " + reason() + ") AND d.as_of >= ?)",
     {"不能", "R1_刑事处罚", "R4_涉黑涉恶", "2021-01-01"}},
    {"bundle ^= 227a1e48 and not outcome in (permit, 通过)",  // docs/audit.md
     "(substr(d.bundle, 1, length(?)) = ? AND NOT (d.outcome IN (?, ?)))",
     {"227a1e48", "227a1e48", "permit", "通过"}},
    // Precedence: not > and > or; parentheses; Chinese, upper-case and full-width forms.
    {"id = 1 or id = 2 and id = 3", "(d.seq = ? OR (d.seq = ? AND d.seq = ?))", {"1", "2", "3"}},
    {"(id = 1 or id = 2) and id = 3", "((d.seq = ? OR d.seq = ?) AND d.seq = ?)", {"1", "2", "3"}},
    {"not id = 1 and id = 2", "(NOT (d.seq = ?) AND d.seq = ?)", {"1", "2"}},
    {"not (id = 1 or id = 2)", "NOT ((d.seq = ? OR d.seq = ?))", {"1", "2"}},
    {"非 非 编号 = 1 或 编号 = 2 且 编号 = 3",
     "(NOT (NOT (d.seq = ?)) OR (d.seq = ? AND d.seq = ?))",
     {"1", "2", "3"}},
    {"NOT id=1 AND id IN(2) OR id=3",
     "((NOT (d.seq = ?) AND d.seq IN (?)) OR d.seq = ?)",
     {"1", "2", "3"}},
    {"（编号 = 1 或 编号 = 2）\u3000且 编号 in （3，4）",
     "((d.seq = ? OR d.seq = ?) AND d.seq IN (?, ?))",
     {"1", "2", "3", "4"}},
    // Injection attempts stay bound values.
    {"action = \"x' OR 1=1 --\"", "d.action = ?", {"x' OR 1=1 --"}},
    {"action = x';DROP", "d.action = ?", {"x';DROP"}},
    {"rule = \"a')OR('1'='1\"", reason(), {"a')OR('1'='1"}},
    {"action = a\xff"
     "b",
     "d.action = ?",
     {"a\xff"
      "b"}},
    {"policy = \"?\" and id = 1", "(d.policy = ? AND d.seq = ?)", {"?", "1"}},
};

}  // namespace

TEST_CASE("fields, operators, values and precedence translate to bound SQL", "[filter]") {
  for (const auto& c : kCases) {
    SqlFilter f = ok(c.filter);
    INFO(c.filter);
    CHECK(f.where == c.where);
    CHECK(f.params == c.params);
    for (const auto& p : f.params)
      if (p.size() >= 3) CHECK(f.where.find(p) == std::string::npos);
  }
}

TEST_CASE("an empty filter selects everything", "[filter]") {
  for (std::string text : {"", "   ", "\t\n", "\u3000"}) {
    SqlFilter f = ok(text);
    CHECK(f.where == "1");
    CHECK(f.params.empty());
  }
}

struct ErrorCase {
  std::string filter;
  std::size_t offset, length;
  std::string message, help;
};

TEST_CASE("errors name the offending span", "[filter]") {
  const std::vector<ErrorCase> cases = {
      {"outcme = deny", 0, 6, "unknown field `outcme`", "did you mean `outcome`?"},
      {"结论 = 不能 且 结果 = 不宜", 20, 6, "unknown field `结果`", "did you mean `结论`?"},
      {"非结论 = 准许", 0, 9, "unknown field `非结论`", "`非` is a word of its own"},
      {"id = 1 且非 id = 2", 7, 6, "unexpected `且非`", "`且` is a word of its own"},
      {"zzzzzz = 1", 0, 6, "unknown field", "fields: id, time"},
      {"rule < A7", 5, 1, "`<` cannot be used with `rule`", "`rule` takes = != in"},
      {"action ^= ab", 7, 2, "`^=` cannot be used with `action`", ""},
      {"as_of = 2024-02-30", 8, 10, "invalid date `2024-02-30`: no such day", "2024-01-01"},
      {"基准日 >= 2024-13-01", 13, 10, "invalid date", ""},
      {"time >= 2024-01-01T25:00", 8, 16, "invalid time", "UTC"},
      {"time < 2024-01-01T08", 7, 13, "invalid time", ""},
      {"id = 1.5", 5, 3, "`1.5` is not an id", ""},
      {"id in (1, x)", 10, 1, "`x` is not an id", ""},
      {"outcome = denied", 10, 6, "unknown outcome `denied`", "did you mean `deny`?"},
      {"outcome in (permit, 可以吗)", 20, 9, "unknown outcome", "outcomes: permit"},
      {"bundle = 1a2b", 9, 4, "64 hex digits", "bundle ^= 1a2b"},
      {"bundle ^= 1a2g", 10, 4, "not a bundle hash", ""},
      {"(outcome = deny", 0, 1, "unbalanced parentheses: this `(` is never closed", ""},
      {"id = 1 and (id = 2 or (id = 3)", 11, 1, "unbalanced parentheses", ""},
      {"outcome = deny)", 14, 1, "unbalanced parentheses: this `)` has no matching `(`", ""},
      {"id in (1, 2", 6, 1, "unbalanced parentheses", ""},
      {"id in (1 2)", 9, 1, "expected `,` or `)`", ""},
      {"(id = 1 id = 2)", 8, 2, "expected `)`, `and` or `or`", ""},
      {"outcome =", 9, 1, "missing value, found the end of the filter", ""},
      {"outcome = and rule = A7", 10, 3, "missing value, found `and`", "quote it"},
      {"id in (1, )", 10, 1, "missing value", ""},
      {"outcome = deny rule = A7", 15, 4, "unexpected `rule` after a complete condition", "and"},
      {"action = \"abc", 9, 4, "unterminated string", ""},
      {"action = “abc", 9, 6, "unterminated string", ""},
      {"outcome deny", 8, 4, "expected an operator after the field, found `deny`", "^="},
      {"outcome === deny", 10, 1, "missing value, found `=`", ""},
      // A keyword glued inside a value: the help shows the spaced form, not "join with and/or".
      {"规则=Y1且结论=不予许可", 18, 1, "unexpected `=` after a complete condition",
       "`Y1且结论` reads as one value: `且` joins conditions only as a word of its own, with "
       "spaces around it (`Y1 且 结论`)"},
      {"rule = A1或rule = A2", 17, 1, "unexpected `=`", "(`A1 或 rule`)"},
      {"outcome = deny and", 18, 1, "expected a condition, found the end", "outcome = deny"},
      {"and outcome = deny", 0, 3, "expected a condition, found `and`", ""},
      {"()", 1, 1, "expected a condition, found `)`", ""},
      {"id in 1", 6, 1, "expected `(` after `in`", ""},
      {std::string(100, '(') + "id = 1", 64, 1, "more than 64 levels", ""},
      {"not not " + std::string(200, '(') + "id = 1", 70, 1, "more than 64 levels", ""},
  };
  for (const auto& c : cases) {
    FilterError e = err(c.filter);
    INFO(c.filter << "\n" << xy::audit::render_filter_error(c.filter, e, xy::Lang::en));
    CHECK(e.offset == c.offset);
    CHECK(e.length == c.length);
    CHECK(e.message.en.find(c.message) != std::string::npos);
    CHECK_FALSE(e.message.zh.empty());
    if (!c.help.empty()) {
      REQUIRE(e.help);
      CHECK(e.help->en.find(c.help) != std::string::npos);
      CHECK_FALSE(e.help->zh.empty());
    }
  }
}

TEST_CASE("errors render with a caret under the span", "[filter]") {
  std::string text = "结论 = 不能 且 outcme = deny";
  FilterError e = err(text);
  CHECK(xy::audit::render_filter_error(text, e, xy::Lang::en) ==
        "error: unknown field `outcme`\n"
        "  结论 = 不能 且 outcme = deny\n"
        "                 ^^^^^^\n"
        "  = help: did you mean `outcome`?\n");
  CHECK(xy::audit::render_filter_error(text, e, xy::Lang::zh) ==
        "错误：未知字段“outcme”\n"
        "  结论 = 不能 且 outcme = deny\n"
        "                 ^^^^^^\n"
        "  = 帮助：是否想写“outcome”？\n");
  std::string cjk = "行为 = 下派 且 基准日 < 某日";
  CHECK(xy::audit::render_filter_error(cjk, err(cjk), xy::Lang::en) ==
        "error: invalid date `某日`: expected a four-digit year\n"
        "  行为 = 下派 且 基准日 < 某日\n"
        "                          ^^^^\n"
        "  = help: write dates as 2024-01-01 or 2024年1月1日, times as 2024-01-01T08:30 (UTC)\n");
  std::string open = "id = 1 and\n(id = 2";
  CHECK(xy::audit::render_filter_error(open, err(open), xy::Lang::en) ==
        "error: unbalanced parentheses: this `(` is never closed\n"
        "  (id = 2\n"
        "  ^\n"
        "  = help: add `)` where the group ends\n");
  std::string end = "outcome =";
  CHECK(xy::audit::render_filter_error(end, err(end), xy::Lang::en) ==
        "error: missing value, found the end of the filter\n"
        "  outcome =\n"
        "           ^\n");
}

namespace {

// Runs `SELECT d.seq FROM decisions d WHERE <where>` over an in-memory store.
struct Store {
  sqlite3* db = nullptr;
  Store() {
    sqlite3_open(":memory:", &db);
    exec(R"sql(
      CREATE TABLE decisions (seq INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL,
        as_of TEXT NOT NULL, action TEXT NOT NULL, policy TEXT NOT NULL, outcome TEXT NOT NULL,
        bundle TEXT NOT NULL, request TEXT NOT NULL, decision TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL, rules TEXT NOT NULL DEFAULT '',
        overridden TEXT NOT NULL DEFAULT '');
      INSERT INTO decisions(seq, recorded_at, as_of, action, policy, outcome, bundle, request,
        decision, prev_hash, hash) VALUES
        (1, '2024-01-01T00:00:00.000Z', '2024-01-01', '下派事项', '准入', 'permit', 'h1', '', '', '', ''),
        (2, '2024-01-01T23:59:59.999Z', '2024-03-01', '下派事项', '准入', 'deny', 'h1', '', '', '', ''),
        (3, '2024-01-02T08:30:15.500Z', '2024-05-01', '换届', '资格审查', '不能', 'h2', '', '', '', ''),
        (4, '2024-02-29T12:00:00.000Z', '2021-06-30', '换届', '资格审查', '通过', 'h2', '', '', '', ''),
        (5, '2024-03-01T00:00:00.000Z', '2020-12-31', 'x'' OR 1=1 --', '准入', '不宜', 'h3', '', '', '', '');
      UPDATE decisions SET bundle = CASE bundle WHEN 'h1' THEN printf('%.64c', 'a')
        WHEN 'h2' THEN 'ab' || printf('%.62c', 'c') ELSE '1a2b' || printf('%.60c', '0') END;
      UPDATE decisions SET rules = CASE seq WHEN 1 THEN ' A1 ' WHEN 2 THEN ' A7 R1 '
        WHEN 3 THEN ' R1_刑事处罚 ' WHEN 5 THEN ' R4_涉黑涉恶 ' ELSE '' END;
      UPDATE decisions SET overridden = ' A7 ' WHERE seq = 3;
    )sql");
  }
  ~Store() { sqlite3_close(db); }
  void exec(const char* sql) {
    char* msg = nullptr;
    INFO((sqlite3_exec(db, sql, nullptr, nullptr, &msg), msg ? msg : ""));
    REQUIRE(msg == nullptr);
  }
  std::vector<int> select(const SqlFilter& f) {
    std::string sql = "SELECT d.seq FROM decisions d WHERE " + f.where + " ORDER BY d.seq";
    sqlite3_stmt* st = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    for (std::size_t i = 0; i < f.params.size(); ++i)
      sqlite3_bind_text(st, int(i + 1), f.params[i].c_str(), int(f.params[i].size()),
                        SQLITE_TRANSIENT);
    std::vector<int> seqs;
    while (sqlite3_step(st) == SQLITE_ROW) seqs.push_back(sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    return seqs;
  }
};

}  // namespace

TEST_CASE("filters select the right decisions in SQLite", "[filter][sqlite]") {
  Store store;
  const std::vector<std::pair<std::string, std::vector<int>>> cases = {
      {"", {1, 2, 3, 4, 5}},
      {"outcome = deny", {2}},
      {"结论 in (准许, reject)", {1, 3}},
      {"rule = A7", {2}},
      {"rule != A7", {1, 3, 4, 5}},
      {"例外 = A7", {3}},
      {"rule in (R1, R4_涉黑涉恶)", {2, 5}},
      {"rule = A or rule = 7 or rule = \"A7 R1\"", {}},  // whole ids only
      {"time = 2024-01-01", {1, 2}},
      {"时间 >= 2024-01-02 且 时间 <= 2024-02-29", {3, 4}},
      {"time < 2024-01-02T08:30:15.5", {1, 2}},
      {"time = 2024-01-02T08:30 or time in (2024-03-01)", {3, 5}},
      {"time > 2024-02-29", {4, 5}},
      {"id < 10 and id != 2", {1, 3, 4, 5}},
      {"id in (1, 03, 5)", {1, 3, 5}},
      {"bundle ^= 1A2B or bundle = " + std::string(64, 'a'), {1, 2, 5}},
      {"action = \"x' OR 1=1 --\"", {5}},
      {"action = \"x' OR '1'='1\"", {}},
      {"基准日 < 2022-01-01 或 not (policy = 准入)", {3, 4, 5}},
      {"结论 = 不能 且 (规则 = R1_刑事处罚 或 规则 = R4_涉黑涉恶) 且 基准日 >= 2021-01-01", {3}},
      {"outcome = deny and rule = A7 and as_of >= 2024-01-01 and action = \"下派事项\"", {2}},
      {"not (outcome = permit or outcome = deny) and id <= 4", {3, 4}},
  };
  for (const auto& [filter, expected] : cases) {
    INFO(filter);
    CHECK(store.select(ok(filter)) == expected);
  }
}
