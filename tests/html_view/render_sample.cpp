// Renders the sample audit records in FIXTURES (one JSON file each) to OUTDIR/NAME.zh.html and
// .en.html. Usage: render_sample FIXTURES_DIR REPO_ROOT OUTDIR   (policy sources are read from
// REPO_ROOT)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/audit/html.h"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A fixture: {seq, recorded_at, hash, prev_hash, request | request_raw, decision | decision_raw,
// sources: [paths relative to REPO_ROOT], and optionally action, policy, as_of, outcome, bundle,
// facts_read (as `xy audit show --format json` prints it; absent: not available)}.
// Like the audit store, the columns default to the decision's own fields.
xy::audit::RecordView load(const fs::path& file, const fs::path& root) {
  json::object f = json::parse(slurp(file)).as_object();
  xy::audit::RecordView r;
  r.seq = f.at("seq").to_number<std::int64_t>();
  r.recorded_at = text(f, "recorded_at");
  r.hash = text(f, "hash");
  r.prev_hash = text(f, "prev_hash");
  r.request_json =
      f.contains("request") ? json::serialize(f.at("request")) : text(f, "request_raw");
  r.decision_json =
      f.contains("decision") ? json::serialize(f.at("decision")) : text(f, "decision_raw");
  const json::object* d = f.contains("decision") ? f.at("decision").if_object() : nullptr;
  auto column = [&](const char* key) {
    std::string v = text(f, key);
    return v.empty() && d ? text(*d, key) : v;
  };
  r.action = column("action");
  r.policy = column("policy");
  r.as_of = column("as_of");
  r.outcome = column("outcome");
  r.bundle = column("bundle");
  if (const json::value* fr = f.if_contains("facts_read")) {
    r.facts_read = xy::audit::facts_read_from_json(*fr);
    if (!r.facts_read) throw std::runtime_error(file.string() + ": facts_read is not of its form");
  }
  if (const json::value* s = f.if_contains("sources"))
    for (const auto& path : s->as_array()) {
      std::string rel(path.as_string());
      r.sources.push_back({rel, slurp(root / rel)});
    }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: render_sample FIXTURES_DIR REPO_ROOT OUTDIR\n";
    return 2;
  }
  try {
    fs::path fixtures = argv[1], root = argv[2], out = argv[3];
    fs::create_directories(out);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fixtures))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      xy::audit::RecordView record = load(file, root);
      for (auto [lang, suffix] :
           {std::pair{xy::Lang::zh, ".zh.html"}, {xy::Lang::en, ".en.html"}}) {
        fs::path target = out / (file.stem().string() + suffix);
        std::ofstream(target, std::ios::binary) << xy::audit::render_html(record, lang);
        std::cout << "wrote " << target.string() << "\n";
      }
    }
    if (files.empty()) throw std::runtime_error("no fixtures in " + fixtures.string());
  } catch (const std::exception& e) {
    std::cerr << "render_sample: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
