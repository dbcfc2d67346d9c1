// Mutation robustness test: mutated policies and requests, in-process and through the `xy` CLI,
// must never crash; failures must be located diagnostics or request errors with a message.
// Usage: robustness_test POLICIES_DIR XY_BINARY
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <regex>

#include "corpus.h"
#include "mutator.h"
#include "support/output_check.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/engine.h"

namespace {

using namespace robust;

constexpr std::uint64_t kSeed = 0x5EED2024;
// In a sanitizer build (XY_SANITIZED=1) a fifth of each: there the libFuzzer targets (fuzz/) do
// the coverage-guided search over the same inputs, and each mutant costs ~6× as much.
int policy_mutants = 1000, request_mutants = 1000, cli_mutants = 50;
// Child exit codes: kAccepted (compiled / decided) and kRejected (explained) both pass.
// kInternal: rejected, but only by the parser's catch-all ("the parser failed", reported at 1:1
// instead of where the input went wrong); it passes, and is counted so the summary shows it.
constexpr int kAccepted = 0, kRejected = 3, kInternal = 4;
const xy::Date kToday = *xy::Date::from_ymd(2024, 5, 1);

int passed = 0, failed = 0;
std::map<std::string, int> tally;  // outcome counts for the summary
fs::path scratch;

// Runs `fn` in a child (with a time limit) so a crash is counted, not fatal; on failure the
// mutant is saved for reproduction.
void run(const std::string& kind, const std::string& what, const std::string& mutant,
         const std::function<int()>& fn) {
  std::cout.flush();  // the child must not inherit (and print) buffered output
  pid_t pid = fork();
  if (pid == 0) {
    for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGALRM}) signal(sig, SIG_DFL);
    alarm(20);
    int code = 1;
    try {
      code = fn();
    } catch (const std::exception& e) {
      std::cerr << "  exception: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "  unknown exception\n";
    }
    std::cerr.flush();
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kAccepted || code == kRejected || code == kInternal) {
    ++passed;
    ++tally[kind + (code == kAccepted   ? " accepted"
                    : code == kRejected ? " rejected"
                                        : " rejected by the parser's catch-all at 1:1")];
    return;
  }
  ++failed;
  fs::path saved = scratch / ("failed-" + std::to_string(failed));
  std::ofstream(saved, std::ios::binary) << mutant;
  std::cerr << "FAIL " << what << ": "
            << (WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                    : "exit " + std::to_string(WEXITSTATUS(status)))
            << " (mutant saved to " << saved.string() << ")\n";
}

// A failed compile must explain itself: located, renderable diagnostics in both languages.
int check_compile(const std::vector<xy::SourceFile>& files,
                  const std::vector<std::string>& requests) {
  auto r = xy::compile_sources(files);
  if (r.bundle) {
    // A mutant that still compiles must round-trip and decide the examples without crashing.
    auto back = xy::Bundle::deserialize(r.bundle->serialize());
    if (!back || back->hash != r.bundle->hash) return std::cerr << "  bundle round trip\n", 1;
    xy::Evaluator ev(*r.bundle);
    for (const auto& text : requests)
      if (auto req = xy::parse_request(*r.bundle, text, std::nullopt, kToday))
        boost::json::parse(xy::decision_json(*r.bundle, *req, ev.decide(*req)));
    return kAccepted;
  }
  auto ds = r.diagnostics.sorted();
  if (r.diagnostics.error_count() == 0 || ds.empty()) return std::cerr << "  no diagnostics\n", 1;
  for (const auto& d : ds) {
    // W0306 (law texts not found) is about the whole set, not a place in it.
    if (d.severity == xy::Severity::warning && d.code == "W0306") continue;
    if (!d.span.known() || d.span.file >= r.files.size())
      return std::cerr << "  unlocated " << d.code << ": " << d.message.en << "\n", 1;
    std::string en = xy::render(d, r.files, xy::Lang::en),
                zh = xy::render(d, r.files, xy::Lang::zh);
    std::string where = r.files[d.span.file].path + ":" + std::to_string(d.span.line) + ":" +
                        std::to_string(d.span.column) + ": ";
    if (en.rfind(where + "error[" + d.code + "]", 0) != 0 ||
        zh.find("错误[" + d.code + "]") == std::string::npos)
      return std::cerr << "  bad rendering: " << en.substr(0, 200) << "\n", 1;
  }
  xy::render_all(r.diagnostics, r.files, xy::Lang::zh);
  for (const auto& d : ds)
    if (d.message.en.rfind("the parser failed", 0) == 0) return kInternal;
  return kRejected;
}

// A request is decided (and the decision renders) or rejected with a message.
int check_request(const xy::Bundle& bundle, const std::string& text) {
  auto req = xy::parse_request(bundle, text, std::nullopt, kToday);
  if (!req) {
    const auto& m = req.error().message;
    if (m.en.empty() || m.zh.empty()) return std::cerr << "  empty request error\n", 1;
    return kRejected;
  }
  xy::Evaluator ev(bundle);
  auto d = ev.decide(*req);
  boost::json::parse(xy::decision_json(bundle, *req, d));
  xy::decision_text(bundle, *req, d, xy::Lang::zh);
  xy::decision_text(bundle, *req, d, xy::Lang::en);
  return kAccepted;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs the real CLI on a policy directory and a request file: exit 0, 1 or 2, never a signal;
// policy errors (exit 1) are reported as `file:line:col: error[`.
void check_cli(const std::string& xy, const fs::path& dir, const fs::path& request,
               const std::string& what, const std::string& mutant) {
  fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  std::string cmd = quote(xy) + " check " + quote(dir.string()) + " --request " +
                    quote(request.string()) + " --format json --lang en > " + quote(out.string()) +
                    " 2> " + quote(err.string());
  int status = std::system(cmd.c_str());
  std::string problem;
  if (!WIFEXITED(status)) {
    problem = "not exited normally";
  } else {
    int code = WEXITSTATUS(status);
    static const std::regex located(R"([^\s]+\.xy:[0-9]+:[0-9]+: error\[E[0-9]{4}\])");
    std::string errors = slurp(err);
    if (code > 2) problem = "exit " + std::to_string(code) + ": " + errors.substr(0, 300);
    if (code == 1 && !std::regex_search(errors, located))
      problem = "exit 1 without a located error";
    if (code == 2 && errors.empty()) problem = "exit 2 without a message";
    std::string output = slurp(out);
    if (auto bad = xy::testsupport::output_problem(output, true)) problem = "stdout: " + *bad;
    if (auto bad = xy::testsupport::output_problem(errors, false)) problem = "stderr: " + *bad;
    if (code == 0) {  // every decision printed is a JSON object with an outcome
      std::istringstream lines(output);
      std::string line;
      boost::system::error_code ec;
      while (std::getline(lines, line)) {
        auto v = boost::json::parse(line, ec);
        if (ec || !v.is_object() || !v.as_object().contains("outcome")) problem = "bad JSON output";
      }
    }
  }
  if (problem.empty()) {
    ++passed;
    ++tally["CLI exit " + std::to_string(WEXITSTATUS(status))];
    return;
  }
  ++failed;
  fs::path saved = scratch / ("failed-" + std::to_string(failed));
  std::ofstream(saved, std::ios::binary) << mutant;
  std::cerr << "FAIL " << what << " (CLI): " << problem << " (mutant saved to " << saved.string()
            << ")\n";
}

void write_set(const fs::path& dir, const std::vector<xy::SourceFile>& files) {
  for (std::size_t i = 0; i < files.size(); ++i)
    std::ofstream(dir / ("f" + std::to_string(i) + ".xy"), std::ios::binary) << files[i].text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: robustness_test POLICIES_DIR XY_BINARY\n";
    return 2;
  }
  if (const char* san = std::getenv("XY_SANITIZED"); san && std::string(san) == "1") {
    policy_mutants /= 5;
    request_mutants /= 5;
    cli_mutants /= 5;
  }
  std::vector<PolicySet> sets = load_sets(argv[1]);
  std::size_t shipped = sets.size();
  sets.push_back(embedded_set());
  scratch = fs::temp_directory_path() / ("xy-robustness-" + std::to_string(getpid()));
  fs::create_directories(scratch);
  std::cout << "corpus: " << shipped << " shipped policy set(s) under " << argv[1]
            << " and 1 embedded\n";

  // Every seed must compile: the mutants are measured against working originals.
  std::vector<xy::Bundle> bundles;
  for (const auto& s : sets) {
    auto r = xy::compile_sources(s.files);
    if (!r.bundle) {
      std::cerr << "seed policy set `" << s.name << "` does not compile:\n"
                << xy::render_all(r.diagnostics, r.files, xy::Lang::en);
      return 1;
    }
    bundles.push_back(std::move(*r.bundle));
  }

  Mutator m(kSeed);
  for (int i = 0; i < policy_mutants; ++i) {
    std::size_t si = m.below(sets.size());
    auto files = sets[si].files;
    std::size_t fi = m.below(files.size());
    files[fi].text = i % 2 ? m.mutate(files[fi].text, kPolicyPool) : m.mutate_lines(files[fi].text);
    run("policy", "policy mutant " + std::to_string(i) + " of " + files[fi].path, files[fi].text,
        [&] { return check_compile(files, sets[si].requests); });
  }
  for (int i = 0; i < request_mutants; ++i) {
    std::size_t si = m.below(sets.size());
    if (sets[si].requests.empty()) si = sets.size() - 1;
    const auto& reqs = sets[si].requests;
    const std::string& seed = reqs[m.below(reqs.size())];
    std::string text = i % 2 ? m.mutate(seed, kRequestPool) : m.mutate_json(seed, kRequestPool);
    run("request", "request mutant " + std::to_string(i) + " for " + sets[si].name, text,
        [&] { return check_request(bundles[si], text); });
  }
  for (int i = 0; i < cli_mutants; ++i) {
    std::size_t si = m.below(sets.size());
    fs::path dir = scratch / ("cli-" + std::to_string(i));
    fs::create_directories(dir);
    auto files = sets[si].files;
    const auto& reqs = sets[si].requests;
    std::string request = reqs[m.below(reqs.size())];
    std::string mutant;
    if (i % 2 == 0) {
      std::size_t fi = m.below(files.size());
      files[fi].text = mutant =
          i % 4 ? m.mutate(files[fi].text, kPolicyPool) : m.mutate_lines(files[fi].text);
    } else {
      request = mutant =
          i % 4 == 1 ? m.mutate(request, kRequestPool) : m.mutate_json(request, kRequestPool);
    }
    write_set(dir, files);
    std::ofstream(dir / "request.json", std::ios::binary) << request;
    check_cli(argv[2], dir, dir / "request.json", "CLI mutant " + std::to_string(i), mutant);
  }

  for (const auto& [what, n] : tally) std::cout << "  " << what << ": " << n << "\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  if (failed == 0) fs::remove_all(scratch);
  return failed == 0 ? 0 : 1;
}
