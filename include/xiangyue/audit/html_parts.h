// The pieces of the HTML pages (the decision view, the replay report, the joint review report):
// escaping, labels, source excerpts, facts, the stylesheet and the page head.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "xiangyue/audit/rule_source.h"
#include "xiangyue/common/diagnostic.h"

namespace xy::audit::html {

// Escapes text for HTML element content and attribute values: & < > " ' and / (so no
// interpolated string can spell "//" or a tag); invalid UTF-8 and control characters become U+FFFD.
std::string esc(std::string_view text);

// Picks the English or the Chinese label.
inline const char* tr(Lang lang, const char* en, const char* zh) {
  return lang == Lang::zh ? zh : en;
}

// The outcome in words ("准许", "deny" …), and its colour class: ok, bad, warn or none.
std::string outcome_word(const std::string& outcome, Lang lang);
const char* outcome_tone(const std::string& outcome);
// A rule's effect: its colour class (its words: effect_label in the runtime).
const char* effect_tone(const std::string& effect);

// The rule at `line` of `src` as numbered HTML lines: comment lines right above as context, then
// the rule's own lines highlighted, up to the next rule, a blank line or `}` (at most 12 lines).
// Empty when the line is outside the file.
std::string source_excerpt(const SourceFile& src, std::size_t line, std::size_t end_line,
                           Lang lang);

// A JSON value as nested definition lists, tables (arrays of flat records) and lists.
std::string value_html(const boost::json::value& v, Lang lang, int depth = 0);

// The page's stylesheet (inline; names only local fonts, no url()).
std::string_view stylesheet();

// A page's start, up to and including `<body><main>`: the language, a content security policy that
// allows no script and no fetch, the title (escaped here) and the stylesheet with `more_css` after
// it.
std::string page_start(std::string_view title, Lang lang, std::string_view more_css = {});

}  // namespace xy::audit::html
