// Checks named lists: unique names and keys, typed item attributes, per-item citations.
#include <set>

#include "checker.h"

namespace xy::check {

void Checker::check_lists(ast::Program& p) {
  for (auto& l : p.lists) {
    if (list_by_name_.count(l.name.text)) {
      sink_.error("E0103", l.name.span,
                  {"the list `" + l.name.text + "` is declared more than once",
                   "清单「" + l.name.text + "」重复声明"});
      continue;
    }
    ir::List out;
    out.name = l.name.text;
    out.attrs = resolve_field_list(l.attrs, l.name.text);
    if (l.basis) out.citation = citation(*l.basis);
    std::set<std::string> keys;
    for (auto& item : l.items) {
      if (!keys.insert(item.key.value).second) {
        sink_.error("E0103", item.key.span,
                    {"`" + item.key.value + "` appears twice in list `" + l.name.text + "`",
                     "「" + item.key.value + "」在清单「" + l.name.text + "」中重复"});
        continue;
      }
      ir::ListItem li;
      li.key = item.key.value;
      li.attrs.assign(out.attrs.size(), ir::kNone);
      for (auto& [name, value] : item.attrs) {
        std::uint32_t index = ir::kNone;
        for (std::uint32_t i = 0; i < out.attrs.size(); ++i)
          if (out.attrs[i].name == name.text) index = i;
        if (index == ir::kNone) {
          std::vector<std::string> names;
          for (const auto& a : out.attrs) names.push_back(a.name);
          auto& d =
              sink_.error("E0101", name.span,
                          {"the list `" + l.name.text + "` has no attribute `" + name.text + "`",
                           "清单「" + l.name.text + "」没有属性「" + name.text + "」"});
          if (auto s = closest_name(name.text, names); !s.empty())
            d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
          continue;
        }
        if (!value) continue;
        std::uint32_t want = out.attrs[index].type;
        Typed t = check(*value, want);
        if (!t.ok()) continue;
        const checked::ExprInfo& checked = p_.info[t.info];
        if (checked.op != ir::Op::Const) {
          sink_.error("E0201", value->span,
                      {"a list attribute must be a constant", "清单属性值必须是常量"});
          continue;
        }
        if (!same(t.type, want)) {
          sink_.error("E0201", value->span,
                      {"`" + name.text + "` is " + type_name(want, Lang::en) + ", not " +
                           type_name(t.type, Lang::en),
                       "「" + name.text + "」应为" + type_name(want, Lang::zh) + "，而非" +
                           type_name(t.type, Lang::zh)});
          continue;
        }
        li.attrs[index] = static_cast<std::uint32_t>(b_.consts.size());
        b_.consts.push_back(*checked.value);
      }
      if (item.basis) li.citation = citation(*item.basis);
      out.items.push_back(std::move(li));
    }
    list_by_name_[l.name.text] = static_cast<std::uint32_t>(b_.lists.size());
    b_.lists.push_back(std::move(out));
  }
}

}  // namespace xy::check
