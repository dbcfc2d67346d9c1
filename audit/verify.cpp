// `verify`: the chain recomputed record by record (with the recoveries an operator recorded), the
// search columns, the stored head, the signed checkpoints in DB.anchors, and receipts.
#include <boost/json.hpp>
#include <fstream>
#include <map>

#include "anchor.h"
#include "store_detail.h"
#include "words.h"

namespace xy::audit {
namespace json = boost::json;

namespace {

struct ReceiptLine {
  std::int64_t id = 0;
  std::string hash;
  std::size_t line = 0;
};

// Receipts: JSON Lines of answers carrying audit_id and audit_hash, or batch answers.
std::vector<ReceiptLine> read_receipts(const std::string& path, std::vector<Localized>& problems) {
  std::vector<ReceiptLine> out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back(
        {"cannot read the receipts file `" + path + "`", "无法读取回执文件 `" + path + "`"});
    return out;
  }
  std::string text;
  std::size_t n = 0;
  auto one = [&](const json::value& v) {
    const json::object* o = v.if_object();
    const json::value* id = o ? o->if_contains("audit_id") : nullptr;
    const json::value* hash = o ? o->if_contains("audit_hash") : nullptr;
    if (!id || !id->is_int64() || id->get_int64() < 1 || !hash || !hash->is_string()) {
      problems.push_back(
          {"line " + std::to_string(n) + ": not a receipt (no audit_id and audit_hash)",
           "第 " + std::to_string(n) + " 行：不是回执（没有 `audit_id` 和 `audit_hash`）"});
      return;
    }
    out.push_back({id->get_int64(), std::string(hash->get_string()), n});
  };
  while (std::getline(in, text)) {
    ++n;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) {
      problems.push_back({"line " + std::to_string(n) + ": not JSON (" + ec.message() + ")",
                          "第 " + std::to_string(n) + " 行：不是 JSON（" + ec.message() + "）"});
      continue;
    }
    const json::value* batch = v.is_object() ? v.get_object().if_contains("decisions") : nullptr;
    if (batch && batch->is_array())
      for (const auto& d : batch->get_array()) one(d);
    else
      one(v);
  }
  return out;
}

}  // namespace

Verification Store::verify(const std::string& public_key, const std::string& receipts) {
  Verification v;
  auto bad = [&](std::int64_t seq, Localized why) {
    if (!v.intact) return;  // the first problem is the one reported
    v.intact = false;
    v.first_bad = seq;
    v.problem = std::move(why);
  };
  exec(db_, "BEGIN");                           // one snapshot for everything read below
  std::map<std::int64_t, Recovery> recoveries;  // by after_seq
  if (has_table(db_, "recoveries")) {
    Statement r(db_,
                "SELECT after_seq, lost_to, recorded_at, reason, prev_hash, hash FROM recoveries");
    while (r.step())
      recoveries[r.int64(0)] = {r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.text(5)};
  }
  std::string anchor_path = store_anchor_path(path_);
  auto file = read_anchors(anchor_path, public_key);
  std::string store_id = meta_value(db_, "store_id").value_or("");
  bool anchored = meta_value(db_, "anchored_since").has_value();
  // The hash each checkpoint expects at its record number, checked as the walk passes it.
  std::multimap<std::int64_t, const Anchor*> expect;
  if (file)
    for (const auto& a : file->anchors) expect.emplace(a.seq, &a);
  std::map<const Anchor*, bool> matched;
  auto passed = [&](std::int64_t seq, const std::string& hash) {
    auto [from, to] = expect.equal_range(seq);
    for (auto it = from; it != to; ++it) {
      matched[it->second] = it->second->hash == hash;
      if (it->second->hash != hash)
        bad(seq, {"record " + std::to_string(seq) + " differs from the signed checkpoint of " +
                      it->second->at + " (" + anchor_path + " line " +
                      std::to_string(it->second->line) + "): it was changed or replaced",
                  "第 " + std::to_string(seq) + " 条记录与 " + it->second->at +
                      " 的已签名检查点（" + anchor_path + " 第 " +
                      std::to_string(it->second->line) + " 行）不一致：它被改动或替换过"});
    }
  };

  std::string prev = kZeroHash;
  std::int64_t expected = 1;
  // A recorded recovery after the last record: the chain goes on from it.
  auto recover_at = [&]() {
    for (auto it = recoveries.find(expected - 1); it != recoveries.end();
         it = recoveries.find(expected - 1)) {
      const Recovery& r = it->second;
      if (r.prev_hash != prev || recovery_hash(r) != r.hash || r.lost_to < r.after_seq)
        bad(expected, {"the recovery recorded after record " + std::to_string(r.after_seq) +
                           " does not follow the chain (it was changed or inserted)",
                       "第 " + std::to_string(r.after_seq) +
                           " 条记录之后记下的恢复与链接不上（它被改动过或是后来插入的）"});
      bool signed_ = false;
      auto [from, to] = expect.equal_range(r.lost_to);
      for (auto a = from; a != to; ++a) signed_ = signed_ || a->second->kind == "recovery";
      if (!signed_)
        bad(expected, {"the recovery of records " + std::to_string(r.after_seq + 1) + "–" +
                           std::to_string(r.lost_to) + " has no signed line in " + anchor_path +
                           ": it was not made by `xy audit recover`",
                       "第 " + std::to_string(r.after_seq + 1) + "–" + std::to_string(r.lost_to) +
                           " 条记录的恢复在 " + anchor_path +
                           " 中没有已签名的行：它不是用 `xy audit recover` 做的"});
      v.recovered.push_back({r.after_seq + 1, r.lost_to, r.at, r.reason});
      passed(r.lost_to, r.hash);
      prev = r.hash;
      expected = r.lost_to + 1;
      recoveries.erase(it);
    }
  };
  Statement s(db_,
              (std::string("SELECT ") + kColumns + " FROM decisions d ORDER BY d.seq").c_str());
  while (v.intact && s.step()) {
    Record r = read_record(s);
    recover_at();
    ++v.records;
    if (r.seq != expected) {
      bad(expected, r.seq > expected
                        ? Localized{"record " + std::to_string(expected) +
                                        " is missing (the next is " + std::to_string(r.seq) + ")",
                                    "第 " + std::to_string(expected) + " 条记录缺失（下一条是第 " +
                                        std::to_string(r.seq) + " 条）"}
                        : Localized{"record " + std::to_string(r.seq) + " is out of order",
                                    "第 " + std::to_string(r.seq) + " 条记录顺序错乱"});
    } else if (r.prev_hash != prev) {
      bad(r.seq, {"record " + std::to_string(r.seq) +
                      " does not follow the record before it (its prev_hash differs): a record "
                      "was removed, inserted or reordered",
                  "第 " + std::to_string(r.seq) +
                      " 条记录与前一条接不上（`prev_hash` 不同）：有记录被删除、插入或调换了顺序"});
    } else if (chain_hash(r) != r.hash) {
      bad(r.seq, {"record " + std::to_string(r.seq) +
                      " was changed after it was recorded (its content does not match its hash)",
                  "第 " + std::to_string(r.seq) + " 条记录在记录后被改动过（内容与哈希值不符）"});
    } else if (auto cols = rule_columns(r.decision);
               !cols || cols->first != r.rules || cols->second != r.overridden) {
      bad(r.seq, {"record " + std::to_string(r.seq) +
                      "'s search columns (rules, overridden) do not match its decision: they were "
                      "changed after it was recorded",
                  "第 " + std::to_string(r.seq) +
                      " 条记录的检索列（`rules`、`overridden`）与其决定不符：记录后被改动过"});
    }
    passed(r.seq, r.hash);
    prev = r.hash;
    ++expected;
  }
  if (s.failed())
    bad(expected,
        Localized{"cannot read the store: ", "无法读取审计存储："} + same(sqlite3_errmsg(db_)));
  if (v.intact) recover_at();
  std::int64_t head = expected - 1;
  if (v.intact) {
    std::int64_t meta_head = std::atoll(meta_value(db_, "head_seq").value_or("0").c_str());
    std::string meta_hash = meta_value(db_, "head_hash").value_or(kZeroHash);
    if (meta_head > head)
      bad(head + 1,
          {"the last " + std::to_string(meta_head - head) +
               " record(s) are missing (the store's head is record " + std::to_string(meta_head) +
               ")",
           "最后 " + std::to_string(meta_head - head) + " 条记录缺失（审计存储的链头是第 " +
               std::to_string(meta_head) + " 条记录）"});
    else if (meta_head != head || meta_hash != prev)
      bad(head,
          {"the store's head (record " + std::to_string(meta_head) +
               ") does not match its last record",
           "审计存储的链头（第 " + std::to_string(meta_head) + " 条记录）与最后一条记录不符"});
  }
  // The checkpoints: present, well signed, of this store, none beyond the end of the chain.
  if (!file) {
    bad(head + 1, file.error());
  } else if (!file->exists || (file->anchors.empty() && file->problems.empty())) {
    if (anchored)
      bad(head + 1, {"the checkpoint file `" + anchor_path +
                         "` is missing or empty: the records cannot be shown to be complete",
                     "检查点文件 `" + anchor_path + "` 不存在或为空：无法证明记录完整"});
    else
      v.warnings.push_back(
          {"this store has no signed checkpoints yet (it was last written by an older xy): only "
           "its internal chain was checked",
           "这个审计存储还没有已签名的检查点（上次由旧版 xy 写入）：只核验了它内部的链"});
  } else {
    for (const auto& p : file->problems)
      bad(head + 1,
          Localized{"checkpoint file " + anchor_path + ": ", "检查点文件 " + anchor_path + "："} +
              p);
    if (file->torn_tail)
      v.warnings.push_back(
          {"the last line of " + anchor_path + " is incomplete (a write cut short): ignored",
           anchor_path + " 的最后一行不完整（写入被中断）：已忽略"});
    for (const auto& a : file->anchors) {
      v.key = a.key;
      ++v.checkpoints;
      v.anchored_through = std::max(v.anchored_through, a.seq);
      if (a.store != store_id) {
        bad(head + 1, {anchor_path + " line " + std::to_string(a.line) +
                           " belongs to another store (" + a.store + ")",
                       anchor_path + " 第 " + std::to_string(a.line) + " 行属于另一个审计存储（" +
                           a.store + "）"});
        continue;
      }
      if (matched.count(&a)) continue;  // checked on the way
      bool lost = false;
      for (const auto& l : v.recovered) lost = lost || (a.seq >= l.from && a.seq <= l.to);
      if (lost) continue;  // acknowledged by a recovery
      if (a.seq > head) {
        v.missing = std::max(v.missing, a.seq - head);
        std::string range = std::to_string(head + 1) + "–" + std::to_string(a.seq);
        bad(head + 1,
            {"the store ends at record " + std::to_string(head) + ", but a signed checkpoint (" +
                 a.at + ", " + anchor_path + " line " + std::to_string(a.line) +
                 ") anchors record " + std::to_string(a.seq) + ": " + std::to_string(a.seq - head) +
                 " recorded decision(s) (" + range + ") are missing",
             "审计存储止于第 " + std::to_string(head) + " 条记录，但一个已签名的检查点（" + a.at +
                 "，" + anchor_path + " 第 " + std::to_string(a.line) + " 行）确认到第 " +
                 std::to_string(a.seq) + " 条：有 " + std::to_string(a.seq - head) +
                 " 个已记录的决定（第 " + range + " 条）缺失"});
      }
    }
  }
  v.head = prev;
  v.head_seq = head;
  if (!receipts.empty()) {
    for (const auto& r : read_receipts(receipts, v.receipt_problems)) {
      ++v.receipts;
      Statement h(db_, "SELECT hash FROM decisions WHERE seq = ?");
      h.bind(1, r.id);
      Localized where{
          "line " + std::to_string(r.line) + ": record " + std::to_string(r.id),
          "第 " + std::to_string(r.line) + " 行：第 " + std::to_string(r.id) + " 条记录"};
      if (h.step()) {
        if (h.text(0) == r.hash)
          ++v.receipts_ok;
        else
          v.receipt_problems.push_back(
              where + Localized{" differs from its receipt (hash " + h.text(0).substr(0, 12) +
                                    "…, receipt " + r.hash.substr(0, 12) + "…)",
                                "与回执不符（哈希值 " + h.text(0).substr(0, 12) + "…，回执为 " +
                                    r.hash.substr(0, 12) + "…）"});
        continue;
      }
      Localized lost;
      for (const auto& l : v.recovered)
        if (r.id >= l.from && r.id <= l.to)
          lost = {" (lost; recovery of " + l.at + ": " + l.reason + ")",
                  "（已丢失；见 " + l.at + " 的恢复：" + l.reason + "）"};
      v.receipt_problems.push_back(
          where + Localized{" is missing from the store", "在审计存储中缺失"} + lost);
    }
  }
  exec(db_, "COMMIT");
  return v;
}

}  // namespace xy::audit
