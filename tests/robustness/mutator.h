// Mutations with a fixed-seed RNG: byte ranges (delete, duplicate, swap, insert bytes), whole
// lines and words (which keep more mutants lexically valid), and JSON values.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace robust {

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }

  // Applies 1-3 random operations; `pool` holds extra snippets worth inserting.
  std::string mutate(std::string s, const std::vector<std::string>& pool) {
    int ops = 1 + static_cast<int>(below(3));
    for (int i = 0; i < ops; ++i) {
      switch (below(4)) {
        case 0:
          erase(s);
          break;
        case 1:
          duplicate(s);
          break;
        case 2:
          swap(s);
          break;
        default:
          insert(s, pool);
          break;
      }
    }
    return s;
  }

  // Line and word operations: delete, duplicate or swap lines; replace a word with another word
  // of the same text. Mutants stay mostly lexically valid, so they reach the checker.
  std::string mutate_lines(const std::string& text) {
    std::vector<std::string> lines, words;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    for (const auto& l : lines)
      for (std::size_t a = 0, b; a < l.size(); a = b + 1) {
        b = l.find(' ', a);
        if (b == std::string::npos) b = l.size();
        if (b > a) words.push_back(l.substr(a, b - a));
      }
    int ops = 1 + static_cast<int>(below(3));
    for (int i = 0; i < ops && !lines.empty(); ++i) {
      std::size_t at = below(lines.size());
      switch (below(4)) {
        case 0:
          lines.erase(lines.begin() + static_cast<long>(at));
          break;
        case 1:
          lines.insert(lines.begin() + static_cast<long>(below(lines.size() + 1)), lines[at]);
          break;
        case 2:
          std::swap(lines[at], lines[below(lines.size())]);
          break;
        default: {
          auto& l = lines[at];
          std::size_t sp = l.find(' ', below(l.size() + 1));
          if (sp == std::string::npos || words.empty()) break;
          std::size_t end = l.find(' ', sp + 1);
          l.replace(sp + 1, (end == std::string::npos ? l.size() : end) - sp - 1,
                    words[below(words.size())]);
        }
      }
    }
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
    return out;
  }

  // JSON-aware: replaces a value with one of another type or shape, drops or renames a key.
  // Falls back to byte mutations when the text is not JSON.
  std::string mutate_json(const std::string& text, const std::vector<std::string>& pool) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(text, ec);
    if (ec) return mutate(text, pool);
    static const char* kValues[] = {"null",
                                    "true",
                                    "0",
                                    "-1",
                                    "1.5",
                                    "1e300",
                                    "-0.0",
                                    "9223372036854775808",
                                    "-9223372036854775808",
                                    "\"\"",
                                    "\"x\"",
                                    "\"2/3\"",
                                    "\"2万元\"",
                                    "\"1/0\"",
                                    "\"2024-02-29\"",
                                    "\"2023-02-30\"",
                                    "\"5年\"",
                                    "\"乡镇\"",
                                    "[]",
                                    "[1,\"a\",null]",
                                    "{}",
                                    "{\"名称\":\"x\",\"层级\":\"县\"}",
                                    "\"\\u0000\""};
    int ops = 1 + static_cast<int>(below(3));
    for (int i = 0; i < ops; ++i) {
      std::vector<boost::json::value*> all;
      std::vector<boost::json::value*> todo{&doc};
      while (!todo.empty()) {
        auto* v = todo.back();
        todo.pop_back();
        all.push_back(v);
        if (v->is_object())
          for (auto& kv : v->get_object()) todo.push_back(&kv.value());
        if (v->is_array())
          for (auto& x : v->get_array()) todo.push_back(&x);
      }
      auto* v = all[below(all.size())];
      if (v->is_object() && !v->get_object().empty() && chance(40)) {
        auto& o = v->get_object();
        auto it = o.begin() + static_cast<long>(below(o.size()));
        std::string key(it->key());
        boost::json::value moved = it->value();
        o.erase(it);
        if (chance(50))
          o[key.substr(0, key.size() > 3 ? key.size() - 3 : 0) + "x"] = std::move(moved);
      } else {
        *v = boost::json::parse(kValues[below(sizeof kValues / sizeof *kValues)]);
      }
    }
    return boost::json::serialize(doc);
  }

 private:
  // A range length: mostly short, sometimes a large slice of the input.
  std::size_t length(std::size_t max) {
    if (max == 0) return 0;
    std::size_t cap = chance(15) ? max : std::min<std::size_t>(max, 48);
    return 1 + below(cap);
  }

  void erase(std::string& s) {
    if (s.empty()) return;
    std::size_t at = below(s.size());
    s.erase(at, length(s.size() - at));
  }

  void duplicate(std::string& s) {
    if (s.empty()) return;
    std::size_t at = below(s.size());
    std::string piece = s.substr(at, length(s.size() - at));
    s.insert(below(s.size() + 1), piece);
  }

  void swap(std::string& s) {
    if (s.size() < 4) return;
    std::size_t a = below(s.size() / 2);
    std::size_t alen = length(s.size() / 2 - a);
    std::size_t b = s.size() / 2 + below(s.size() - s.size() / 2);
    std::size_t blen = length(s.size() - b);
    std::string first = s.substr(a, alen), second = s.substr(b, blen);
    s.replace(b, blen, first);
    s.replace(a, alen, second);
  }

  void insert(std::string& s, const std::vector<std::string>& pool) {
    static const std::vector<std::string> kBytes = {"\xFF",         "\x80",
                                                    "\xC0\xAF",     "\xE4\xB8",
                                                    "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                                    "\xE0\x80\x80", std::string("\0", 1),
                                                    "\t",           "\r\n",
                                                    "\n",           "\xEF\xBB\xBF"};
    static const std::vector<std::string> kChinese = {
        "，", "。", "、", "；", "：", "「", "」", "“",  "”",  "（", "）",   "《",   "》", "【",
        "】", "＞", "＝", "　", "…",  "—",  "第", "条", "款", "项", "分之", "万元", "年", "个月"};
    std::string out;
    int n = 1 + static_cast<int>(below(6));
    for (int i = 0; i < n; ++i) {
      switch (below(4)) {
        case 0:
          out += static_cast<char>(below(256));
          break;
        case 1:
          out += kBytes[below(kBytes.size())];
          break;
        case 2:
          out += kChinese[below(kChinese.size())];
          break;
        default:
          out += pool.empty() ? "(" : pool[below(pool.size())];
          break;
      }
    }
    s.insert(below(s.size() + 1), out);
  }

  std::mt19937_64 rng_;
};

}  // namespace robust
