// The bundle's field list, written once: `transfer` both writes (serial::Writer) and reads
// (serial::Reader) every hashed field, so the two directions cannot drift apart.
#pragma once
#include "serial.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::serial {

template <class Ar>
void transfer(Ar& ar, ir::Field& f) {
  ar.io(f.name);
  ar.io(f.type);
  ar.io(f.sensitive);
}

template <class Ar>
void transfer(Ar& ar, Rational& q) {
  ar.io(q.num);
  ar.io(q.den);
  if constexpr (Ar::reading) {
    auto n = Rational::make(q.num, q.den);
    if (!n || n->num != q.num || n->den != q.den) ar.failed = true;  // stored normalised
  }
}

template <class Ar>
void transfer(Ar& ar, ir::Location& l) {
  ar.io(l.file);
  ar.io(l.line);
  ar.io(l.column);
  ar.io(l.end_line);
  ar.io(l.end_column);
  ar.io(l.begin);
  ar.io(l.end);
}

// Every field of the bundle that the content hash covers (derived tables are rebuilt).
template <class Ar>
void transfer(Ar& ar, Bundle& b) {
  ar.seq(b.sources, 8, [&](SourceFile& s) {
    ar.io(s.path);
    ar.io(s.text);
  });
  ar.seq(b.types, 7, [&](ir::Type& t) {
    ar.io_enum(t.kind);
    ar.io(t.optional);
    ar.io(t.integer);
    ar.io(t.ref);
  });
  ar.seq(b.structs, 9, [&](ir::StructType& s) {
    ar.io(s.name);
    ar.io(s.entity);
    ar.seq(s.fields, 9, [&](ir::Field& f) { transfer(ar, f); });
  });
  ar.seq(b.enums, 9, [&](ir::EnumType& e) {
    ar.io(e.name);
    ar.io(e.ordered);
    ar.seq(e.members, 4, [&](std::string& m) { ar.io(m); });
  });
  ar.seq(b.actions, 8, [&](ir::Action& a) {
    ar.io(a.name);
    ar.io(a.facts);
  });
  ar.seq(b.citations, 23, [&](ir::Citation& c) {
    ar.io(c.issuer);
    ar.io(c.law);
    ar.io(c.version);
    ar.io(c.article);
    ar.io(c.paragraph);
    ar.io(c.item);
    ar.io(c.cite);
    ar.io(c.text);
    ar.io(c.source);
  });
  ar.seq(b.consts, 46, [&](ir::Const& c) {
    ar.io_enum(c.kind);
    transfer(ar, c.num);
    ar.io(c.text);
    ar.io(c.date);
    ar.io(c.dur.months);
    ar.io(c.dur.days);
    ar.io(c.ordinal);
    ar.io(c.b);
  });
  ar.seq(b.lists, 16, [&](ir::List& l) {
    ar.io(l.name);
    ar.seq(l.attrs, 9, [&](ir::Field& f) { transfer(ar, f); });
    ar.io(l.citation);
    ar.seq(l.items, 12, [&](ir::ListItem& it) {
      ar.io(it.key);
      ar.seq(it.attrs, 4, [&](std::uint32_t& a) { ar.io(a); });
      ar.io(it.citation);
    });
  });
  ar.seq(b.nodes, 22, [&](ir::Node& n) {
    ar.io_enum(n.op);
    ar.io(n.flags);
    ar.io(n.slot);
    ar.io(n.a);
    ar.io(n.b);
    ar.io(n.c);
    ar.io(n.path);
  });
  ar.seq(b.node_ranges, 12, [&](ir::Range& r) {
    ar.io(r.file);
    ar.io(r.begin);
    ar.io(r.end);
  });
  ar.seq(b.node_lists, 4, [&](std::uint32_t& n) { ar.io(n); });
  ar.seq(b.paths, 4, [&](std::string& p) { ar.io(p); });
  ar.seq(b.rules, 40, [&](ir::Rule& r) {
    ar.io(r.id);
    ar.io_enum(r.effect);
    ar.io(r.policy);
    ar.io(r.action);
    ar.io(r.cond);
    ar.seq(r.because, 12, [&](ir::TemplatePiece& p) {
      ar.io(p.text);
      ar.io(p.node);
      ar.io(p.type);
    });
    ar.io(r.citation);
    ar.io(r.from);
    ar.io(r.until);
    ar.io(r.base);
    ar.io(r.slots);
    transfer(ar, r.loc);
  });
  ar.seq(b.policies, 30, [&](ir::Policy& p) {
    ar.io(p.name);
    ar.io_enum(p.kind);
    ar.io_enum(p.fallback);
    ar.io(p.scope);
    ar.io(p.version);
    ar.io(p.from);
    ar.io(p.until);
    ar.io(p.target);
    transfer(ar, p.loc);
  });
}

}  // namespace xy::serial
