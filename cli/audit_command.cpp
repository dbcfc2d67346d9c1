// `xy audit list|show|verify|export`: reviewers' access to the audit store.
#include <boost/json.hpp>
#include <iostream>
#include <map>

#include "commands.h"
#include "xiangyue/audit/record_json.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/runtime/engine.h"

namespace xy::cli {
namespace json = boost::json;

namespace {

// Every reading command opens the store read-only: it never creates, migrates or checkpoints it.
std::unique_ptr<audit::Store> open_store(const std::string& path, Lang lang) {
  auto s = audit::Store::open_read(path);
  if (!s) {
    std::cerr << (lang == Lang::zh ? "错误：" : "error: ") << s.error().in(lang) << "\n";
    return nullptr;
  }
  return std::move(*s);
}

std::optional<audit::SqlFilter> filter_of(const std::string& text, Lang lang) {
  auto f = audit::compile_filter(text);
  if (!f) {
    std::cerr << audit::render_filter_error(text, f.error(), lang);
    return std::nullopt;
  }
  return *f;
}

// "A1 A7": the reasons' rule ids from the record's search column.
std::string rules_of(const audit::Record& r) {
  auto from = r.rules.find_first_not_of(' ');
  if (from == std::string::npos) return "";
  return r.rules.substr(from, r.rules.find_last_not_of(' ') - from + 1);
}

std::string csv_cell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

int verify(audit::Store& store, const AuditOptions& o) {
  bool zh = o.lang == Lang::zh;
  auto v = store.verify(o.public_key, o.receipts);
  if (v.intact) {
    std::cout << (zh ? "完整：" : "intact: ") << v.records
              << (zh ? " 条记录，链头 " : " records, head ") << v.head << "\n";
  } else if (v.missing > 0) {
    std::cout << (zh ? "不完整：" : "incomplete: ") << v.missing
              << (zh ? " 条已记录的决定缺失：" : " recorded decision(s) missing: ")
              << v.problem.in(o.lang) << "\n";
  } else {
    std::cout << (zh ? "已被篡改：第 " : "tampered: record ") << v.first_bad
              << (zh ? " 条：" : ": ") << v.problem.in(o.lang) << "\n";
  }
  if (v.checkpoints > 0)
    std::cout << "  " << (zh ? "已签名检查点 " : "signed checkpoints: ") << v.checkpoints
              << (zh ? " 个，锚定至第 " : ", through record ") << v.anchored_through
              << (zh ? " 条（公钥 " : " (key ") << v.key << (zh ? "）\n" : ")\n");
  for (const auto& l : v.recovered)
    std::cout << "  " << (zh ? "已登记的丢失：第 " : "lost and recovered: records ") << l.from
              << "–" << l.to << (zh ? " 条（" : " (") << l.at << (zh ? "，原因：" : ", reason: ")
              << l.reason << (zh ? "）\n" : ")\n");
  for (const auto& w : v.warnings)
    std::cout << "  " << (zh ? "注意：" : "warning: ") << w.in(o.lang) << "\n";
  bool receipts_ok = v.receipt_problems.empty();
  if (!o.receipts.empty()) {
    std::cout << (zh ? "回执：核对 " : "receipts: ") << v.receipts
              << (zh ? " 张，记录在且未改动 " : " checked, present and unchanged: ")
              << v.receipts_ok << "\n";
    std::size_t shown = 0;
    for (const auto& p : v.receipt_problems)
      if (shown++ < 20) std::cout << "  " << p.in(o.lang) << "\n";
    if (v.receipt_problems.size() > 20)
      std::cout << "  " << (zh ? "……另有 " : "… and ") << v.receipt_problems.size() - 20
                << (zh ? " 处\n" : " more\n");
  }
  return v.intact && receipts_ok ? kDecided : kPolicyErrors;
}

}  // namespace

int run_audit(const AuditOptions& o) {
  bool zh = o.lang == Lang::zh;
  auto fail = [&](const Localized& why) {
    std::cerr << (zh ? "错误：" : "error: ") << why.in(o.lang) << "\n";
    return kNotRecorded;
  };
  if (o.command == "key") {
    auto key = audit::Store::public_key(o.db);
    if (!key) return fail(key.error());
    std::cout << "ed25519:" << *key << "\n";
    return kDecided;
  }
  if (o.command == "recover") {
    auto done = audit::Store::recover(o.db, o.reason);
    if (!done) return fail(done.error());
    std::cout << (zh ? "已恢复：" : "recovered: ") << done->in(o.lang) << "\n";
    return kDecided;
  }
  auto store = open_store(o.db, o.lang);
  if (!store) return kNotRecorded;
  if (o.command == "verify") return verify(*store, o);
  if (o.command == "show") {
    auto r = store->get(o.id);
    if (!r) return fail(r.error());
    if (!r->has_value()) {
      std::cerr << (zh ? "错误：没有第 " + std::to_string(o.id) + " 条记录\n"
                       : "error: no record " + std::to_string(o.id) + "\n");
      return kBadInput;
    }
    const audit::Record& rec = **r;
    auto context = audit::record_context(*store, rec);  // sources, facts read
    if (o.format == "json") {
      std::cout << json::serialize(audit::record_json(rec, context)) << "\n";
    } else if (o.format == "html") {
      std::cout << audit::render_html(audit::record_view(rec, std::move(context)), o.lang);
    } else {
      std::cout << show_text(rec, context.sources, context.facts ? &*context.facts : nullptr,
                             o.lang);
    }
    return kDecided;
  }
  auto filter = filter_of(o.filter, o.lang);
  if (!filter) return kBadInput;
  Result<bool, Localized> read = true;
  if (o.command == "list") {
    std::int64_t n = 0;
    read = store->each(*filter, o.limit, [&](const audit::Record& r) {
      std::cout << "#" << r.seq << "  " << r.recorded_at << "  " << r.as_of << "  " << r.action
                << "  " << r.policy << "  " << outcome_label(r.outcome, o.lang) << "  "
                << rules_of(r) << "\n";
      ++n;
      return true;
    });
    if (read && n == 0) std::cerr << (zh ? "（没有符合条件的记录）\n" : "(no matching records)\n");
  } else if (o.format == "csv") {
    // export, one record at a time: memory does not grow with the store.
    std::cout << "id,recorded_at,as_of,action,policy,outcome,rules,bundle,hash,request,decision\n";
    read = store->each(*filter, -1, [&](const audit::Record& r) {
      std::cout << r.seq << "," << csv_cell(r.recorded_at) << "," << csv_cell(r.as_of) << ","
                << csv_cell(r.action) << "," << csv_cell(r.policy) << "," << csv_cell(r.outcome)
                << "," << csv_cell(rules_of(r)) << "," << csv_cell(r.bundle) << ","
                << csv_cell(r.hash) << "," << csv_cell(r.request) << "," << csv_cell(r.decision)
                << "\n";
      return bool(std::cout);
    });
  } else {
    // Each bundle is loaded once for the facts its records' rules read.
    std::map<std::string, std::optional<Bundle>> bundles;
    read = store->each(*filter, -1, [&](const audit::Record& r) {
      auto [it, fresh] = bundles.try_emplace(r.bundle);
      if (fresh)
        if (auto bytes = store->bundle_bytes(r.bundle); bytes && bytes->has_value())
          if (auto b = Bundle::deserialize(**bytes)) it->second = std::move(*b);
      auto context = audit::record_context(it->second ? &*it->second : nullptr, r);
      std::cout << json::serialize(audit::record_json(r, context)) << "\n";
      return bool(std::cout);
    });
  }
  if (!read) return fail(read.error());
  return kDecided;
}

}  // namespace xy::cli
