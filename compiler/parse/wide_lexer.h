// A lexer simulator that caches DFA edges for every code point, not only ASCII (private to the
// parse stage): ANTLR 4.9's C++ runtime keeps edges in a hash map but caches only code points up
// to 127, so each Chinese character of a policy ran a full ATN closure.
#pragma once
#include <antlr4-runtime.h>

namespace xy::parse {

class WideLexerSimulator : public antlr4::atn::LexerATNSimulator {
 public:
  using LexerATNSimulator::addDFAEdge;
  using LexerATNSimulator::LexerATNSimulator;

  // Replaces `lexer`'s simulator with one of these, sharing its DFA and context cache.
  static void install(antlr4::Lexer& lexer);

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* s, size_t t) override;
  void addDFAEdge(antlr4::dfa::DFAState* p, size_t t, antlr4::dfa::DFAState* q) override;
};

}  // namespace xy::parse
