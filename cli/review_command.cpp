// `xy review`: the county joint review over the roster and the departments' returned sheets
// (docs/review.md): collate, decide each candidate, record, and write the summary.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "commands.h"
#include "progress.h"
#include "replace_file.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/literals/literals.h"
#include "xiangyue/review/summary.h"
#include "xiangyue/sheets/write.h"

namespace xy::cli {

namespace fs = std::filesystem;

CLI::App* add_review(CLI::App& app, ReviewOptions& o, std::string& lang_opt) {
  auto* r = app.add_subcommand(
      "review",
      "the county joint review: the roster and the departments' returned sheets, each "
      "candidate decided (docs/review.md)");
  r->add_option("policies", o.policies, "the policy set (with its `returns` declaration)")
      ->required();
  r->add_option("--policy", o.policy, "the review policy that decides (its name)")->required();
  r->add_option("--candidates", o.candidates, "the roster: .xlsx or .csv")->required();
  r->add_option("--returns", o.returns,
                "the departments' returns: .xlsx or .csv files, or folders of them");
  r->add_option("--out", o.out, "the folder the results are written to")->required();
  r->add_option("--as-of", o.as_of, "the review date (default: today)");
  r->add_option("--audit", o.audit, "record every decision in this audit store");
  r->add_option("--mapping", o.mapping,
                "the `returns` declaration to use, when the set has more than one");
  r->add_flag("--show-ids", o.show_ids, "show ID numbers in full in the reports");
  r->add_option("--laws", o.laws,
                "statute texts to check citations against (default: a laws/ folder in, beside or "
                "above the policies)");
  r->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  return r;
}

namespace {

// The spreadsheets among `paths`: files as given, folders' .xlsx and .csv files (sorted; office
// software's lock files `~$…` left out).
std::vector<std::string> spreadsheets(const std::vector<std::string>& paths,
                                      std::vector<std::string>& missing) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (it->is_regular_file(ec) && (ext == ".xlsx" || ext == ".csv") && !name.starts_with("~$"))
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
    } else {
      missing.push_back(p);
    }
  }
  return out;
}

bool write_text(const fs::path& path, const std::string& text, Localized& why) {
  std::string reason;
  if (replace_file(path.string(), text, &reason)) return true;
  why = {"cannot write `" + path.string() + "`" + (reason.empty() ? "" : ": " + reason),
         "无法写入「" + path.string() + "」" + (reason.empty() ? "" : "：" + reason)};
  return false;
}

}  // namespace

int run_review(const ReviewOptions& o) {
  bool zh = o.lang == Lang::zh;
  auto error = [&](const Localized& why, int code) {
    std::cerr << (zh ? "错误：" : "error: ") << why.in(o.lang) << "\n";
    return code;
  };
  Date as_of = Date::today();
  if (!o.as_of.empty()) {
    auto d = lit::parse_date(o.as_of);
    if (!d)
      return error({"--as-of needs a date such as 2024-03-01", "--as-of 应为日期，如 2024-03-01"},
                   kBadInput);
    as_of = *d;
  }

  // The policies and their `returns` declaration.
  CompileSettings settings;
  settings.laws_dir = o.laws;
  auto compiled = compile_paths(o.policies, settings);
  if (compiled.diagnostics.kept() > 0)
    std::cerr << render_all(compiled.diagnostics, compiled.files, o.lang);
  if (!compiled.bundle) return kPolicyErrors;
  const Bundle& bundle = *compiled.bundle;
  const checked::Returns* returns = nullptr;
  std::string names;
  for (const auto& r : compiled.returns) {
    names += (names.empty() ? "" : ", ") + r.name;
    if (o.mapping.empty() ? compiled.returns.size() == 1 : r.name == o.mapping) returns = &r;
  }
  if (!returns) {
    if (compiled.returns.empty())
      return error(
          {"the policies declare no `returns`: say how the roster and the returns map to "
           "the facts (docs/review.md)",
           "策略中没有「报送」声明：请写明名册和各部门的报送如何对应到事实（见 docs/review.md）"},
          kBadInput);
    return error(
        {o.mapping.empty()
             ? "the policies declare several `returns` (" + names + "): choose one with --mapping"
             : "no `returns " + o.mapping + "`; there are: " + names,
         o.mapping.empty() ? "策略中有多个「报送」声明（" + names + "）：请用 --mapping 选择"
                           : "没有「报送 " + o.mapping + "」；现有：" + names},
        kBadInput);
  }
  auto policy = review::policy_for(bundle, *returns, o.policy);
  if (!policy) return error(policy.error(), kBadInput);

  // The workbooks.
  auto roster = sheets::read_table(o.candidates);
  if (!roster) return error(roster.error(), kBadInput);
  std::vector<std::string> missing;
  auto files = spreadsheets(o.returns, missing);
  if (!missing.empty())
    return error({"cannot read `" + missing[0] + "`: no such file or folder",
                  "无法读取「" + missing[0] + "」：文件或目录不存在"},
                 kBadInput);
  // The roster is no return, though it may lie in the returns' folder.
  std::error_code same_ec;
  std::erase_if(files,
                [&](const std::string& f) { return fs::equivalent(f, o.candidates, same_ec); });
  Progress progress(o.lang);
  progress.phase({"reading returns", "读取报送"}, files.size());
  std::vector<review::Problem> unread;
  std::vector<sheets::Workbook> books;
  for (const auto& f : files) {
    progress.update(books.size() + unread.size());
    auto wb = sheets::read_table(f);
    if (wb)
      books.push_back(std::move(*wb));
    else
      unread.push_back({{f, "", 0, 0}, wb.error()});  // its department counts as not returned
  }
  auto returned = review::assign(*returns, std::move(books), unread);
  auto collated = review::collate(*returns, bundle, *roster, returned);
  if (!collated) return error(collated.error(), kBadInput);
  collated->problems.insert(collated->problems.begin(), unread.begin(), unread.end());

  // Decide, and record.
  std::unique_ptr<audit::Store> store;
  if (!o.audit.empty()) {
    auto opened = audit::Store::open(o.audit);
    if (!opened) return error(opened.error(), kNotRecorded);
    store = std::move(*opened);
  }
  // The results' folder, once the store is open and before anything is recorded: a refused run
  // writes nothing, and nothing is recorded for a run that could not write its results.
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec || !fs::is_directory(o.out, ec))
    return error({"cannot make the folder `" + o.out + "`" + (ec ? ": " + ec.message() : ""),
                  "无法创建目录「" + o.out + "」" + (ec ? "：" + ec.message() : "")},
                 kBadInput);

  review::Decider decider(bundle, bundle.policies[*policy].name, as_of);
  std::vector<review::Reviewed> reviewed;
  std::vector<audit::Receipt> receipts;
  reviewed.reserve(collated->candidates.size());
  progress.phase({"deciding", "裁决"}, collated->candidates.size());
  for (const auto& cand : collated->candidates) {
    progress.update(reviewed.size());
    audit::Receipt receipt;
    auto decided = decider.decide(
        cand, *returns,
        [&](const Request& req, const Decision& d, const std::string& rj, const std::string& dj) {
          if (store) receipt = store->append(bundle, req, rj, d, dj);
        });
    if (store && receipt.id == 0) return error(store->health().error, kNotRecorded);
    receipts.push_back(receipt);
    reviewed.push_back({&cand, std::move(decided)});
  }
  if (store)
    if (auto r = store->commit(); !r) return error(r.error(), kNotRecorded);

  // The results.
  progress.phase({"writing the results", "写出结果"}, 0);
  review::SummaryOptions so{o.show_ids, o.lang};
  auto summary = review::summary_sheet(*returns, reviewed, so);
  fs::path out(o.out);
  const char* stem = zh ? "联审结果汇总表" : "review-summary";
  auto written = sheets::write_xlsx(
      (out / (std::string(stem) + ".xlsx")).string(),
      {summary, review::orphans_sheet(*collated, so), review::problems_sheet(*collated, so)});
  if (!written) return error(written.error(), kBadInput);
  Localized why;
  if (!write_text(out / (std::string(stem) + ".csv"), sheets::csv_text(summary), why))
    return error(why, kBadInput);
  std::string lines;
  for (std::size_t i = 0; i < reviewed.size(); ++i) {
    std::string line = review::decision_line(*returns, reviewed[i], so);
    if (store)
      line = "{\"audit_id\":" + std::to_string(receipts[i].id) + ",\"audit_hash\":\"" +
             receipts[i].hash + "\"," + line.substr(1);
    lines += line + "\n";
  }
  if (!write_text(out / "decisions.jsonl", lines, why)) return error(why, kBadInput);
  std::string page = review::report_html(*returns, *collated, reviewed,
                                         {bundle.policies[*policy].name, as_of}, so);
  if (!write_text(out / (zh ? "联审结果.html" : "review-report.html"), page, why))
    return error(why, kBadInput);

  progress.clear();
  // One line for the terminal.
  std::map<ir::Outcome, std::size_t> counts;
  for (const auto& r : reviewed) ++counts[r.decided.outcome];
  std::string tally;
  for (auto oc :
       {ir::Outcome::Reject, ir::Outcome::Refer, ir::Outcome::Pass, ir::Outcome::Indeterminate})
    tally += (tally.empty() ? ""
              : zh          ? "，"
                            : ", ") +
             review::outcome_word(oc, o.lang) + " " + std::to_string(counts[oc]);
  std::string out_depts;
  for (const auto& d : collated->outstanding) out_depts += (out_depts.empty() ? "" : "、") + d;
  std::cout << "xy review: " << reviewed.size() << (zh ? " 名候选人（" : " candidates (") << tally
            << (zh ? "）" : ")");
  if (!out_depts.empty()) std::cout << (zh ? "；未报送：" : "; not returned: ") << out_depts;
  if (!collated->orphans.empty())
    std::cout << (zh ? "；名册外的记录 " : "; records on no roster row: ")
              << collated->orphans.size();
  std::cout << (zh ? "；结果在 " : "; results in ") << o.out << "\n";
  return kDecided;
}

}  // namespace xy::cli
