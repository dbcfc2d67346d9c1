// The service's state and request handling, independent of the network layer (http.cpp): the
// served catalog (swapped atomically on reload), the audit store, metrics, access control.
#pragma once
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "catalog.h"
#include "config.h"
#include "metrics.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/server/server.h"

namespace xy::server {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
// Sends a response; may be called on any thread (the audit writer's, for decisions).
using Respond = std::function<void(HttpResponse)>;

struct ReloadState {
  std::string at, trigger;
  Localized error;  // empty: the last reload succeeded
  bool ok = true;
};

class Service {
 public:
  Service(Config config, ServeOptions options, std::unique_ptr<audit::Store> store,
          std::shared_ptr<const Catalog> catalog, std::string fingerprint);
  ~Service();  // stops the reloader, then writes every queued audit record

  void handle(HttpRequest&& request, Respond respond);
  // Before the body is read: the answer to a request that its headers alone settle (a missing or
  // wrong token), so that no large body is read for a client that may not send one.
  std::optional<HttpResponse> answer_early(const HttpRequest& header);
  // Counts a request the network layer answered itself (too large, malformed HTTP).
  void rejected(std::string_view target, unsigned status);
  // Queues a reload (compile + tests, then swap); `done` gets the result on the reloader thread.
  // A reload that would remove a policy set, an action or tests is refused unless
  // `allow_removal` (or the config's reload_allow_removal).
  // `done` is called exactly once, also when the service stops first (ReloadEnd::stopping).
  enum class ReloadEnd { swapped, refused, stopping };
  using ReloadDone = std::function<void(ReloadEnd, const Localized&)>;
  void reload(std::string trigger, ReloadDone done = {}, bool allow_removal = false);
  // Called periodically when watching: reloads when the files under the policy dir changed.
  void poll_files();
  const Config& config() const { return config_; }
  // Stops the reloader and writes every queued audit record; the store's state after that.
  audit::StoreHealth close_store();

 private:
  std::shared_ptr<const Catalog> catalog() const;
  // The token check for an endpoint needing `role`: an error answer, or nothing when allowed.
  std::optional<HttpResponse> authorize(const HttpRequest& request, unsigned role, Lang lang);
  // Runs an audit read on the reader thread (503 audit_busy when too many wait).
  void read_audit(std::function<HttpResponse()> read, std::function<void(HttpResponse)> finish);
  void audit_reader();
  void reloader();
  void decide(Endpoint endpoint, const HttpRequest& request, Lang lang,
              std::function<void(HttpResponse)> finish);
  void batch(const HttpRequest& request, Lang lang, std::function<void(HttpResponse)> finish);
  HttpResponse decision_record(const std::string& id, bool html, Lang lang);
  HttpResponse decisions(const std::string& query, Lang lang);
  HttpResponse health(Lang lang);
  HttpResponse store_error(const Localized& why, Lang lang);

  Config config_;
  ServeOptions options_;
  std::unique_ptr<audit::Store> store_;
  audit::StoreHealth closed_;
  Metrics metrics_;
  std::unordered_map<std::string, const Token*> tokens_;  // by the token's SHA-256

  mutable std::mutex catalog_mu_;
  std::shared_ptr<const Catalog> catalog_;
  ReloadState last_reload_;
  std::string fingerprint_;
  std::string candidate_;      // a changed fingerprint seen once: reloaded if it holds still
  bool watch_failed_ = false;  // the policy folder could not be read (warned once)

  std::mutex reload_mu_;
  std::condition_variable reload_cv_;
  struct ReloadRequest {
    std::string trigger;
    ReloadDone done;
    bool allow_removal = false;
  };
  std::vector<ReloadRequest> reloads_;
  bool stopping_ = false;
  std::thread reloader_;

  // Audit reads (searches, record views) run here, one at a time, never on the network threads.
  std::mutex reads_mu_;
  std::condition_variable reads_cv_;
  std::deque<std::function<void()>> reads_;
  bool reads_stop_ = false;
  std::thread reader_;
  static constexpr std::size_t kMaxWaitingReads = 64;
};

// The JSON error body every failure carries.
// `facts_json`, when given, is the `facts` list of a request whose facts do not fit the schema.
HttpResponse error_response(unsigned status, const std::string& code, const std::string& message,
                            std::optional<std::size_t> index = std::nullopt,
                            const std::string& facts_json = {});

}  // namespace xy::server
