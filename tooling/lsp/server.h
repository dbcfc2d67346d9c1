// The language server's state (private to it): open documents, the policy set each belongs to,
// the client's language and position encoding, and the features answering requests.
#pragma once
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/compiler/checked.h"
#include "xiangyue/compiler/symbols.h"

namespace xy::tooling::lsp {

namespace json = boost::json;

// A policy set as the editor sees it: the files on disk with open documents' text over them.
struct Set {
  std::string dir;                // the folder (the set); "" for a document that is not a file
  std::vector<SourceFile> files;  // paths as on disk
  std::string laws_dir;           // where its citations resolve
  bool loaded = false;
  std::unique_ptr<symbols::Index> index;  // built when a feature needs it, dropped on a change
  // The checked program (diagnostics, types): made when first needed, dropped on a change.
  std::unique_ptr<checked::CheckResult> checked;
};

// A text's line starts, made once per request, so converting a position does not scan the text
// from its beginning (an outline converts three ranges per symbol).
class Lines {
 public:
  explicit Lines(const std::string& text);
  const std::string& text() const { return text_; }
  // Where 1-based `line` starts, in bytes; the text's size past its last line.
  std::size_t start(std::uint32_t line) const {
    return line >= 1 && line <= starts_.size() ? starts_[line - 1] : text_.size();
  }
  // The byte offset of a 1-based line and code-point column.
  std::size_t offset(std::uint32_t line, std::uint32_t column) const;

 private:
  const std::string& text_;
  std::vector<std::size_t> starts_;
};

class Server {
 public:
  explicit Server(Lang lang) : lang_(lang) {}
  // Handles one message; returns the reply to send (null for notifications), and queues
  // notifications (diagnostics) in `outbox`.
  json::value handle(const json::object& msg, std::vector<json::value>& outbox);
  bool exiting() const { return exit_; }
  bool shut_down() const { return shutdown_; }

 private:
  json::value initialize(const json::object& params);
  void publish(const std::string& uri, std::vector<json::value>& outbox);

  // features.cpp
  json::value hover(const json::object& params);
  json::value definition(const json::object& params);
  json::value completion(const json::object& params);
  json::value symbols(const json::object& params);
  json::value formatting(const json::object& params);

  // The set of a document (read when first asked), and the document's index in it; with
  // `indexed`, its symbol index too.
  Set& set_of(const std::string& uri, std::uint32_t* file, bool indexed = true);
  // The set's checked program (never lowered: the server only reads it).
  const checked::CheckResult& checked_of(Set& set);
  // A document's new text: into its set if the set is loaded (the others are unchanged).
  void update(const std::string& path, const std::string& text);
  // LSP position <-> 1-based line and code-point column in a document's text.
  std::pair<std::uint32_t, std::uint32_t> from_lsp(const Lines& lines,
                                                   const json::object& pos) const;
  json::object to_lsp(const Lines& lines, std::uint32_t line, std::uint32_t column) const;
  json::object range(const Lines& lines, const SourceSpan& span) const;
  std::string uri_of(const std::string& path) const;

  Lang lang_;
  bool utf16_ = true;  // positions count UTF-16 code units (LSP's default) or code points
  bool shutdown_ = false, exit_ = false;
  std::map<std::string, std::string> open_;  // path (or uri) -> text of the open documents
  std::map<std::string, Set> sets_;          // folder -> its set, rebuilt after a change
};

std::string path_of_uri(const std::string& uri);

}  // namespace xy::tooling::lsp
