// What a policy set declares and where, and what a position in its text names: the index the
// language server reads. Built from the parsed files alone (no lowering), so it works on a set
// that does not compile yet.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/compiler/syntax.h"

namespace xy::symbols {

enum class Kind : std::uint8_t { Struct, Enum, Member, Field, Action, List, Item, Policy, Rule };

struct Symbol {
  Kind kind = Kind::Struct;
  std::string name;
  std::string owner;  // the struct, action, enum, list or policy it belongs to ("" at the top)
  SourceSpan span;    // its name where it is declared
  SourceSpan extent;  // the whole declaration
  std::string doc;    // the comments above its declaration, and the one after it on its line
  // Field: its type (`集合<刑事记录>`, `日期?`) and the declared type it names (`刑事记录`).
  std::string type, type_name;
  bool is_set = false;
  // Struct, action, enum, list: what it holds (field names, members, item keys).
  std::vector<std::string> members;
  // Rule: effect, action, reason, basis as written; list and item: basis.
  std::string effect, action, reason, basis;
  bool sensitive = false;
};

struct Index {
  Index() = default;
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  std::vector<SourceFile> files;
  std::vector<syntax::Tree> trees;  // one per file; no tokens when it did not parse
  std::vector<Symbol> symbols;
  std::string laws_dir;  // where citations are quoted from ("" if none)
  bool keywords_zh = false;

  const Symbol* find(Kind kind, std::string_view name, std::string_view owner = {}) const;
  const Symbol* find_type(std::string_view name) const;  // a struct, action or enum
};

// Indexes a set's files. The index keeps them and its trees point into them, so it does not move.
std::unique_ptr<Index> build(std::vector<SourceFile> files, std::string laws_dir);

// What the text at a 1-based line and code-point column of a file names.
struct Target {
  const Symbol* symbol = nullptr;
  std::string citation;  // a basis string: the citation as written
  SourceSpan span;       // the token there
};
Target at(const Index& index, std::uint32_t file, std::uint32_t line, std::uint32_t column);

// Completions at a position: after `.` the fields of what precedes it; elsewhere facts of the
// rule's action, list names, enum members and keywords in the file's language.
struct Completion {
  std::string label, detail;
  Kind kind = Kind::Field;
  bool keyword = false;
};
std::vector<Completion> complete(const Index& index, std::uint32_t file, std::uint32_t line,
                                 std::uint32_t column);

// The statute text a citation points at, from the index's laws folder: text and its source.
std::optional<std::pair<std::string, std::string>> quote(const Index& index,
                                                         const std::string& citation);

}  // namespace xy::symbols
