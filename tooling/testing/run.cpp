// Runs policy test cases: edits each case's request, decides it, compares with the expectation.
#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "xiangyue/literals/literals.h"
#include "xiangyue/runtime/engine.h"
#include "xiangyue/tooling/policy_test.h"

namespace xy::policytest {
namespace json = boost::json;

std::size_t SetReport::passed() const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const CaseResult& r) { return r.passed; }));
}
std::size_t SetReport::failed() const {
  return results.size() - passed();
}

namespace {

// A path segment: a field name and the list indexes that follow it (`刑事记录[0]`).
struct Segment {
  std::string name;
  std::vector<std::size_t> indexes;
};

std::optional<std::vector<Segment>> split_path(const std::string& path) {
  std::vector<Segment> out;
  std::string cur;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '.') {
      if (cur.empty()) return std::nullopt;
      Segment s;
      auto b = cur.find('[');
      s.name = cur.substr(0, b);
      while (b != std::string::npos) {
        auto e = cur.find(']', b);
        if (e == std::string::npos) return std::nullopt;
        try {
          s.indexes.push_back(std::stoul(cur.substr(b + 1, e - b - 1)));
        } catch (...) {
          return std::nullopt;
        }
        b = cur.find('[', e);
      }
      if (s.name.empty()) return std::nullopt;
      out.push_back(std::move(s));
      cur.clear();
    } else {
      cur += path[i];
    }
  }
  return out;
}

// Applies `path = value` to the request's facts; false when the path does not fit the request.
bool apply(json::object& facts, const std::string& path, const std::string& text) {
  auto segs = split_path(path);
  if (!segs) return false;
  bool remove = text == "缺失" || text == "missing";
  json::value value;
  if (!remove) {
    boost::system::error_code ec;
    value = json::parse(text, ec);
    if (ec) value = json::string(text);  // bare text is a string
  }
  json::value* at = nullptr;
  json::object* obj = &facts;
  for (std::size_t s = 0; s < segs->size(); ++s) {
    const auto& seg = (*segs)[s];
    bool last_seg = s + 1 == segs->size();
    if (last_seg && seg.indexes.empty()) {
      if (remove)
        obj->erase(seg.name);
      else
        (*obj)[seg.name] = value;
      return true;
    }
    at = &(*obj)[seg.name];
    for (std::size_t k = 0; k < seg.indexes.size(); ++k) {
      if (!at->is_array()) {
        if (!at->is_null()) return false;
        *at = json::array();
      }
      auto& arr = at->get_array();
      std::size_t index = seg.indexes[k];
      bool last = last_seg && k + 1 == seg.indexes.size();
      if (last && remove) {
        if (index >= arr.size()) return false;
        arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(index));
        return true;
      }
      if (index > arr.size()) return false;
      if (index == arr.size()) arr.push_back(json::object());
      at = &arr[index];
      if (last) {
        *at = value;
        return true;
      }
    }
    if (!at->is_object()) {
      if (!at->is_null()) return false;
      *at = json::object();
    }
    obj = &at->get_object();
  }
  return false;
}

std::string joined(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());  // a rule may give several reasons
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "、") + s;
  return out.empty() ? "—" : out;
}

Localized same(const std::string& s) {
  return {s, s};
}

Localized outcome_in_words(const std::string& wire) {
  return {outcome_label(wire, Lang::en), outcome_label(wire, Lang::zh)};
}

void compare(CaseResult& r, Localized column, const Expected& want, std::vector<std::string> got) {
  if (!want) return;
  std::string w = joined(*want), g = joined(std::move(got));
  if (w != g) r.diffs.push_back({std::move(column), same(w), same(g)});
}

}  // namespace

std::string describe(const Diff& d, Lang lang) {
  bool zh = lang == Lang::zh;
  return d.column.in(lang) + (zh ? "：预期 " : ": expected ") + d.expected.in(lang) +
         (zh ? "，实际 " : ", got ") + d.actual.in(lang);
}

SetReport run(const Bundle& bundle, const std::string& set, const std::vector<Case>& cases) {
  SetReport report;
  report.set = set;
  Evaluator evaluator(bundle);
  Decision d;
  std::set<std::uint32_t> fired;
  std::map<std::string, std::optional<json::value>> requests;
  for (const Case& c : cases) {
    CaseResult r;
    r.test = &c;
    auto& cached = requests[c.request];
    if (!cached) {
      std::ifstream in(c.request, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      boost::system::error_code ec;
      json::value v = json::parse(s.str(), ec);
      if (in && !ec && v.is_object()) cached = std::move(v);
    }
    if (!cached) {
      r.diffs.push_back({{"request", "请求"},
                         {"a JSON request object", "JSON 请求对象"},
                         {"cannot read " + c.request, "无法读取 " + c.request}});
      report.results.push_back(std::move(r));
      continue;
    }
    json::object doc = cached->get_object();
    if (!doc["facts"].is_object()) doc["facts"] = json::object();
    bool edits_ok = true;
    for (const auto& [path, value] : c.edits) {
      if (!apply(doc["facts"].get_object(), path, value)) {
        r.diffs.push_back({{"set", "修改"},
                           same(path + " = " + value),
                           {"the path does not fit the request", "该路径与请求不符"}});
        edits_ok = false;
      }
    }
    if (!c.as_of.empty()) doc["as_of"] = c.as_of;
    if (!c.policy.empty()) doc["policy"] = c.policy;
    if (edits_ok) {
      // As `xy check` and the service would: facts that do not fit are an error.
      auto req = parse_fitting_request(bundle, json::serialize(doc), std::nullopt, Date{});
      if (!req) {
        const RequestError& bad = req.error();
        if (c.outcome != "error")
          r.diffs.push_back({{"outcome", "结论"},
                             outcome_in_words(c.outcome),
                             {"error: " + bad.message.en, "请求错误：" + bad.message.zh}});
      } else {
        evaluator.decide(*req, d);
        fired.insert(d.fired.begin(), d.fired.end());
        std::string got = outcome_name(d.outcome);
        if (got != c.outcome)
          r.diffs.push_back(
              {{"outcome", "结论"}, outcome_in_words(c.outcome), outcome_in_words(got)});
        std::vector<std::string> rules, over, miss;
        for (const auto& x : d.reasons) rules.push_back(bundle.rules[x.rule].id);
        for (const auto& x : d.overridden) over.push_back(bundle.rules[x.rule].id);
        for (const auto& x : d.missing)
          miss.push_back(x.path == ir::kNone ? "?" : bundle.paths[x.path]);
        compare(r, {"rules", "规则"}, c.rules, rules);
        compare(r, {"overridden", "例外"}, c.overridden, over);
        compare(r, {"missing", "缺失"}, c.missing, miss);
      }
    }
    r.passed = r.diffs.empty();
    report.results.push_back(std::move(r));
  }
  for (std::uint32_t i = 0; i < bundle.rules.size(); ++i)
    if (!fired.count(i)) report.uncovered.push_back(i);
  return report;
}

}  // namespace xy::policytest
