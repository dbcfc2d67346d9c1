// Checks `returns` declarations against the schema: the action, each column's fact and type, each
// department's sheets (a set of records or a flag), the record fields every sheet must give, and
// that every required fact of the action comes from the roster or some department.
#include <set>

#include "checker.h"

namespace xy::check {

namespace {

std::string joined(const std::vector<ast::Name>& path) {
  std::string out;
  for (const auto& n : path) out += (out.empty() ? "" : ".") + n.text;
  return out;
}

std::vector<std::string> texts(const std::vector<ast::StringLit>& titles) {
  std::vector<std::string> out;
  for (const auto& t : titles) out.push_back(t.value);
  return out;
}

}  // namespace

// The fact `path` names in the action's facts, or an error at the step that does not resolve.
std::optional<checked::FactPath> Checker::fact_path(std::uint32_t action,
                                                    const std::vector<ast::Name>& path) {
  checked::FactPath out;
  out.text = joined(path);
  std::uint32_t record = b_.actions[action].facts;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& fields = b_.structs[record].fields;
    std::uint32_t found = ir::kNone;
    for (std::uint32_t f = 0; f < fields.size(); ++f)
      if (fields[f].name == path[i].text) found = f;
    if (found == ir::kNone) {
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.name);
      const std::string& owner = b_.structs[record].name;
      auto& d = sink_.error("E0101", path[i].span,
                            {"`" + owner + "` has no fact `" + path[i].text + "`",
                             "「" + owner + "」没有事实「" + path[i].text + "」"});
      if (auto s = closest_name(path[i].text, names); !s.empty())
        d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      return std::nullopt;
    }
    out.fields.push_back(found);
    out.type = fields[found].type;
    if (i + 1 == path.size()) break;
    if (T(out.type).kind != ir::TypeKind::Struct) {
      sink_.error(
          "E0201", path[i].span,
          {"`" + path[i].text + "` is " + type_name(out.type, Lang::en) +
               ", which has no facts of its own",
           "「" + path[i].text + "」是" + type_name(out.type, Lang::zh) + "，没有下一级事实"});
      return std::nullopt;
    }
    record = T(out.type).ref;
  }
  if (path.empty()) return std::nullopt;
  return out;
}

// A column of one value: a bool, number, text, date, duration or enum (not a set or a record).
bool Checker::scalar_column(std::uint32_t type, const ast::Span& at, const std::string& what) {
  auto kind = T(type).kind;
  if (kind != ir::TypeKind::Set && kind != ir::TypeKind::Struct) return true;
  sink_.error("E0201", at,
              {"`" + what + "` is " + type_name(type, Lang::en) +
                   ": a column holds one value (a set comes from a department's sheet)",
               "「" + what + "」是" + type_name(type, Lang::zh) +
                   "：一列只有一个值（集合由部门报送的工作表给出）"});
  return false;
}

void Checker::check_returns(ast::Program& p) {
  std::set<std::string> names;
  for (auto& r : p.returns) {
    if (!names.insert(r.name.text).second) {
      sink_.error("E0103", r.name.span,
                  {"`returns " + r.name.text + "` is declared more than once",
                   "报送「" + r.name.text + "」重复声明"});
      continue;
    }
    checked::Returns out;
    out.name = r.name.text;
    out.span = r.name.span;
    out.action = ir::kNone;
    std::vector<std::string> actions;
    for (std::uint32_t a = 0; a < b_.actions.size(); ++a) {
      actions.push_back(b_.actions[a].name);
      if (b_.actions[a].name == r.action.text) out.action = a;
    }
    if (out.action == ir::kNone) {
      auto& d = sink_.error("E0101", r.action.span,
                            {"no action is called `" + r.action.text + "`",
                             "没有名为「" + r.action.text + "」的行为"});
      if (auto s = closest_name(r.action.text, actions); !s.empty())
        d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      continue;
    }
    bool ok = roster(r, out);
    ok = departments(r, out) && ok;
    if (ok) ok = coverage(r, out);
    if (ok) p_.returns.push_back(std::move(out));
  }
}

bool Checker::roster(const ast::ReturnsDecl& r, checked::Returns& out) {
  if (r.rosters.empty()) {
    sink_.error("E0601", r.name.span,
                {"`returns " + r.name.text +
                     "` has no roster: say which columns of the roster give "
                     "which facts (`roster { id candidate.id_number \"ID number\" … }`)",
                 "报送「" + r.name.text +
                     "」没有名册：写明名册的哪一列是哪个事实（「名册 { 身份证 "
                     "候选人.身份证号 \"身份证号\" … }」）"});
    return false;
  }
  bool ok = true;
  for (std::size_t i = 1; i < r.rosters.size(); ++i) {
    sink_.error(
        "E0103", r.rosters[i],
        {"a second roster: one `returns` has one roster", "第二个名册：一项报送只有一个名册"});
    ok = false;
  }
  bool has_id = false, id_declared = false;
  std::set<std::string> titles, labels;
  for (const auto& c : r.roster) {
    id_declared = id_declared || c.role == ast::ColumnRole::Id;
    for (const auto& t : c.titles)
      if (!titles.insert(t.value).second) {
        sink_.error("E0103", t.span,
                    {"the title \"" + t.value + "\" names two columns of the roster",
                     "标题「" + t.value + "」在名册中指两列"});
        ok = false;
      }
    if (c.role == ast::ColumnRole::Label) {
      if (c.path.size() != 1) {
        sink_.error(
            "E0601", c.span,
            {"a label is one name (`label township \"Township\"`): it is kept for the reports, not "
             "a fact",
             "标注是一个名称（「标注 乡镇 \"乡镇\"」）：它用于报表分组，不是事实"});
        ok = false;
        continue;
      }
      if (!labels.insert(c.path[0].text).second) {
        sink_.error("E0103", c.path[0].span,
                    {"the label `" + c.path[0].text + "` is declared twice",
                     "标注「" + c.path[0].text + "」重复声明"});
        ok = false;
        continue;
      }
      checked::Label l;
      l.name = c.path[0].text;
      l.titles = texts(c.titles);
      l.span = c.span;
      out.labels.push_back(std::move(l));
      continue;
    }
    if (c.path.empty()) {
      sink_.error("E0601", c.span,
                  {"a roster column names the fact it gives", "名册的列须写明它给出的事实"});
      ok = false;
      continue;
    }
    auto fact = fact_path(out.action, c.path);
    if (!fact) {
      ok = false;
      continue;
    }
    checked::RosterColumn col;
    col.fact = *fact;
    col.optional = T(fact->type).optional;
    col.titles = texts(c.titles);
    col.span = c.span;
    if (!scalar_column(fact->type, c.path.back().span, fact->text)) {
      ok = false;
      continue;
    }
    auto kind = T(fact->type).kind;
    if (c.role == ast::ColumnRole::Id) {
      if (has_id) {
        sink_.error(
            "E0103", c.span,
            {"a second id column: the roster has one key", "第二个身份证列：名册只有一个键"});
        ok = false;
        continue;
      }
      if (kind != ir::TypeKind::Text) {
        sink_.error("E0201", c.path.back().span,
                    {"the id column gives a citizen ID number: `" + fact->text +
                         "` should be text, "
                         "not " +
                         type_name(fact->type, Lang::en),
                     "身份证列给出居民身份证号码：「" + fact->text + "」应为文本，而非" +
                         type_name(fact->type, Lang::zh)});
        ok = false;
        continue;
      }
      has_id = true;
      out.id = std::move(col);
    } else if (c.role == ast::ColumnRole::Birth) {
      if (out.has_birth || kind != ir::TypeKind::Date) {
        sink_.error(out.has_birth ? "E0103" : "E0201", out.has_birth ? c.span : c.path.back().span,
                    out.has_birth ? Localized{"a second birth column", "第二个出生日期列"}
                                  : Localized{"the birth column gives a date: `" + fact->text +
                                                  "` is " + type_name(fact->type, Lang::en),
                                              "出生日期列给出日期：「" + fact->text + "」是" +
                                                  type_name(fact->type, Lang::zh)});
        ok = false;
        continue;
      }
      out.has_birth = true;
      out.birth = std::move(col);
    } else {
      out.columns.push_back(std::move(col));
    }
  }
  if (!id_declared) {
    sink_.error("E0601", r.rosters[0],
                {"the roster has no id column: each row is found in the departments' returns by "
                 "its citizen ID number (`id candidate.id_number \"ID number\"`)",
                 "名册没有身份证列：各部门报送的记录凭居民身份证号码对应到名册的每一行（「身份证 "
                 "候选人.身份证号 \"身份证号\"」）"});
    ok = false;
  }
  return ok;
}

bool Checker::departments(const ast::ReturnsDecl& r, checked::Returns& out) {
  bool ok = true;
  if (r.sources.size() > 1) {
    sink_.error("E0103", r.sources[1].span, {"`source` is given twice", "「来源」重复"});
    ok = false;
  }
  std::set<std::string> departments;
  bool source_used = false;
  for (const auto& d : r.departments) {
    if (!departments.insert(d.name.text).second) {
      sink_.error("E0103", d.name.span,
                  {"the department `" + d.name.text + "` is declared twice",
                   "部门「" + d.name.text + "」重复声明"});
      ok = false;
      continue;
    }
    checked::Department dep;
    dep.name = d.name.text;
    dep.titles = texts(d.titles);
    dep.span = d.name.span;
    if (d.per) {
      std::vector<std::string> labels;
      for (std::uint32_t i = 0; i < out.labels.size(); ++i) {
        labels.push_back(out.labels[i].name);
        if (out.labels[i].name == d.per->text) dep.per_label = i;
      }
      if (dep.per_label == UINT32_MAX) {
        auto& e = sink_.error("E0101", d.per->span,
                              {"the roster has no label `" + d.per->text + "`",
                               "名册没有标注「" + d.per->text + "」"});
        if (auto n = closest_name(d.per->text, labels); !n.empty())
          e.help = Localized{"did you mean `" + n + "`?", "是否应为「" + n + "」？"};
        ok = false;
      }
    }
    if (d.sheets.empty()) {
      sink_.error("E0601", d.name.span,
                  {"the department `" + d.name.text +
                       "` returns no sheet: say which facts its "
                       "return gives (`sheet candidate.convictions { … }`)",
                   "部门「" + d.name.text +
                       "」没有报送任何工作表：写明它的报送给出哪些事实（「工作表 "
                       "候选人.刑事记录 { … }」）"});
      ok = false;
    }
    for (const auto& s : d.sheets) {
      auto sheet = this->sheet(s, out.action, r.sources.empty() ? nullptr : &r.sources[0]);
      if (!sheet) {
        ok = false;
        continue;
      }
      source_used = source_used || sheet->source_field != UINT32_MAX;
      dep.sheets.push_back(std::move(*sheet));
    }
    out.departments.push_back(std::move(dep));
  }
  if (ok && !r.sources.empty() && !source_used) {
    sink_.error("E0101", r.sources[0].span,
                {"no record a sheet gives has a field `" + r.sources[0].text + "`",
                 "工作表给出的记录都没有字段「" + r.sources[0].text + "」"});
    ok = false;
  }
  return ok;
}

std::optional<checked::Sheet> Checker::sheet(const ast::SheetDecl& s, std::uint32_t action,
                                             const ast::Name* source) {
  auto fact = fact_path(action, s.path);
  if (!fact) return std::nullopt;
  checked::Sheet out;
  out.fact = *fact;
  out.titles = texts(s.titles);
  out.span = s.span;
  const ir::Type& t = T(fact->type);
  out.flag = t.kind == ir::TypeKind::Bool;
  bool records = t.kind == ir::TypeKind::Set && T(t.ref).kind == ir::TypeKind::Struct;
  if (!out.flag && !records) {
    sink_.error("E0201", s.path.back().span,
                {"a sheet gives a set of records, or a flag (true when the row is listed): `" +
                     fact->text + "` is " + type_name(fact->type, Lang::en),
                 "工作表给出一组记录，或一个标志（名单上有此人即为真）：「" + fact->text + "」是" +
                     type_name(fact->type, Lang::zh)});
    return std::nullopt;
  }
  bool ok = true, has_id = false;
  std::set<std::string> titles;
  std::vector<bool> given;
  if (records) {
    out.record = T(t.ref).ref;
    given.assign(b_.structs[out.record].fields.size(), false);
    if (source)
      for (std::uint32_t f = 0; f < b_.structs[out.record].fields.size(); ++f)
        if (b_.structs[out.record].fields[f].name == source->text &&
            T(b_.structs[out.record].fields[f].type).kind == ir::TypeKind::Text)
          out.source_field = f, given[f] = true;
  }
  for (const auto& c : s.columns) {
    for (const auto& title : c.titles)
      if (!titles.insert(title.value).second) {
        sink_.error("E0103", title.span,
                    {"the title \"" + title.value + "\" names two columns of the sheet",
                     "标题「" + title.value + "」在工作表中指两列"});
        ok = false;
      }
    if (c.role == ast::ColumnRole::Id) {
      if (!c.path.empty() || has_id) {
        sink_.error("E0601", c.span,
                    {has_id ? "a second id column"
                            : "a sheet's id column names no fact: it holds "
                              "the roster's id (`id \"ID number\"`)",
                     has_id ? "第二个身份证列"
                            : "工作表的身份证列不写事实：它对应名册的身份证列（「身份证 "
                              "\"身份证号\"」）"});
        ok = false;
        continue;
      }
      has_id = true;
      out.id.titles = texts(c.titles);
      out.id.span = c.span;
      continue;
    }
    if (c.role != ast::ColumnRole::Column || c.path.size() != 1 || out.flag) {
      sink_.error("E0601", c.span,
                  out.flag ? Localized{"a flag's sheet has only its id column: a row listed there "
                                       "makes `" +
                                           fact->text + "` true",
                                       "标志的工作表只有身份证列：名单上有此人，「" + fact->text +
                                           "」即为真"}
                           : Localized{"a sheet's column names one field of the record "
                                       "(`column offence \"Offence\"`)",
                                       "工作表的列写明记录的一个字段（「列 罪名 \"罪名\"」）"});
      ok = false;
      continue;
    }
    const auto& fields = b_.structs[out.record].fields;
    std::uint32_t found = ir::kNone;
    for (std::uint32_t f = 0; f < fields.size(); ++f)
      if (fields[f].name == c.path[0].text) found = f;
    if (found == ir::kNone) {
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.name);
      const std::string& owner = b_.structs[out.record].name;
      auto& d = sink_.error("E0101", c.path[0].span,
                            {"`" + owner + "` has no field `" + c.path[0].text + "`",
                             "「" + owner + "」没有字段「" + c.path[0].text + "」"});
      if (auto n = closest_name(c.path[0].text, names); !n.empty())
        d.help = Localized{"did you mean `" + n + "`?", "是否应为「" + n + "」？"};
      ok = false;
      continue;
    }
    if (given[found]) {
      sink_.error(
          "E0103", c.path[0].span,
          {"`" + c.path[0].text + "` is given twice", "「" + c.path[0].text + "」重复给出"});
      ok = false;
      continue;
    }
    if (!scalar_column(fields[found].type, c.path[0].span, c.path[0].text)) {
      ok = false;
      continue;
    }
    given[found] = true;
    checked::SheetColumn col;
    col.field = found;
    col.name = fields[found].name;
    col.type = fields[found].type;
    col.optional = T(col.type).optional;
    col.titles = texts(c.titles);
    col.span = c.span;
    out.columns.push_back(std::move(col));
  }
  if (!has_id) {
    sink_.error(
        "E0601", s.span,
        {"the sheet has no id column: its rows are matched to the roster by the citizen ID "
         "number (`id \"ID number\"`)",
         "工作表没有身份证列：它的行凭居民身份证号码对应到名册（「身份证 \"身份证号\"」）"});
    ok = false;
  }
  if (records && ok) {
    const auto& fields = b_.structs[out.record].fields;
    for (std::uint32_t f = 0; f < fields.size(); ++f)
      if (!given[f] && !T(fields[f].type).optional) {
        sink_.error("E0601", s.span,
                    {"the sheet gives no column for `" + fields[f].name + "`, which every `" +
                         b_.structs[out.record].name + "` has",
                     "工作表没有给出「" + fields[f].name + "」列，而每条「" +
                         b_.structs[out.record].name + "」都有此项"});
        ok = false;
      }
  }
  if (!ok) return std::nullopt;
  return out;
}

// Every required fact of the action comes from the roster or a department; none from both.
bool Checker::coverage(const ast::ReturnsDecl& r, const checked::Returns& out) {
  std::map<std::vector<std::uint32_t>, std::string> from;  // fact → who gives it
  bool ok = true;
  auto give = [&](const checked::FactPath& f, const std::string& who, SourceSpan at) {
    auto [it, added] = from.emplace(f.fields, who);
    if (added || (who != "roster" && it->second != "roster")) return;  // departments may share
    bool twice = who == "roster" && it->second == "roster";
    sink_.error("E0103", at,
                twice ? Localized{"`" + f.text + "` is given by two columns of the roster",
                                  "「" + f.text + "」由名册的两列给出"}
                      : Localized{"`" + f.text + "` is given by the roster and by a department",
                                  "「" + f.text + "」既由名册给出，又由部门报送"});
    ok = false;
  };
  give(out.id.fact, "roster", out.id.span);
  if (out.has_birth) give(out.birth.fact, "roster", out.birth.span);
  for (const auto& c : out.columns) give(c.fact, "roster", c.span);
  for (const auto& d : out.departments)
    for (const auto& s : d.sheets) give(s.fact, d.name, s.span);
  if (!ok) return false;
  // The required facts below the action's record, depth first.
  std::vector<std::pair<std::vector<std::uint32_t>, std::string>> todo{{{}, ""}};
  while (!todo.empty()) {
    auto [path, text] = todo.back();
    todo.pop_back();
    std::uint32_t record = b_.actions[out.action].facts;
    if (!path.empty()) {
      std::uint32_t type = ir::kNone;
      std::uint32_t rec = b_.actions[out.action].facts;
      for (auto f : path) type = b_.structs[rec].fields[f].type, rec = T(type).ref;
      record = T(type).ref;
    }
    const auto& fields = b_.structs[record].fields;
    for (std::uint32_t f = 0; f < fields.size(); ++f) {
      auto here = path;
      here.push_back(f);
      std::string name = text.empty() ? fields[f].name : text + "." + fields[f].name;
      if (from.count(here)) continue;
      const ir::Type& t = T(fields[f].type);
      if (t.kind == ir::TypeKind::Struct) {
        todo.emplace_back(here, name);
        continue;
      }
      if (t.optional) continue;  // no value when nobody gives it
      sink_.error("E0601", r.name.span,
                  {"`" + name + "` comes from no roster column and no department's sheet",
                   "「" + name + "」既不来自名册的列，也不来自任何部门的工作表"});
      ok = false;
    }
  }
  return ok;
}

}  // namespace xy::check
