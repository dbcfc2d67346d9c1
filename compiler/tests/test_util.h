// Shared helpers for the compiler tests: a base schema, compiling snippets, finding diagnostics.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/child.h"

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "xiangyue/compiler/compiler.h"

namespace xyt {

// Lines 1-8: a schema and a list; every test policy below starts on line 9.
inline const std::string kSchema =
    "schema {\n"
    "  enum Level ordered { village, town, county }\n"
    "  enum Color { red, green }\n"
    "  entity Body { name: text, level: Level }\n"
    "  record Item { name: text, fee: money, approved: Body?, tags: set<text>, due: date }\n"
    "  action Assign { from: Body, item: Item, n: int }\n"
    "}\n"
    "list Duties { \"mediate\", \"publicize\" }\n";

// A check policy `P` for `Assign` (lines 9-12) whose rules start on line 13.
inline std::string with_rules(const std::string& rules) {
  return kSchema +
         "policy P {\n"
         "  kind check\n"
         "  default not_permitted\n"
         "  for Assign\n" +
         rules + "}\n";
}

inline xy::CompileResult compile(const std::string& text, const std::string& path = "main.xy") {
  return xy::compile_sources({xy::SourceFile{path, text}});
}

inline std::vector<xy::Diagnostic> diags(const xy::CompileResult& r) {
  return r.diagnostics.sorted();
}

inline std::vector<std::string> codes(const xy::CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.sorted()) out.push_back(d.code);
  return out;
}

// Every diagnostic rendered in English, for INFO() when a check fails.
inline std::string dump(const xy::CompileResult& r) {
  return xy::render_all(r.diagnostics, r.files, xy::Lang::en, 100);
}

// The first diagnostic with `code`, or nullptr.
inline const xy::Diagnostic* find(const std::vector<xy::Diagnostic>& ds, const std::string& code) {
  for (const auto& d : ds)
    if (d.code == code) return &d;
  return nullptr;
}

inline std::string loc(const xy::Diagnostic& d) {
  return std::to_string(d.span.line) + ":" + std::to_string(d.span.column);
}

inline std::string help_en(const xy::Diagnostic& d) {
  return d.help ? d.help->en : std::string();
}
inline std::string help_zh(const xy::Diagnostic& d) {
  return d.help ? d.help->zh : std::string();
}

// Compiles `text` and requires an error `code` at `line:col` (and no bundle).
inline xy::Diagnostic expect_error(const std::string& text, const std::string& code,
                                   const std::string& where) {
  auto r = compile(text);
  INFO(dump(r));
  REQUIRE_FALSE(r.bundle);
  auto ds = diags(r);
  const xy::Diagnostic* d = find(ds, code);
  REQUIRE(d != nullptr);
  CHECK(loc(*d) == where);
  CHECK(d->span.file == 0);
  CHECK_FALSE(d->message.en.empty());
  CHECK_FALSE(d->message.zh.empty());
  return *d;
}

// "line:col" (1-based, columns in code points) of the `nth` occurrence of `needle` in `text`.
inline std::string where(const std::string& text, const std::string& needle, int nth = 1) {
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = text.find(needle, at == std::string::npos ? 0 : at + 1);
  if (at == std::string::npos) return "not found";
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < at; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

using xy::testsupport::in_child;

}  // namespace xyt
