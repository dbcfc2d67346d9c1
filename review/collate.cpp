// Collates the roster and the departments' returns into one request's facts per candidate.
#include "xiangyue/review/collate.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "cell_value.h"
#include "header.h"

namespace xy::review {

namespace json = boost::json;

std::string Place::text(Lang lang) const {
  bool zh = lang == Lang::zh;
  std::string out = file;
  if (!sheet.empty()) out += zh ? "，工作表「" + sheet + "」" : ", sheet " + sheet;
  if (row && column)
    out += (zh ? "，单元格 " : ", cell ") + sheets::column_name(column) + std::to_string(row);
  else if (row)
    out += zh ? "，第 " + std::to_string(row) + " 行" : ", row " + std::to_string(row);
  return out;
}

namespace {

std::string stem(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

// An ID number as written: spaces dropped, a lower-case x made upper-case.
std::string normal_id(const sheets::Cell& c) {
  std::string s = trimmed(c.text);
  std::string out;
  for (char ch : s)
    if (ch != ' ') out += ch == 'x' ? 'X' : ch;
  return out;
}

// Sets `value` at the fact `path` (`候选人.刑事记录`) in `facts`, making the records on the way.
void put(json::object& facts, const std::string& path, json::value value) {
  json::object* at = &facts;
  std::size_t from = 0;
  for (;;) {
    std::size_t dot = path.find('.', from);
    std::string name = path.substr(from, dot == std::string::npos ? dot : dot - from);
    if (dot == std::string::npos) {
      (*at)[name] = std::move(value);
      return;
    }
    json::value& next = (*at)[name];
    if (!next.is_object()) next = json::object();
    at = &next.as_object();
    from = dot + 1;
  }
}

// What one sheet fact holds for one candidate while the returns are read.
struct Gathered {
  json::array records;
  bool flag = false;
  bool unknown = false;  // a department giving it has not returned, or a row could not be read
};

}  // namespace

std::vector<Return> assign(const checked::Returns& returns, std::vector<sheets::Workbook> workbooks,
                           std::vector<Problem>& problems) {
  std::vector<Return> out;
  for (const auto& d : returns.departments) out.push_back({d.name, {}});
  for (auto& wb : workbooks) {
    std::string name = stem(wb.path);
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < returns.departments.size(); ++i) {
      const auto& d = returns.departments[i];
      bool named = name.find(d.name) != std::string::npos;
      for (const auto& t : d.titles) named = named || name.find(t) != std::string::npos;
      if (named) hits.push_back(i);
    }
    if (hits.size() == 1) {
      out[hits[0]].workbooks.push_back(std::move(wb));
      continue;
    }
    std::string names, names_zh;
    for (auto i : hits) {
      names += (names.empty() ? "" : ", ") + returns.departments[i].name;
      names_zh += (names_zh.empty() ? "" : "、") + returns.departments[i].name;
    }
    problems.push_back(
        {{wb.path, "", 0, 0},
         hits.empty()
             ? Localized{"the file name names no department of `" + returns.name +
                             "`: it is not read (name the file after its department)",
                         "文件名中没有「" + returns.name +
                             "」的任何部门：未读取（请以部门名称命名文件）"}
             : Localized{"the file name names two departments (" + names + "): it is not read",
                         "文件名中含有两个部门（" + names_zh + "）：未读取"}});
  }
  return out;
}

Result<Collation, Localized> collate(const checked::Returns& returns, const Bundle& bundle,
                                     const sheets::Workbook& roster,
                                     const std::vector<Return>& returned) {
  using R = Result<Collation, Localized>;
  Collation out;

  // ---- the roster ----
  std::vector<const checked::Column*> wanted{&returns.id};
  if (returns.has_birth) wanted.push_back(&returns.birth);
  for (const auto& l : returns.labels) wanted.push_back(&l);
  for (const auto& c : returns.columns) wanted.push_back(&c);
  auto header = find_header(roster, returns.id.titles, wanted);
  if (!header)
    return R::failure({roster.path + ": no sheet has a column titled " +
                           titles_text(returns.id.titles, Lang::en) + " (the roster's id column)",
                       roster.path + "：没有工作表含有标题为" +
                           titles_text(returns.id.titles, Lang::zh) + "的列（名册的身份证列）"});
  const sheets::Sheet& sheet = *header->sheet;
  auto column = [&](const checked::Column* c) { return header->columns[c]; };
  // Every required column the roster lacks, in one message.
  Localized lacking;
  auto lack = [&](const checked::Column& c, const std::string& what) {
    lacking.en += std::string(lacking.en.empty() ? "" : "; ") + "no column titled " +
                  titles_text(c.titles, Lang::en) + " (" + what + ")";
    lacking.zh += std::string(lacking.zh.empty() ? "" : "；") + "没有标题为" +
                  titles_text(c.titles, Lang::zh) + "的列（" + what + "）";
  };
  if (returns.has_birth && !column(&returns.birth)) lack(returns.birth, returns.birth.fact.text);
  for (const auto& c : returns.columns)
    if (!column(&c) && !c.optional) lack(c, c.fact.text);
  if (!lacking.en.empty())
    return R::failure({roster.path + ", sheet " + sheet.name + ": " + lacking.en,
                       roster.path + "，工作表 " + sheet.name + "：" + lacking.zh});
  for (const auto& l : returns.labels)
    if (!column(&l))
      out.problems.push_back(
          {{roster.path, sheet.name, header->row, 0},
           {"no column titled " + titles_text(l.titles, Lang::en) + ": the label " + l.name +
                " is left empty",
            "没有标题为" + titles_text(l.titles, Lang::zh) + "的列：标注「" + l.name + "」留空"}});

  std::unordered_map<std::string, std::vector<std::size_t>> by_id;
  for (const auto& row : sheet.rows) {
    if (row.number <= header->row) continue;
    auto cell = [&](const checked::Column* c) -> const sheets::Cell* {
      auto col = column(c);
      return col ? sheet.find(row.number, col) : nullptr;
    };
    // A candidate's row has its ID number or a fact; labels alone (a note under the table, a
    // subtotal line) make none.
    bool any = false;
    for (const auto* c : wanted) {
      bool label = false;
      for (const auto& l : returns.labels) label = label || c == &l;
      any = any || (!label && cell(c) != nullptr);
    }
    if (!any) continue;
    Candidate cand;
    cand.row = row.number;
    for (const auto& l : returns.labels) {
      const auto* c = cell(&l);
      cand.labels.push_back(c ? trimmed(c->text) : "");
    }
    auto problem = [&](std::uint32_t col, Localized why) {
      cand.problems.push_back({{roster.path, sheet.name, row.number, col}, std::move(why)});
    };
    auto read = [&](const checked::RosterColumn& c) -> std::optional<json::value> {
      const auto* cl = cell(&c);
      if (!cl) {
        if (!c.optional)
          problem(column(&c), {"the cell is empty: " + c.fact.text + " has no value",
                               "单元格为空：「" + c.fact.text + "」没有值"});
        return std::nullopt;
      }
      auto v = cell_value(*cl, c.fact.type, bundle);
      if (!v) {
        problem(column(&c), v.error());
        return std::nullopt;
      }
      return *v;
    };
    std::optional<json::value> birth;
    if (returns.has_birth) {
      birth = read(returns.birth);
      if (birth) put(cand.facts, returns.birth.fact.text, *birth);
    }
    // The ID number: text, checked, and against the birth date.
    if (const auto* idc = cell(&returns.id)) {
      if (idc->kind == sheets::Cell::Kind::Number) {
        cand.matched = false;
        problem(column(&returns.id),
                {"the ID number is stored as a number and may have lost digits: format the "
                 "column as text",
                 "身份证号码按数值保存，可能已丢失位数：请把该列设为文本格式"});
      } else {
        cand.id = normal_id(*idc);
        put(cand.facts, returns.id.fact.text, json::value(cand.id));
        Date born;
        if (auto bad = id_problem(cand.id, &born)) {
          cand.matched = false;
          problem(column(&returns.id), *bad);
        } else if (birth && birth->is_string() &&
                   std::string(birth->as_string()) != born.to_string()) {
          problem(column(&returns.birth),
                  {"the birth date " + std::string(birth->as_string()) +
                       " differs from the one in the ID number, " + born.to_string(),
                   "出生日期 " + std::string(birth->as_string()) + " 与身份证号码中的 " +
                       born.to_string() + " 不符"});
        }
      }
    } else {
      cand.matched = false;
      problem(column(&returns.id), {"the ID number is empty", "身份证号码为空"});
    }
    for (const auto& c : returns.columns)
      if (auto v = read(c)) put(cand.facts, c.fact.text, *v);
    if (!cand.id.empty()) by_id[cand.id].push_back(out.candidates.size());
    out.candidates.push_back(std::move(cand));
  }
  for (const auto& [id, rows] : by_id) {
    if (rows.size() < 2) continue;
    std::string list, list_zh;
    for (auto i : rows) {
      list += (list.empty() ? "" : ", ") + std::to_string(out.candidates[i].row);
      list_zh += (list_zh.empty() ? "" : "、") + std::to_string(out.candidates[i].row);
    }
    for (auto i : rows) out.candidates[i].matched = false;
    for (auto i : rows)
      out.candidates[i].problems.push_back(
          {{roster.path, sheet.name, out.candidates[i].row, column(&returns.id)},
           {"the ID number appears on " + std::to_string(rows.size()) + " rows of the roster (" +
                list + "): a duplicate candidate",
            "该身份证号码在名册中出现 " + std::to_string(rows.size()) + " 次（第 " + list_zh +
                " 行）：候选人重复"}});
  }

  // ---- the returns ----
  // Per sheet fact (by its path), per candidate: what the departments returned.
  std::map<std::string, std::vector<Gathered>> gathered;
  std::map<std::string, const checked::Sheet*> facts;
  for (const auto& d : returns.departments)
    for (const auto& s : d.sheets) {
      gathered.try_emplace(s.fact.text, out.candidates.size());
      facts.emplace(s.fact.text, &s);
    }
  // Per candidate, the departments (in declaration order) whose return covering it is not in.
  std::vector<std::vector<std::string>> outstanding(out.candidates.size());
  for (const auto& d : returns.departments) {
    const Return* ret = nullptr;
    for (const auto& r : returned)
      if (r.department == d.name && !r.workbooks.empty()) ret = &r;
    // The returns in hand, each with the candidates it covers: the department's files together
    // cover everyone, or (`for 乡镇`) each file the candidates of the label value it names.
    struct Unit {
      std::vector<const sheets::Workbook*> books;
      std::vector<std::size_t> covers;
    };
    std::vector<Unit> units;
    if (ret && d.per_label == UINT32_MAX) {
      Unit u;
      for (const auto& wb : ret->workbooks) u.books.push_back(&wb);
      for (std::size_t i = 0; i < out.candidates.size(); ++i) u.covers.push_back(i);
      units.push_back(std::move(u));
    } else if (ret) {
      std::set<std::string> values;
      for (const auto& c : out.candidates)
        if (!c.labels[d.per_label].empty()) values.insert(c.labels[d.per_label]);
      const std::string& label = returns.labels[d.per_label].name;
      std::map<std::string, Unit> by_value;
      for (const auto& wb : ret->workbooks) {
        std::string name = stem(wb.path), value;
        for (const auto& v : values)
          if (name.find(v) != std::string::npos && v.size() > value.size()) value = v;
        if (value.empty()) {
          out.problems.push_back(
              {{wb.path, "", 0, 0},
               {"the file name names no " + label + " of the roster: it is not read",
                "文件名中没有名册上的任何" + label + "：未读取"}});
          continue;
        }
        by_value[value].books.push_back(&wb);
      }
      for (auto& c : out.candidates)
        if (c.labels[d.per_label].empty())
          c.problems.push_back(
              {{roster.path, sheet.name, c.row, column(&returns.labels[d.per_label])},
               {"the " + label + " cell is empty: no return of " + d.name + " (one per " + label +
                    ") can be told to cover this candidate",
                "「" + label + "」为空：无法确定" + d.name + "（按" + label +
                    "报送）的哪份报送覆盖此人"}});
      for (auto& [value, u] : by_value) {
        for (std::size_t i = 0; i < out.candidates.size(); ++i)
          if (out.candidates[i].labels[d.per_label] == value) u.covers.push_back(i);
        units.push_back(std::move(u));
      }
    }
    std::vector<bool> in_hand(out.candidates.size(), false);
    for (const auto& u : units)
      for (auto i : u.covers) in_hand[i] = true;
    if (units.empty()) {
      out.outstanding.push_back(d.name);
    } else {
      out.returned.push_back(d.name);
      if (d.per_label != UINT32_MAX) {  // the label values whose return is still out
        std::set<std::string> values_in, out_there;
        for (const auto& u : units)
          for (auto i : u.covers) values_in.insert(out.candidates[i].labels[d.per_label]);
        for (const auto& c : out.candidates)
          if (!c.labels[d.per_label].empty() && !values_in.count(c.labels[d.per_label]))
            out_there.insert(c.labels[d.per_label]);
        for (const auto& v : out_there) out.outstanding.push_back(d.name + "（" + v + "）");
      }
    }
    for (const auto& s : d.sheets) {
      auto& facts_of = gathered[s.fact.text];
      std::vector<bool> seen(out.candidates.size(), false);
      std::vector<const checked::Column*> cols{&s.id};
      for (const auto& c : s.columns) cols.push_back(&c);
      for (const auto& unit : units) {
        // The sheet in the unit's files: by its names, or any sheet with the id column.
        std::optional<Header> h;
        const sheets::Workbook* in = nullptr;
        for (const auto* wb : unit.books) {
          h = find_header(*wb, s.id.titles, cols, s.titles);
          if (h) {
            in = wb;
            break;
          }
        }
        if (!h) {
          std::string names = s.titles.empty() ? "" : " " + titles_text(s.titles, Lang::en);
          std::string names_zh = s.titles.empty() ? "" : titles_text(s.titles, Lang::zh);
          out.problems.push_back(
              {{unit.books.front()->path, "", 0, 0},
               {d.name + "'s return has no sheet" + names + " with an ID column titled " +
                    titles_text(s.id.titles, Lang::en) + ": " + s.fact.text + " is not known",
                d.name + "的报送中没有" + names_zh + "工作表含标题为" +
                    titles_text(s.id.titles, Lang::zh) + "的身份证列：「" + s.fact.text +
                    "」无从得知"}});
          continue;
        }
        const sheets::Sheet& sh = *h->sheet;
        bool complete = true;
        for (const auto& c : s.columns)
          if (!h->columns[&c] && !c.optional) {
            out.problems.push_back({{in->path, sh.name, h->row, 0},
                                    {"no column titled " + titles_text(c.titles, Lang::en) + " (" +
                                         c.name + "): " + s.fact.text + " is not known",
                                     "没有标题为" + titles_text(c.titles, Lang::zh) + "的列（" +
                                         c.name + "）：「" + s.fact.text + "」无从得知"}});
            complete = false;
            break;
          }
        if (!complete) continue;
        for (auto i : unit.covers) seen[i] = true;
        for (const auto& row : sh.rows) {
          if (row.number <= h->row) continue;
          const sheets::Cell* idc = sh.find(row.number, h->columns[&s.id]);
          bool any = idc != nullptr;
          for (const auto& c : s.columns)
            any = any || (h->columns[&c] && sh.find(row.number, h->columns[&c]));
          if (!any) continue;
          Place at{in->path, sh.name, row.number, h->columns[&s.id]};
          // A record whose ID number cannot be read may be anyone's this return covers: the
          // fact is not known for any of them (never a silent "no record").
          if (!idc || idc->kind == sheets::Cell::Kind::Number) {
            out.problems.push_back(
                {at,
                 !idc ? Localized{"the row has no ID number: whose record it is cannot be told, "
                                  "so " +
                                      s.fact.text +
                                      " is not known for anyone this return "
                                      "covers",
                                  "该行没有身份证号码：无法确定是谁的记录，此份报送覆盖的人的「" +
                                      s.fact.text + "」都无从得知"}
                      : Localized{"the ID number is stored as a number and may have lost "
                                  "digits (format the column as text): whose record it is "
                                  "cannot be told, so " +
                                      s.fact.text +
                                      " is not known for "
                                      "anyone this return covers",
                                  "身份证号码按数值保存，可能已丢失位数（请把该列设为文本格式）：无"
                                  "法确定是谁的"
                                  "记录，此份报送覆盖的人的「" +
                                      s.fact.text + "」都无从得知"}});
            for (auto i : unit.covers) facts_of[i].unknown = true;
            continue;
          }
          std::string id = normal_id(*idc);
          auto found = by_id.find(id);
          if (found == by_id.end()) {
            out.orphans.push_back({d.name, id, at});
            continue;
          }
          json::object record;
          bool ok = true;
          for (const auto& c : s.columns) {
            std::uint32_t col = h->columns[&c];
            const sheets::Cell* cl = col ? sh.find(row.number, col) : nullptr;
            Place here{in->path, sh.name, row.number, col};
            if (!cl) {
              if (c.optional) continue;
              for (auto i : found->second)
                out.candidates[i].problems.push_back(
                    {here,
                     {"the cell is empty: " + d.name + "'s record has no " + c.name,
                      "单元格为空：" + d.name + "的记录没有「" + c.name + "」"}});
              ok = false;
              continue;
            }
            auto v = cell_value(*cl, c.type, bundle);
            if (!v) {
              for (auto i : found->second) out.candidates[i].problems.push_back({here, v.error()});
              ok = false;
              continue;
            }
            record[c.name] = *v;
          }
          if (s.source_field != UINT32_MAX)
            record[bundle.structs[s.record].fields[s.source_field].name] = d.name;
          for (auto i : found->second) {
            auto& g = facts_of[i];
            if (!ok) g.unknown = true;
            if (s.flag)
              g.flag = true;
            else
              g.records.push_back(record);
          }
        }
      }
      // Whom no readable return of this department covers: the fact is not known for them;
      // those no return covers at all have the department outstanding (a return without the
      // sheet is a problem of the collation instead).
      for (std::size_t i = 0; i < out.candidates.size(); ++i) {
        if (seen[i]) continue;
        facts_of[i].unknown = true;
        if (in_hand[i]) continue;
        // An empty label cell is named on the candidate; the department has returned.
        if (d.per_label != UINT32_MAX && !units.empty() &&
            out.candidates[i].labels[d.per_label].empty())
          continue;
        std::string who = d.name;
        if (d.per_label != UINT32_MAX && !out.candidates[i].labels[d.per_label].empty())
          who += "（" + out.candidates[i].labels[d.per_label] + "）";
        auto& o = outstanding[i];
        if (std::find(o.begin(), o.end(), who) == o.end()) o.push_back(who);
      }
    }
  }
  // ---- the facts the returns give ----
  for (std::size_t i = 0; i < out.candidates.size(); ++i) {
    auto& cand = out.candidates[i];
    for (const auto& [path, per] : gathered) {
      const Gathered& g = per[i];
      // No value: the rules reading it are unknown. Without a sound ID number no record can be
      // told to be this candidate's (a typo would look like no record at all).
      if (g.unknown || !cand.matched) continue;
      if (facts[path]->flag)
        put(cand.facts, path, json::value(g.flag));
      else
        put(cand.facts, path, json::value(g.records));
    }
    cand.outstanding = outstanding[i];
  }
  return out;
}

}  // namespace xy::review
