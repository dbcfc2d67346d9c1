// The lexer DFA for every code point: the same edge map and lock as ANTLR's own simulator, without
// its ASCII-only bound (end of file still goes through the ATN, as in ANTLR).
#include "wide_lexer.h"

namespace xy::parse {

void WideLexerSimulator::install(antlr4::Lexer& lexer) {
  auto* base = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
  if (!base) return;
  auto* wide = new WideLexerSimulator(&lexer, lexer.getATN(), base->_decisionToDFA,
                                      base->getSharedContextCache());
  // setInterpreter deletes the old simulator; the generated lexer deletes this one.
  lexer.setInterpreter(wide);
}

antlr4::dfa::DFAState* WideLexerSimulator::getExistingTargetState(antlr4::dfa::DFAState* s,
                                                                  size_t t) {
  if (t == antlr4::Token::EOF) return nullptr;
  antlr4::dfa::DFAState* found = nullptr;
  _edgeLock.readLock();
  auto it = s->edges.find(t);
  if (it != s->edges.end()) found = it->second;
  _edgeLock.readUnlock();
  return found;
}

void WideLexerSimulator::addDFAEdge(antlr4::dfa::DFAState* p, size_t t, antlr4::dfa::DFAState* q) {
  if (t == antlr4::Token::EOF) return;
  _edgeLock.writeLock();
  p->edges[t] = q;
  _edgeLock.writeUnlock();
}

}  // namespace xy::parse
