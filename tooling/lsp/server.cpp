// The language server's core: the message loop, documents and their policy sets, positions, and
// the compiler's diagnostics published on every open and change.
#include "server.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "transport.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/tooling/lsp.h"

namespace xy::tooling::lsp {
namespace fs = std::filesystem;

std::string path_of_uri(const std::string& uri) {
  if (!uri.starts_with("file://")) return uri;
  std::string out;
  for (std::size_t i = 7; i < uri.size(); ++i) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9'   ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                    : -1;
    };
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) >= 0 && hex(uri[i + 2]) >= 0) {
      out += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

std::string Server::uri_of(const std::string& path) const {
  if (!path.starts_with("/")) return path;  // not a file: the uri it came as
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Lines::Lines(const std::string& text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::size_t Lines::offset(std::uint32_t line, std::uint32_t column) const {
  std::size_t at = start(line);
  for (std::uint32_t c = 1; c < column && at < text_.size() && text_[at] != '\n'; ++c)
    at += utf8_length(static_cast<unsigned char>(text_[at]));
  return std::min(at, text_.size());
}

std::pair<std::uint32_t, std::uint32_t> Server::from_lsp(const Lines& lines,
                                                         const json::object& pos) const {
  const std::string& text = lines.text();
  auto number = [&](const char* key) -> std::uint32_t {
    const auto* v = pos.if_contains(key);
    return v && v->is_int64() && v->get_int64() >= 0 ? static_cast<std::uint32_t>(v->get_int64())
                                                     : 0;
  };
  std::uint32_t line = number("line") + 1, units = number("character");
  std::size_t at = lines.start(line);
  std::uint32_t column = 1, seen = 0;
  while (at < text.size() && text[at] != '\n' && seen < units) {
    std::size_t len = utf8_length(static_cast<unsigned char>(text[at]));
    seen += utf16_ && len == 4 ? 2 : 1;
    at += len;
    ++column;
  }
  return {line, column};
}

json::object Server::to_lsp(const Lines& lines, std::uint32_t line, std::uint32_t column) const {
  const std::string& text = lines.text();
  std::size_t at = lines.start(line);
  std::uint32_t units = 0;
  for (std::uint32_t c = 1; c < column && at < text.size() && text[at] != '\n'; ++c) {
    std::size_t len = utf8_length(static_cast<unsigned char>(text[at]));
    units += utf16_ && len == 4 ? 2 : 1;
    at += len;
  }
  return {{"line", line > 0 ? line - 1 : 0}, {"character", units}};
}

json::object Server::range(const Lines& lines, const SourceSpan& s) const {
  if (!s.known())
    return {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
  std::uint32_t end_line = s.multiline() ? s.end_line : s.line;
  std::uint32_t end_column = s.multiline() ? s.end_column : s.column + s.length;
  return {{"start", to_lsp(lines, s.line, s.column)}, {"end", to_lsp(lines, end_line, end_column)}};
}

namespace {
std::string set_key(const std::string& path) {
  return path.starts_with("/") ? fs::path(path).parent_path().string() : path;
}
}  // namespace

void Server::update(const std::string& path, const std::string& text) {
  open_[path] = text;
  auto it = sets_.find(set_key(path));
  if (it == sets_.end()) return;
  Set& set = it->second;
  set.index.reset();
  set.checked.reset();
  for (auto& f : set.files)
    if (f.path == path) {
      f.text = text;
      return;
    }
  set.files.push_back(SourceFile{path, text});
}

Set& Server::set_of(const std::string& uri, std::uint32_t* file, bool indexed) {
  std::string path = path_of_uri(uri);
  std::string dir = path.starts_with("/") ? fs::path(path).parent_path().string() : "";
  Set& set = sets_[set_key(path)];
  if (!set.loaded) {
    set.loaded = true;
    set.dir = dir;
    set.files.clear();
    if (!dir.empty()) {
      // The folder's own *.xy files, not its subfolders: opening a file in a large folder (a
      // home directory) must not read the whole tree under it.
      std::vector<std::string> paths;
      std::error_code ec;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".xy" && it->is_regular_file(ec))
          paths.push_back(it->path().string());
      std::sort(paths.begin(), paths.end());
      constexpr std::size_t kMaxFiles = 1000;
      if (paths.size() > kMaxFiles) paths.resize(kMaxFiles);
      DiagnosticSink ignored;  // an unreadable file is left out
      if (!paths.empty()) set.files = read_policy_files(paths, ignored);
    }
    for (auto& f : set.files)
      if (auto it = open_.find(f.path); it != open_.end()) f.text = it->second;
    for (const auto& [p, text] : open_) {
      bool inside = dir.empty() ? p == path : p.starts_with(dir + "/");
      bool known = false;
      for (const auto& f : set.files) known = known || f.path == p;
      if (inside && !known) set.files.push_back(SourceFile{p, text});
    }
    set.laws_dir = dir.empty() ? "" : find_laws_dir({dir});
  }
  if (indexed && !set.index) set.index = symbols::build(set.files, set.laws_dir);
  if (file) {
    *file = 0;
    for (std::uint32_t i = 0; i < set.files.size(); ++i)
      if (set.files[i].path == path) *file = i;
  }
  return set;
}

const checked::CheckResult& Server::checked_of(Set& set) {
  if (!set.checked) {
    CompileSettings settings;
    settings.laws_dir = set.laws_dir;
    set.checked =
        std::make_unique<checked::CheckResult>(checked::check_sources(set.files, settings));
  }
  return *set.checked;
}

void Server::publish(const std::string& uri, std::vector<json::value>& outbox) {
  std::string path = path_of_uri(uri);
  Set& set = set_of(uri, nullptr, false);
  const auto& result = checked_of(set);
  std::vector<json::array> per_file(result.files.size());
  std::size_t changed = 0;
  for (std::size_t i = 0; i < result.files.size(); ++i)
    if (result.files[i].path == path) changed = i;
  std::vector<std::optional<Lines>> lines(result.files.size());  // made for files with diagnostics
  auto lines_of = [&](std::size_t f) -> const Lines& {
    if (!lines[f]) lines[f].emplace(result.files[f].text);
    return *lines[f];
  };
  for (const auto& d : result.diagnostics.sorted()) {
    std::size_t f = d.span.known() && d.span.file < per_file.size() ? d.span.file : changed;
    std::string message = d.message.in(lang_);
    if (d.help) message += (lang_ == Lang::zh ? "\n帮助：" : "\nhelp: ") + d.help->in(lang_);
    json::object diag{{"range", range(lines_of(f), d.span)},
                      {"severity", d.severity == Severity::error ? 1 : 2},
                      {"code", d.code},
                      {"source", "xy"},
                      {"message", message}};
    json::array related;
    for (const auto& [span, note] : d.notes)
      if (span.known() && span.file < result.files.size())
        related.push_back({{"location",
                            {{"uri", uri_of(result.files[span.file].path)},
                             {"range", range(lines_of(span.file), span)}}},
                           {"message", note.in(lang_)}});
    if (!related.empty()) diag["relatedInformation"] = std::move(related);
    per_file[f].push_back(std::move(diag));
  }
  for (std::size_t i = 0; i < result.files.size(); ++i)
    outbox.push_back(json::object{
        {"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params", {{"uri", uri_of(result.files[i].path)}, {"diagnostics", per_file[i]}}}});
}

json::value Server::initialize(const json::object& params) {
  if (const auto* loc = params.if_contains("locale"); loc && loc->is_string())
    lang_ = std::string_view(loc->get_string()).starts_with("zh") ? Lang::zh : Lang::en;
  // Code points when the client can count them (LSP 3.17), else UTF-16 as the protocol says.
  if (const auto* caps = params.if_contains("capabilities"); caps && caps->is_object())
    if (const auto* general = caps->get_object().if_contains("general");
        general && general->is_object())
      if (const auto* enc = general->get_object().if_contains("positionEncodings");
          enc && enc->is_array())
        for (const auto& e : enc->get_array())
          if (e.is_string() && e.get_string() == "utf-32") utf16_ = false;
  return json::object{{"capabilities",
                       {{"positionEncoding", utf16_ ? "utf-16" : "utf-32"},
                        {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
                        {"hoverProvider", true},
                        {"definitionProvider", true},
                        {"completionProvider", {{"triggerCharacters", json::array{"."}}}},
                        {"documentSymbolProvider", true},
                        {"documentFormattingProvider", true}}},
                      {"serverInfo", {{"name", "xy lsp"}}}};
}

json::value Server::handle(const json::object& msg, std::vector<json::value>& outbox) {
  const json::value* id = msg.if_contains("id");
  std::string method;
  if (const auto* m = msg.if_contains("method"); m && m->is_string()) method = m->get_string();
  static const json::object kNoParams;
  const json::object& params = msg.if_contains("params") && msg.at("params").is_object()
                                   ? msg.at("params").get_object()
                                   : kNoParams;
  auto reply = [&](json::value result) -> json::value {
    return json::object{{"jsonrpc", "2.0"}, {"id", *id}, {"result", std::move(result)}};
  };
  auto doc_uri = [&]() -> std::string {
    const auto* td = params.if_contains("textDocument");
    if (!td || !td->is_object()) return {};
    const auto* uri = td->get_object().if_contains("uri");
    return uri && uri->is_string() ? std::string(uri->get_string()) : std::string();
  };
  if (method == "exit") {
    exit_ = true;
    return nullptr;
  }
  if (method == "textDocument/didOpen" || method == "textDocument/didChange") {
    std::string uri = doc_uri(), text;
    if (uri.empty()) return nullptr;
    if (method == "textDocument/didOpen") {
      const auto* t = params.at("textDocument").get_object().if_contains("text");
      if (t && t->is_string()) text = t->get_string();
    } else if (const auto* changes = params.if_contains("contentChanges");
               changes && changes->is_array() && !changes->get_array().empty()) {
      const auto& last = changes->get_array().back();
      if (last.is_object() && last.get_object().if_contains("text") && last.at("text").is_string())
        text = last.at("text").get_string();
    }
    update(path_of_uri(uri), text);
    publish(uri, outbox);
    return nullptr;
  }
  if (method == "textDocument/didClose") {
    std::string path = path_of_uri(doc_uri());
    open_.erase(path);
    sets_.erase(set_key(path));  // read again from disk when next needed
    return nullptr;
  }
  if (!id) return nullptr;  // other notifications: initialized, didSave, $/…
  if (method == "initialize") return reply(initialize(params));
  if (method == "shutdown") {
    shutdown_ = true;
    return reply(nullptr);
  }
  if (method == "textDocument/hover") return reply(hover(params));
  if (method == "textDocument/definition") return reply(definition(params));
  if (method == "textDocument/completion") return reply(completion(params));
  if (method == "textDocument/documentSymbol") return reply(symbols(params));
  if (method == "textDocument/formatting") return reply(formatting(params));
  return json::object{{"jsonrpc", "2.0"},
                      {"id", *id},
                      {"error", {{"code", -32601}, {"message", "unknown method " + method}}}};
}

}  // namespace xy::tooling::lsp

namespace xy::tooling {

int serve_lsp(std::istream& in, std::ostream& out, Lang lang) {
  namespace json = boost::json;
  lsp::Server server(lang);
  while (auto body = lsp::read_message(in)) {
    std::vector<json::value> outbox;
    json::value reply;
    boost::system::error_code ec;
    json::value msg = json::parse(*body, ec);
    if (ec || !msg.is_object()) {
      reply = json::object{{"jsonrpc", "2.0"},
                           {"id", nullptr},
                           {"error", {{"code", -32700}, {"message", "the message is not JSON"}}}};
    } else {
      try {
        reply = server.handle(msg.get_object(), outbox);
      } catch (const std::exception& e) {
        const auto* id = msg.get_object().if_contains("id");
        reply = json::object{{"jsonrpc", "2.0"},
                             {"id", id ? *id : json::value(nullptr)},
                             {"error", {{"code", -32603}, {"message", e.what()}}}};
      }
    }
    if (!reply.is_null()) lsp::write_message(out, json::serialize(reply));
    for (const auto& n : outbox) lsp::write_message(out, json::serialize(n));
    if (server.exiting()) return server.shut_down() ? 0 : 1;
  }
  return 1;
}

}  // namespace xy::tooling
