// The `xy` command line: check, compile.
#include <CLI/CLI.hpp>
#include <iostream>
#include <new>

#include "commands.h"
#include "xiangyue/server/server.h"
#include "xiangyue/tooling/lsp.h"

int main(int argc, char** argv) {
  using namespace xy::cli;
  CLI::App app{"xy — the xiangyue (乡约) policy compiler and decision engine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("xy ") + XY_VERSION);
  std::string lang_opt;
  app.add_option("--lang", lang_opt,
                 "language of human text: zh or en (default: from XY_LANG/LANG)")
      ->check(CLI::IsMember({"zh", "en"}));

  CheckOptions check;
  auto* c = app.add_subcommand("check", "decide requests against policies or a compiled bundle");
  c->add_option("policies", check.policies, "policy files or directories");
  c->add_option("--bundle", check.bundle,
                "a bundle made by `xy compile` (instead of policy paths)");
  c->add_option("--request,-r", check.request, "request file (JSON or JSON Lines), or - for stdin")
      ->required();
  c->add_option("--format,-f", check.format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  c->add_option("--audit", check.audit, "record every decision in this audit store (SQLite)");
  c->add_option("--audit-batch", check.audit_batch,
                "most decisions waiting to be recorded before xy waits for the store; a decision "
                "is printed once it is recorded")
      ->check(CLI::Range(1, 1000000));
  c->add_option("--laws", check.laws,
                "statute texts to check citations against (default: a laws/ folder in, beside or "
                "above the policies)");
  c->add_option("--as-of", check.as_of, "decide as of this date (overrides the request's as_of)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  c->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  CompileOptions compile;
  auto* k = app.add_subcommand("compile", "compile policies into a bundle file");
  k->add_option("policies", compile.policies, "policy files or directories")->required();
  k->add_option("-o,--output", compile.output, "the bundle file to write")->required();
  k->add_option("--laws", compile.laws,
                "statute texts to check citations against (default: a laws/ folder in, beside or "
                "above the policies)");
  k->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}));

  TestOptions test;
  auto* t = app.add_subcommand("test", "run the test tables beside policy sets (docs/testing.md)");
  t->add_option("paths", test.paths, "policy-set directories (or a folder of sets)")->required();
  t->add_option("--format,-f", test.format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  t->add_flag("--require-coverage", test.require_coverage, "fail when a rule was never exercised");
  t->add_flag("--require-basis", test.require_basis, "fail when a rule cites no legal basis");
  t->add_flag("--law-coverage", test.law_coverage,
              "report which articles, paragraphs and items of the law texts the rules cite");
  t->add_option("--laws", test.laws,
                "statute texts to check citations against (default: a laws/ folder in, beside or "
                "above the policies)");
  t->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  AuditOptions audit;
  FmtOptions fmt;
  auto* f = app.add_subcommand("fmt", "format policy files: canonical layout, comments kept");
  f->add_option("paths", fmt.paths, "policy files or directories (every *.xy under them)")
      ->required();
  auto* check_flag =
      f->add_flag("--check", fmt.check, "print a diff for each file not formatted; exit 1 if any");
  check_flag->excludes(
      f->add_flag("--write,-w", fmt.write, "rewrite the files that are not formatted"));
  f->add_option("--keywords", fmt.keywords,
                "keyword language: keep (default), en or zh (rewrites keywords, effects, kinds "
                "and defaults)")
      ->check(CLI::IsMember({"keep", "en", "zh"}));
  f->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}));
  auto* l =
      app.add_subcommand("lsp", "the language server for editors, over stdio (docs/editors.md)");
  l->add_option("--lang", lang_opt, "language of messages unless the editor names one")
      ->check(CLI::IsMember({"zh", "en"}));
  bool stdio = true;
  l->add_flag("--stdio", stdio, "talk over stdin and stdout (the only transport; editors pass it)");
  auto* a = app.add_subcommand("audit", "read and verify the audit store (docs/audit.md)");
  a->require_subcommand(1);
  auto lang_flag = [&](CLI::App* cmd) {
    cmd->add_option("--lang", lang_opt, "language of human text: zh or en")
        ->check(CLI::IsMember({"zh", "en"}))
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  };
  auto* al = a->add_subcommand("list", "one line per recorded decision");
  al->add_option("db", audit.db, "the audit store")->required();
  al->add_option("--filter", audit.filter,
                 "e.g. 'outcome = deny and rule = A7 and as_of >= 2024-01-01'");
  al->add_option("--limit", audit.limit, "at most this many lines")
      ->check(CLI::Range(1, 100000000));
  lang_flag(al);
  auto* as = a->add_subcommand("show", "one recorded decision: rules, source, statute text, facts");
  as->add_option("db", audit.db, "the audit store")->required();
  as->add_option("id", audit.id, "the record number (audit_id)")->required();
  audit.format = "text";
  as->add_option("--format,-f", audit.format, "output format")
      ->check(CLI::IsMember({"text", "json", "html"}));
  lang_flag(as);
  auto* av = a->add_subcommand(
      "verify",
      "check the hash chain and the signed checkpoints; exit 1 naming the first broken or missing "
      "record");
  av->add_option("db", audit.db, "the audit store")->required();
  av->add_option("--receipts", audit.receipts,
                 "answers kept by a case system (JSON Lines with audit_id and audit_hash): prove "
                 "each one's record is present and unchanged");
  av->add_option("--public-key", audit.public_key,
                 "the key the checkpoints must be signed with (as `xy audit key` printed it)");
  lang_flag(av);
  auto* ak = a->add_subcommand("key", "print the public key that signs the store's checkpoints");
  ak->add_option("db", audit.db, "the audit store")->required();
  lang_flag(ak);
  auto* ar = a->add_subcommand(
      "recover", "after a loss that verify reports, record it and let the store be written again");
  ar->add_option("db", audit.db, "the audit store")->required();
  ar->add_option("--reason", audit.reason, "why: kept with the recovery")->required();
  lang_flag(ar);
  auto* ae = a->add_subcommand("export", "every matching record, as JSON Lines or CSV");
  ae->add_option("db", audit.db, "the audit store")->required();
  ae->add_option("--filter", audit.filter, "the reviewers' filter (docs/audit.md)");
  ae->add_option("--format,-f", audit.format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->required();
  lang_flag(ae);

  xy::server::ServeOptions serve;
  auto* sv =
      app.add_subcommand("serve", "the HTTP decision service for case systems (docs/serve.md)");
  sv->add_option("--policies", serve.policies, "a policy set, or a folder of sets")->required();
  sv->add_option("--audit", serve.audit, "the audit store every decision is recorded in")
      ->required();
  sv->add_option("--listen", serve.listen, "HOST:PORT (default 127.0.0.1:8181; port 0: any)");
  sv->add_option("--config", serve.config, "JSON config: tokens and roles, limits (docs/serve.md)");
  sv->add_option("--laws", serve.laws,
                 "statute texts to check citations against (default: a laws/ folder in, beside or "
                 "above the policies)");
  lang_flag(sv);

  ReplayOptions replay;
  auto* rp = add_replay(app, replay, lang_opt);
  LintOptions lint;
  auto* li = add_lint(app, lint, lang_opt);
  DiffOptions diff;
  auto* di = add_diff(app, diff, lang_opt);
  ReviewOptions review;
  auto* rv = add_review(app, review, lang_opt);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // --version ends parsing with a "success" (exit code 0); anything else is bad usage.
    return app.exit(e) == 0 ? 0 : kBadInput;
  }
  xy::Lang lang =
      lang_opt.empty() ? xy::lang_from_env() : (lang_opt == "zh" ? xy::Lang::zh : xy::Lang::en);
  try {
    if (c->parsed()) {
      check.lang = lang;
      return run_check(check);
    }
    if (a->parsed()) {
      audit.lang = lang;
      for (auto* sub : {al, as, av, ae, ak, ar})
        if (sub->parsed()) audit.command = sub->get_name();
      return run_audit(audit);
    }
    if (l->parsed()) return xy::tooling::serve_lsp(std::cin, std::cout, lang);
    if (f->parsed()) {
      fmt.lang = lang;
      return run_fmt(fmt);
    }
    if (t->parsed()) {
      test.lang = lang;
      return run_test(test);
    }
    if (sv->parsed()) {
      serve.lang = lang;
      return xy::server::serve(serve);
    }
    if (rp->parsed()) {
      replay.lang = lang;
      return run_replay(replay);
    }
    if (li->parsed()) {
      lint.lang = lang;
      return run_lint(lint);
    }
    if (di->parsed()) {
      diff.lang = lang;
      return run_diff(diff);
    }
    if (rv->parsed()) {
      review.lang = lang;
      return run_review(review);
    }
    compile.lang = lang;
    return run_compile(compile);
  } catch (const std::bad_alloc&) {
    std::cerr << (lang == xy::Lang::zh ? "xy：内存不足\n" : "xy: out of memory\n");
    return kInternal;
  } catch (const std::exception& e) {
    std::cerr << (lang == xy::Lang::zh ? "xy：内部错误（这是 xy 的缺陷，请连同所用命令一并报告）："
                                       : "xy: internal error (a fault in xy; please report it "
                                         "with the command that caused it): ")
              << e.what() << "\n";
    return kInternal;
  }
}
