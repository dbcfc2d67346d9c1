// The formatter's structure: which tokens start a line and how deep, from the syntax tree. Blocks
// of declarations and policies hold one item per line; a short enum, field or list block written
// on one line stays on one line; each rule clause has its own line under its rule.
#include <string_view>

#include "plan.h"

namespace xy::tooling {
namespace {

using syntax::NodeKind;

constexpr int kStep = 2;

class Layout {
 public:
  Layout(const syntax::Tree& t, Plan& p) : t_(t), p_(p) {}

  void node(std::uint32_t n, int indent) {
    const auto& nd = t_.nodes[n];
    switch (nd.kind) {
      case NodeKind::File:
        for (auto k : nd.kids) start(k, 0), node(k, 0);
        break;
      case NodeKind::Item:
      case NodeKind::SchemaItem:
      case NodeKind::PolicyBody:
      case NodeKind::ReturnsItem:
        for (auto k : nd.kids) node(k, indent);
        break;
      case NodeKind::SchemaBlock:
      case NodeKind::PolicyDecl:
        block(n, indent, true, [&](std::uint32_t k) {
          auto kind = t_.nodes[k].kind;
          return kind == NodeKind::SchemaItem || kind == NodeKind::PolicyItem ||
                 kind == NodeKind::PolicyBody;
        });
        break;
      case NodeKind::PolicyItem:
        for (auto k : nd.kids)
          if (t_.nodes[k].kind == NodeKind::SchemaBlock || t_.nodes[k].kind == NodeKind::ListDecl)
            node(k, indent);
        break;
      case NodeKind::EnumDecl: {
        bool first = true;  // the enum's own name is not a member
        block(n, indent, false, [&](std::uint32_t k) {
          if (t_.nodes[k].kind != NodeKind::Name) return false;
          if (first) return first = false;
          return true;
        });
        break;
      }
      case NodeKind::StructDecl:
      case NodeKind::ActionDecl:
        for (auto k : nd.kids)
          if (t_.nodes[k].kind == NodeKind::FieldList) fields_ = k;
        block(n, indent, false, [&](std::uint32_t) { return false; });
        break;
      case NodeKind::ListDecl:
        block(n, indent, false, [&](std::uint32_t k) {
          if (t_.nodes[k].kind != NodeKind::ListItem) return false;
          cells(k);
          return true;
        });
        break;
      case NodeKind::ReturnsDecl:
        block(n, indent, true,
              [&](std::uint32_t k) { return t_.nodes[k].kind == NodeKind::ReturnsItem; });
        break;
      case NodeKind::RosterBlock:
        block(n, indent, true,
              [&](std::uint32_t k) { return t_.nodes[k].kind == NodeKind::ColumnItem; });
        break;
      case NodeKind::DepartmentBlock:
        block(n, indent, true,
              [&](std::uint32_t k) { return t_.nodes[k].kind == NodeKind::SheetBlock; });
        break;
      case NodeKind::SheetBlock:  // `{ id "身份证号" }` written on one line stays there
        block(n, indent, false,
              [&](std::uint32_t k) { return t_.nodes[k].kind == NodeKind::ColumnItem; });
        break;
      case NodeKind::RuleDecl:
        for (auto k : nd.kids)
          if (t_.nodes[k].kind == NodeKind::RuleClause) {
            start(k, indent + kStep);
            p_.clause[t_.nodes[k].first] = true;
          }
        break;
      default:
        break;
    }
  }

 private:
  void start(std::uint32_t n, int indent) {
    auto first = t_.nodes[n].first;
    if (first < p_.indent.size() && first <= t_.nodes[n].last) p_.indent[first] = indent;
  }

  // The node's own `{` or `}` token (not one of its children's).
  std::uint32_t own(std::uint32_t n, std::string_view text) const {
    const auto& nd = t_.nodes[n];
    for (auto i = nd.first; i <= nd.last && i < t_.tokens.size(); ++i)
      if (t_.parent_of[i] == n && t_.token_text(i) == text) return i;
    return static_cast<std::uint32_t>(t_.tokens.size());
  }

  // A `{ … }` block: over several lines when `always` or when written so, its items (nodes for
  // which `item` says so; the fields of a struct) one per line one step deeper.
  template <class IsItem>
  void block(std::uint32_t n, int indent, bool always, IsItem item) {
    auto open = own(n, "{"), close = own(n, "}");
    std::size_t size = t_.tokens.size();
    bool lines =
        always || (open < size && close < size && t_.tokens[open].line != t_.tokens[close].line);
    std::vector<std::uint32_t> items;
    for (auto k : t_.nodes[n].kids)
      if (item(k)) items.push_back(k);
    if (fields_ != kNoNode) {
      for (auto k : t_.nodes[fields_].kids)
        if (t_.nodes[k].kind == NodeKind::FieldDecl) items.push_back(k);
      fields_ = kNoNode;
    }
    if (!lines) return;
    if (open < size) p_.opens_block[open] = true;
    if (close < size) {
      p_.indent[close] = indent;
      p_.closes_block[close] = true;
    }
    // In a block of declarations every item has its own line; in an enum, field or list block
    // items the author grouped on one line stay together.
    std::uint32_t previous = open;
    for (auto k : items) {
      auto first = t_.nodes[k].first;
      if (always || previous >= size || first >= size ||
          t_.tokens[first].line > t_.tokens[previous].line)
        start(k, indent + kStep);
      node(k, indent + kStep);
      previous = t_.nodes[k].last;
    }
  }

  // A list item's cells, aligned across a run of items: its attributes and its basis.
  void cells(std::uint32_t item) {
    auto paren = own(item, "(");
    if (paren < t_.tokens.size()) p_.cell[paren] = 1;
    for (auto k : t_.nodes[item].kids)
      if (t_.nodes[k].kind == NodeKind::BasisClause && t_.nodes[k].first < t_.tokens.size())
        p_.cell[t_.nodes[k].first] = 2;
  }

  static constexpr std::uint32_t kNoNode = static_cast<std::uint32_t>(-1);
  const syntax::Tree& t_;
  Plan& p_;
  std::uint32_t fields_ = kNoNode;  // the field list of the struct or action being laid out
};

}  // namespace

void lay_out(const syntax::Tree& t, Plan& p) {
  std::size_t n = t.tokens.size();
  p.indent.assign(n, -1);
  p.clause.assign(n, false);
  p.cell.assign(n, 0);
  p.opens_block.assign(n, false);
  p.closes_block.assign(n, false);
  if (!t.nodes.empty()) Layout(t, p).node(0, 0);
}

}  // namespace xy::tooling
