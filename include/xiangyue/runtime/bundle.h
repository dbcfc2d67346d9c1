// The compiled policy bundle: the lowered IR with rule indexes, serialisable, with a content hash.
#pragma once
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"
#include "xiangyue/runtime/value.h"

namespace xy::ir {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::int32_t kNoDate = std::numeric_limits<std::int32_t>::min();

enum class TypeKind : std::uint8_t { Bool, Number, Text, Date, Duration, Enum, Struct, Set };

// Whether a date lies in an effective period (both ends inclusive; kNoDate = open).
inline bool in_period(std::int32_t from, std::int32_t until, std::int32_t day) {
  return (from == kNoDate || day >= from) && (until == kNoDate || day <= until);
}

struct Type {
  TypeKind kind = TypeKind::Bool;
  bool optional = false;
  bool integer = false;       // Number: requests must give whole numbers
  std::uint32_t ref = kNone;  // Enum / Struct index, or the element type of a Set
  friend bool operator==(const Type&, const Type&) = default;
};

struct Field {
  std::string name;
  std::uint32_t type = 0;  // index into Bundle::types
  bool sensitive = false;
};

struct StructType {
  std::string name;
  bool entity = false;
  std::vector<Field> fields;
};

struct EnumType {
  std::string name;
  bool ordered = false;
  std::vector<std::string> members;
};

struct Action {
  std::string name;
  std::uint32_t facts = 0;  // StructType index describing the request's facts
};

struct Citation {
  std::string issuer, law;
  std::optional<std::string> version;
  std::optional<int> article, paragraph, item;
  std::string cite;
  std::string text;    // the cited article, paragraph or item, when the law text was available
  std::string source;  // the law text it was resolved against, e.g. 立法法(2023-03-13)
};

// Where a rule or policy stands in its source: its first line and column, the line and column just
// past its end, and its byte range in the file's text.
struct Location {
  std::uint32_t file = 0, line = 0, column = 0;
  std::uint32_t end_line = 0, end_column = 0;
  std::uint32_t begin = 0, end = 0;
};

// The source text an IR node was lowered from: bytes [begin, end) of a source file.
struct Range {
  std::uint32_t file = 0, begin = 0, end = 0;
};

// A constant: numbers, text, dates, durations, enum ordinals and booleans.
struct Const {
  ValueKind kind = ValueKind::Bool;
  Rational num;
  std::string text;
  std::int32_t date = 0;
  Duration dur;
  std::uint32_t ordinal = 0;
  bool b = false;
};

struct ListItem {
  std::string key;
  std::vector<std::uint32_t> attrs;  // Const index per list attribute, in declaration order
  std::uint32_t citation = kNone;
};

struct List {
  std::string name;
  std::vector<Field> attrs;
  std::uint32_t citation = kNone;
  std::vector<ListItem> items;
};

enum class Op : std::uint8_t {
  Const,
  Root,
  AsOf,
  Var,
  Field,
  ListAttr,
  Not,
  And,
  Or,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Add,
  Sub,
  Mul,
  Div,
  Neg,
  DateAdd,
  DateSub,
  InList,
  InSet,
  IsNone,
  IsSome,
  Any,
  All,
  Count,
  SetLit,
  Age,
  Size,
};

// One IR node. Children are node indices; `path` names the fact for missing-fact reports.
struct Node {
  Op op = Op::Const;
  std::uint8_t flags = 0;  // comparisons: the operand TypeKind
  std::uint16_t slot = 0;  // Var / quantifiers: the variable slot
  std::uint32_t a = kNone, b = kNone, c = kNone;
  std::uint32_t path = kNone;  // index into Bundle::paths
};

enum class Effect : std::uint8_t { Permit, Forbid, Reject, Refer, Pass };
enum class Kind : std::uint8_t { Check, Review };
enum class Outcome : std::uint8_t {
  Permit,
  Deny,
  NotPermitted,
  Indeterminate,
  Reject,
  Refer,
  Pass
};

struct TemplatePiece {
  std::string text;            // literal text, or the placeholder as written
  std::uint32_t node = kNone;  // kNone: literal text
  std::uint32_t type = kNone;  // the placeholder's type, for formatting
  bool masked =
      false;  // derived (not stored): the placeholder ends in `|遮蔽`, shown partly hidden
};

struct Rule {
  std::string id;
  Effect effect = Effect::Permit;
  std::uint32_t policy = 0;
  std::uint32_t action = 0;
  std::uint32_t cond = kNone;  // kNone: always applies
  std::vector<TemplatePiece> because;
  std::uint32_t citation = kNone;
  std::int32_t from = kNoDate, until = kNoDate;  // inclusive; kNoDate = open
  std::uint32_t base = kNone;                    // the rule this is an exception to
  std::vector<std::uint32_t> exceptions;         // rules that are exceptions to this one
  std::uint16_t slots = 0;                       // quantifier variable slots used
  Location loc;                                  // the whole rule, `rule` to its last clause
};

struct Policy {
  std::string name;
  Kind kind = Kind::Check;
  Outcome fallback = Outcome::NotPermitted;
  std::string scope, version;
  std::int32_t from = kNoDate, until = kNoDate;
  std::uint32_t target = kNone;  // the `for` action: decided by this policy even with no rules
  Location loc;
  // Rule index: per action, this policy's rules for it in an evaluation order where every
  // exception comes before the rule it overrides.
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_action;
};

}  // namespace xy::ir

namespace xy {

// A compiled policy set. Move-only: constants point into its own storage.
class Bundle {
 public:
  Bundle() = default;
  Bundle(Bundle&&) = default;
  Bundle& operator=(Bundle&&) = default;
  Bundle(const Bundle&) = delete;
  Bundle& operator=(const Bundle&) = delete;

  std::vector<SourceFile> sources;
  std::vector<ir::Type> types;
  std::vector<ir::StructType> structs;
  std::vector<ir::EnumType> enums;
  std::vector<ir::Action> actions;
  std::vector<ir::List> lists;
  std::vector<ir::Citation> citations;
  std::vector<ir::Const> consts;
  std::vector<ir::Node> nodes;
  std::vector<ir::Range> node_ranges;     // per node: the expression it was lowered from
  std::vector<std::uint32_t> node_lists;  // children of SetLit nodes
  std::vector<std::string> paths;
  std::vector<ir::Rule> rules;
  std::vector<ir::Policy> policies;
  std::string hash;  // hex SHA-256 of the serialised content

  // Derived on finalize(): lookups and constant values.
  std::unordered_map<std::string, std::uint32_t> action_by_name;
  std::vector<std::unordered_map<std::string_view, std::uint32_t>> list_index;
  std::vector<Value> const_values;
  // Set literals whose elements are all constants, built once: node index -> const_sets index.
  std::vector<std::uint32_t> const_set_of_node;
  std::vector<std::vector<Value>> const_sets;

  // Builds the derived tables and the content hash. Call after building.
  void finalize();

  std::string serialize() const;  // the bundle file: magic, format version, hash, content
  // Errors in both languages (a bundle is handed to people as a file).
  static Result<Bundle, Localized> deserialize(const std::string& bytes);
  Result<bool, Localized> write_file(const std::string& path) const;
  static Result<Bundle, Localized> read_file(const std::string& path);

 private:
  std::string content() const;  // the hashed part
  void derive();                // the derived tables (finalize without the hash)
};

}  // namespace xy
