// Fuzz target: the reviewers' filter language. A filter either compiles to SQL that SQLite takes
// (run on an empty audit store; only SQLite's size limits may refuse it) with one parameter per
// `?`, or fails with an error that points inside the text and renders as valid UTF-8.
#include <algorithm>
#include <memory>

#include "check.h"
#include "scratch.h"
#include "xiangyue/audit/filter.h"
#include "xiangyue/audit/store.h"

namespace {

using namespace xy;

audit::Store& store() {
  static std::unique_ptr<audit::Store> s = [] {
    audit::StoreOptions o;
    o.durability = audit::Durability::Process;
    auto opened = audit::Store::open(fuzz::scratch_dir() + "/filter.db", std::move(o));
    if (!opened) fuzz::fail("cannot open an audit store", opened.error().en);
    return std::move(*opened);
  }();
  return *s;
}

// SQLite's limits (expression depth, number of variables, statement length) refuse a filter the
// language allows; anything else (a syntax error) means the translation is wrong.
bool size_limit(const std::string& why) {
  for (const char* limit : {"too many SQL variables", "Expression tree is too large",
                            "parser stack overflow", "string or blob too big", "too many terms"})
    if (why.find(limit) != std::string::npos) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  store();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  auto compiled = audit::compile_filter(text);
  if (!compiled) {
    const auto& e = compiled.error();
    fuzz::require(e.offset <= text.size() && e.length <= text.size() - e.offset + 1,
                  "a filter error's span is outside the text", text);
    for (Lang lang : {Lang::en, Lang::zh}) {
      fuzz::require_utf8(e.message.in(lang), "a filter error");
      if (e.help) fuzz::require_utf8(e.help->in(lang), "a filter error's help");
      fuzz::require_utf8(audit::render_filter_error(text, e, lang), "a rendered filter error");
    }
    return 0;
  }
  const auto& sql = *compiled;
  fuzz::require(static_cast<std::size_t>(std::count(sql.where.begin(), sql.where.end(), '?')) ==
                    sql.params.size(),
                "the SQL's placeholders and parameters differ in number", sql.where);
  auto read = store().each(sql, 1, [](const audit::Record&) { return true; });
  if (!read && !(read.error().en.starts_with("bad query") && size_limit(read.error().en)))
    fuzz::fail("SQLite refuses a compiled filter: " + read.error().en, sql.where);
  return 0;
}
