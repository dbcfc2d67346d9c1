// Runs every conformance case folder through the `xy` binary and compares with expected.out.
// Usage: conformance_runner XY_BINARY CASES_DIR [FILTER]; XY_UPDATE_EXPECTED=1 rewrites the files.
#include <sys/wait.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/output_check.h"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The bundle hash changes with every compiler change; cases pin decisions, not hashes.
std::string normalise(const std::string& s) {
  static const std::regex json_hash("\"bundle\":\"[0-9a-f]{64}\"");
  static const std::regex text_hash("bundle [0-9a-f]{12}\\)");
  return std::regex_replace(std::regex_replace(s, json_hash, "\"bundle\":\"<hash>\""), text_hash,
                            "bundle <hash>)");
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string run_case(const fs::path& xy, const fs::path& dir) {
  std::string args = "check policy --format json --lang en";
  if (fs::exists(dir / "request.json"))
    args += " --request request.json";
  else if (fs::exists(dir / "request.jsonl"))
    args += " --request request.jsonl";
  else
    args += " --request /dev/null";
  if (fs::exists(dir / "args")) args += " " + trim(slurp(dir / "args"));
  fs::path out = dir / ".stdout", err = dir / ".stderr";
  std::string cmd = "cd " + quote(dir.string()) + " && " + quote(xy.string()) + " " + args +
                    " > .stdout 2> .stderr";
  int status = std::system(cmd.c_str());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::string stdout_text = slurp(out), stderr_text = slurp(err);
  std::string result = "exit: " + std::to_string(code) + "\n--- stdout\n" + trim(stdout_text) +
                       "\n--- stderr\n" + trim(stderr_text) + "\n";
  // Whatever a case expects, the output must be UTF-8, and JSON output must parse.
  bool json = args.find("--format text") == std::string::npos;
  if (auto bad = xy::testsupport::output_problem(stdout_text, json))
    result += "--- stdout is unusable: " + *bad + "\n";
  if (auto bad = xy::testsupport::output_problem(stderr_text, false))
    result += "--- stderr is unusable: " + *bad + "\n";
  fs::remove(out);
  fs::remove(err);
  return normalise(result);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: conformance_runner XY_BINARY CASES_DIR [FILTER]\n";
    return 2;
  }
  fs::path xy = fs::absolute(argv[1]);
  fs::path cases = fs::absolute(argv[2]);
  std::string filter = argc > 3 ? argv[3] : "";
  const char* upd = std::getenv("XY_UPDATE_EXPECTED");
  bool update = upd && std::string(upd) == "1";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(cases))
    if (e.is_directory() && e.path().filename().string().find(filter) != std::string::npos)
      dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  int passed = 0, failed = 0;
  for (const auto& dir : dirs) {
    std::string actual = run_case(xy, dir);
    fs::path expected_file = dir / "expected.out";
    if (update) {
      std::ofstream(expected_file, std::ios::binary) << actual;
      ++passed;
      continue;
    }
    if (!fs::exists(expected_file)) {
      std::cout << "FAIL " << dir.filename().string()
                << ": no expected.out (run with XY_UPDATE_EXPECTED=1)\n";
      ++failed;
      continue;
    }
    std::string expected = slurp(expected_file);
    if (expected == actual) {
      ++passed;
      continue;
    }
    ++failed;
    std::cout << "FAIL " << dir.filename().string() << "\n--- expected\n"
              << expected << "--- actual\n"
              << actual;
  }
  if (update) std::cout << "rewrote " << passed << " expected.out files\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
