// xy_tools_bench: what authors wait for: `xy fmt` of the generated 10000-rule set, and `xy lsp`'s
// diagnostics after an edit of a 1000-rule file, with PASS/MISS against docs/performance.md.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "generate.h"
#include "timing.h"
#include "xiangyue/tooling/format.h"
#include "xiangyue/tooling/lsp.h"

using namespace xy::bench;

namespace {

const char* verdict(bool ok) {
  return ok ? "PASS" : "MISS";
}

std::string frame(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// CPU time of one `xy lsp` session (in process): initialize, open `path`, `edits` full-text
// changes (each answered with the set's diagnostics), shutdown.
double lsp_session_ms(const std::string& path, const std::string& text, int edits) {
  std::string uri = "file://" + path, in;
  in += frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})");
  in += frame(
      R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":")" +
      uri + R"(","languageId":"xiangyue","version":1,"text":)" + json_string(text) + "}}}");
  for (int k = 0; k < edits; ++k) {
    // Each edit changes one rule's threshold, as typing would.
    std::string edited = text;
    if (auto at = edited.find(" 0\n"); at != std::string::npos)
      edited.replace(at, 2, " " + std::to_string(k + 1));
    in += frame(
        R"({"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":")" +
        uri + R"(","version":)" + std::to_string(k + 2) + R"(},"contentChanges":[{"text":)" +
        json_string(edited) + "}]}}");
  }
  in += frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})");
  in += frame(R"({"jsonrpc":"2.0","method":"exit"})");
  std::istringstream input(in);
  std::ostringstream output;
  double c0 = thread_cpu_ns();
  xy::tooling::serve_lsp(input, output, xy::Lang::en);
  double ms = (thread_cpu_ns() - c0) / 1e6;
  if (output.str().find("\"severity\":1") != std::string::npos)
    std::cerr << "the generated set has errors in the language server\n";
  return ms;
}

}  // namespace

int main() {
  PolicySet big = generate_policies(10000);
  // Format every file of the set (each parsed, printed, and its output parsed again and checked),
  // the median of three runs, on this thread's CPU time.
  std::vector<double> cpu_ms, wall_ms;
  std::size_t changed = 0;
  for (int run = 0; run < 3; ++run) {
    double c0 = thread_cpu_ns();
    auto t0 = Clock::now();
    changed = 0;
    for (const auto& f : big.files) {
      auto out = xy::tooling::format_source(f);
      if (!out.text) {
        std::cerr << xy::render_all(out.diagnostics, {f}, xy::Lang::en);
        return 1;
      }
      changed += *out.text != f.text;
    }
    wall_ms.push_back(elapsed_ns(t0, Clock::now()) / 1e6);
    cpu_ms.push_back((thread_cpu_ns() - c0) / 1e6);
  }
  double fmt_cpu = median(cpu_ms), fmt_wall = median(wall_ms);
  std::printf(
      "xy fmt 10000 rules (%zu files, %.1f MB; %zu files changed): %.0f ms wall, %.0f ms CPU "
      "(median of 3)\n\n",
      big.files.size(), static_cast<double>(big.bytes()) / 1e6, changed, fmt_wall, fmt_cpu);
  // The language server: diagnostics of a 1000-rule file (its set: schema.xy and policy1.xy on
  // disk) after an edit, from the cost of ten edits over the cost of none.
  PolicySet mid = generate_policies(1000);
  auto dir = std::filesystem::temp_directory_path() / "xy_tools_bench";
  std::filesystem::create_directories(dir / "bench");
  std::string open_path, open_text;
  for (const auto& f : mid.files) {
    std::ofstream(dir / f.path) << f.text;
    if (f.path.find("policy") != std::string::npos) {
      open_path = (dir / f.path).string();
      open_text = f.text;
    }
  }
  std::vector<double> per_edit;
  for (int run = 0; run < 3; ++run)
    per_edit.push_back(
        (lsp_session_ms(open_path, open_text, 10) - lsp_session_ms(open_path, open_text, 0)) / 10);
  double edit_ms = median(per_edit);
  std::filesystem::remove_all(dir);
  std::printf(
      "xy lsp: diagnostics after an edit of a 1000-rule file (%.0f KB): %.1f ms CPU (median of "
      "3, 10 edits each)\n\n",
      static_cast<double>(open_text.size()) / 1024.0, edit_ms);
  std::printf("targets:\n");
  std::printf("  %s  xy fmt 10000 rules <= 2 s           (%.0f ms CPU)\n", verdict(fmt_cpu <= 2000),
              fmt_cpu);
  std::printf("  %s  xy lsp diagnostics after an edit of 1000 rules <= 100 ms  (%.1f ms CPU)\n",
              verdict(edit_ms <= 100), edit_ms);
  return 0;
}
