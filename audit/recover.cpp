// `xy audit recover`: after records were lost (the store ends before its last signed checkpoint),
// record the loss in the store and in DB.anchors and let the chain resume after every number that
// may have been handed out, so that no audit id is ever issued twice.
#include <sqlite3.h>
#include <unistd.h>

#include "anchor.h"
#include "store_detail.h"
#include "words.h"
#include "xiangyue/common/date.h"

namespace xy::audit {

Result<Localized, Localized> Store::recover(const std::string& path, const std::string& reason) {
  using R = Result<Localized, Localized>;
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return R::failure({"say why in --reason: it is kept with the recovery",
                       "请在 --reason 中写明原因：它会和这次恢复一起保存"});
  std::string anchor_path = store_anchor_path(path);
  auto log = AnchorLog::open(anchor_path);  // no writer may run meanwhile
  if (!log)
    return R::failure(Localized{"the audit store `" + path + "` cannot be recovered now: ",
                                "审计存储 `" + path + "` 现在无法恢复："} +
                      log.error());
  if (::access(path.c_str(), F_OK) != 0)
    return R::failure(
        {"there is no audit store at `" + path + "`", "`" + path + "` 处没有审计存储"});
  auto key = SigningKey::load(store_key_path(path), false);
  if (!key) return R::failure(key.error());
  // What is wrong must be a loss, not tampering.
  Verification v;
  {
    auto reader = open_read(path);
    if (!reader) return R::failure(reader.error());
    v = (*reader)->verify(key->public_hex());
  }
  auto file = read_anchors(anchor_path, key->public_hex());
  if (!file) return R::failure(file.error());
  if (!file->problems.empty())
    return R::failure(
        Localized{"the checkpoint file `" + anchor_path + "` is damaged (",
                  "检查点文件 `" + anchor_path + "` 已损坏（"} +
        file->problems.front() +
        Localized{"): that is not a loss to recover from", "）：这不是可以恢复的记录丢失"});
  if (v.intact)
    return R::failure(
        {"nothing to recover: `" + path + "` is intact (" + std::to_string(v.records) + " records)",
         "无需恢复：`" + path + "` 完好（共 " + std::to_string(v.records) + " 条记录）"});
  if (v.missing == 0)
    return R::failure(
        Localized{"`" + path + "` is not merely missing records: ",
                  "`" + path + "` 的问题不只是缺少记录："} +
        v.problem +
        Localized{" (recover only resumes after a loss; a changed record stays a finding)",
                  "（恢复只能在记录丢失后让链接续下去；被改动的记录仍然是核查发现的问题）"});
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return R::failure(
        {"cannot open `" + path + "` for writing", "无法打开 `" + path + "` 进行写入"});
  }
  sqlite3_busy_timeout(db, 10000);
  std::int64_t reserved = 0;
  for (const auto& a : file->anchors) reserved = std::max({reserved, a.reserved, a.seq});
  Recovery r;
  r.after_seq = v.head_seq;
  r.lost_to = reserved;
  r.at = utc_timestamp();
  r.reason = reason;
  r.prev_hash = v.head;
  r.hash = recovery_hash(r);
  std::string store_id;
  bool ok = exec(db, "BEGIN IMMEDIATE").ok();
  if (ok) {
    store_id = meta_value(db, "store_id").value_or("");
    Statement ins(db,
                  "INSERT INTO recoveries(after_seq, lost_to, recorded_at, reason, prev_hash, "
                  "hash) VALUES (?, ?, ?, ?, ?, ?)");
    Statement head(db, "UPDATE meta SET value = ? WHERE key = ?");
    ok = ins.bind(1, r.after_seq) && ins.bind(2, r.lost_to) && ins.bind(3, r.at) &&
         ins.bind(4, r.reason) && ins.bind(5, r.prev_hash) && ins.bind(6, r.hash) && ins.run() &&
         head.bind(1, std::to_string(r.lost_to)) && head.bind(2, std::string("head_seq")) &&
         head.run() && head.reset() && head.bind(1, r.hash) &&
         head.bind(2, std::string("head_hash")) && head.run();
  }
  std::string why = sqlite3_errmsg(db);
  ok = ok && exec(db, "COMMIT").ok();
  if (!ok) exec(db, "ROLLBACK");
  sqlite3_close_v2(db);
  if (!ok)
    return R::failure({"cannot record the recovery in `" + path + "`: " + why,
                       "无法在 `" + path + "` 中记下这次恢复：" + why});
  Anchor a;
  a.kind = "recovery";
  a.store = store_id;
  a.seq = r.lost_to;
  a.hash = r.hash;
  a.reserved = r.lost_to;
  a.lost_from = r.after_seq + 1;
  a.reason = reason;
  a.at = r.at;
  if (auto w = (*log)->append(a, *key, true); !w)
    return R::failure(Localized{"the recovery is in the store but could not be signed: ",
                                "这次恢复已记入审计存储，但未能签名："} +
                      w.error());
  std::string range = std::to_string(r.after_seq + 1) + "–" + std::to_string(r.lost_to);
  return Localized{"records " + range + " are recorded as lost (" + std::to_string(v.missing) +
                       " of them had been anchored as recorded; the rest are numbers that may "
                       "have been handed out); the chain resumes at record " +
                       std::to_string(r.lost_to + 1),
                   "第 " + range + " 条记录已记为丢失（其中 " + std::to_string(v.missing) +
                       " 条曾由检查点确认已记录，其余是可能已发出的编号）；链从第 " +
                       std::to_string(r.lost_to + 1) + " 条记录接续"};
}

}  // namespace xy::audit
