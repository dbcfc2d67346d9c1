// `verify`: the chain recomputed record by record (with the recoveries an operator recorded), the
// search columns, the stored head, the signed checkpoints in DB.anchors, and receipts.
#include <boost/json.hpp>
#include <fstream>
#include <map>

#include "anchor.h"
#include "store_detail.h"

namespace xy::audit {
namespace json = boost::json;

namespace {

struct ReceiptLine {
  std::int64_t id = 0;
  std::string hash;
  std::size_t line = 0;
};

// Receipts: JSON Lines of answers carrying audit_id and audit_hash, or batch answers.
std::vector<ReceiptLine> read_receipts(const std::string& path,
                                       std::vector<std::string>& problems) {
  std::vector<ReceiptLine> out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back("cannot read the receipts file `" + path + "`");
    return out;
  }
  std::string text;
  std::size_t n = 0;
  auto one = [&](const json::value& v) {
    const json::object* o = v.if_object();
    const json::value* id = o ? o->if_contains("audit_id") : nullptr;
    const json::value* hash = o ? o->if_contains("audit_hash") : nullptr;
    if (!id || !id->is_int64() || id->get_int64() < 1 || !hash || !hash->is_string()) {
      problems.push_back("line " + std::to_string(n) +
                         ": not a receipt (no audit_id and audit_hash)");
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
      problems.push_back("line " + std::to_string(n) + ": not JSON (" + ec.message() + ")");
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
  auto bad = [&](std::int64_t seq, std::string why) {
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
        bad(seq, "record " + std::to_string(seq) + " differs from the signed checkpoint of " +
                     it->second->at + " (" + anchor_path + " line " +
                     std::to_string(it->second->line) + "): it was changed or replaced");
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
        bad(expected, "the recovery recorded after record " + std::to_string(r.after_seq) +
                          " does not follow the chain (it was changed or inserted)");
      bool signed_ = false;
      auto [from, to] = expect.equal_range(r.lost_to);
      for (auto a = from; a != to; ++a) signed_ = signed_ || a->second->kind == "recovery";
      if (!signed_)
        bad(expected, "the recovery of records " + std::to_string(r.after_seq + 1) + "–" +
                          std::to_string(r.lost_to) + " has no signed line in " + anchor_path +
                          ": it was not made by `xy audit recover`");
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
      bad(expected, r.seq > expected ? "record " + std::to_string(expected) +
                                           " is missing (the next is " + std::to_string(r.seq) + ")"
                                     : "record " + std::to_string(r.seq) + " is out of order");
    } else if (r.prev_hash != prev) {
      bad(r.seq, "record " + std::to_string(r.seq) +
                     " does not follow the record before it (its prev_hash differs): a record was "
                     "removed, inserted or reordered");
    } else if (chain_hash(r) != r.hash) {
      bad(r.seq, "record " + std::to_string(r.seq) +
                     " was changed after it was recorded (its content does not match its hash)");
    } else if (auto cols = rule_columns(r.decision);
               !cols || cols->first != r.rules || cols->second != r.overridden) {
      bad(r.seq, "record " + std::to_string(r.seq) +
                     "'s search columns (rules, overridden) do not match its decision: they were "
                     "changed after it was recorded");
    }
    passed(r.seq, r.hash);
    prev = r.hash;
    ++expected;
  }
  if (s.failed()) bad(expected, std::string("cannot read the store: ") + sqlite3_errmsg(db_));
  if (v.intact) recover_at();
  std::int64_t head = expected - 1;
  if (v.intact) {
    std::int64_t meta_head = std::atoll(meta_value(db_, "head_seq").value_or("0").c_str());
    std::string meta_hash = meta_value(db_, "head_hash").value_or(kZeroHash);
    if (meta_head > head)
      bad(head + 1, "the last " + std::to_string(meta_head - head) +
                        " record(s) are missing (the store's head is record " +
                        std::to_string(meta_head) + ")");
    else if (meta_head != head || meta_hash != prev)
      bad(head, "the store's head (record " + std::to_string(meta_head) +
                    ") does not match its last record");
  }
  // The checkpoints: present, well signed, of this store, none beyond the end of the chain.
  if (!file) {
    bad(head + 1, file.error());
  } else if (!file->exists || (file->anchors.empty() && file->problems.empty())) {
    if (anchored)
      bad(head + 1, "the checkpoint file `" + anchor_path +
                        "` is missing or empty: the records cannot be shown to be complete");
    else
      v.warnings.push_back(
          "this store has no signed checkpoints yet (it was last written by an "
          "older xy): only its internal chain was checked");
  } else {
    for (const auto& p : file->problems) bad(head + 1, "checkpoint file " + anchor_path + ": " + p);
    if (file->torn_tail)
      v.warnings.push_back("the last line of " + anchor_path +
                           " is incomplete (a write cut short): ignored");
    for (const auto& a : file->anchors) {
      v.key = a.key;
      ++v.checkpoints;
      v.anchored_through = std::max(v.anchored_through, a.seq);
      if (a.store != store_id) {
        bad(head + 1, anchor_path + " line " + std::to_string(a.line) +
                          " belongs to another store (" + a.store + ")");
        continue;
      }
      if (matched.count(&a)) continue;  // checked on the way
      bool lost = false;
      for (const auto& l : v.recovered) lost = lost || (a.seq >= l.from && a.seq <= l.to);
      if (lost) continue;  // acknowledged by a recovery
      if (a.seq > head) {
        v.missing = std::max(v.missing, a.seq - head);
        bad(head + 1, "the store ends at record " + std::to_string(head) +
                          ", but a signed checkpoint (" + a.at + ", " + anchor_path + " line " +
                          std::to_string(a.line) + ") anchors record " + std::to_string(a.seq) +
                          ": " + std::to_string(a.seq - head) + " recorded decision(s) (" +
                          std::to_string(head + 1) + "–" + std::to_string(a.seq) + ") are missing");
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
      std::string where = "line " + std::to_string(r.line) + ": record " + std::to_string(r.id);
      if (h.step()) {
        if (h.text(0) == r.hash)
          ++v.receipts_ok;
        else
          v.receipt_problems.push_back(where + " differs from its receipt (hash " +
                                       h.text(0).substr(0, 12) + "…, receipt " +
                                       r.hash.substr(0, 12) + "…)");
        continue;
      }
      std::string lost;
      for (const auto& l : v.recovered)
        if (r.id >= l.from && r.id <= l.to)
          lost = " (lost; recovery of " + l.at + ": " + l.reason + ")";
      v.receipt_problems.push_back(where + " is missing from the store" + lost);
    }
  }
  exec(db_, "COMMIT");
  return v;
}

}  // namespace xy::audit
