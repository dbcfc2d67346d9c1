// The service's state and request handling, independent of the network layer (http.cpp): the
// served catalog (swapped atomically on reload), the audit store, metrics, access control.
#pragma once
#include <boost/beast/http.hpp>
#include <condition_variable>
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
  std::string at, trigger, error;  // error empty: the last reload succeeded
  bool ok = true;
};

class Service {
 public:
  Service(Config config, ServeOptions options, std::unique_ptr<audit::Store> store,
          std::shared_ptr<const Catalog> catalog, std::string fingerprint);
  ~Service();  // stops the reloader, then writes every queued audit record

  void handle(HttpRequest&& request, Respond respond);
  // Counts a request the network layer answered itself (too large, malformed HTTP).
  void rejected(std::string_view target, unsigned status);
  // Queues a reload (compile + tests, then swap); `done` gets the result on the reloader thread.
  void reload(std::string trigger, std::function<void(bool, const std::string&)> done = {});
  // Called periodically when watching: reloads when the files under the policy dir changed.
  void poll_files();
  const Config& config() const { return config_; }
  // Stops the reloader and writes every queued audit record; the store's state after that.
  audit::StoreHealth close_store();

 private:
  std::shared_ptr<const Catalog> catalog() const;
  void reloader();
  void decide(Endpoint endpoint, const HttpRequest& request, Lang lang,
              std::function<void(HttpResponse)> finish);
  void batch(const HttpRequest& request, Lang lang, std::function<void(HttpResponse)> finish);
  HttpResponse decision_record(const std::string& id, bool html, Lang lang);
  HttpResponse decisions(const std::string& query, Lang lang);
  HttpResponse health();

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

  std::mutex reload_mu_;
  std::condition_variable reload_cv_;
  std::vector<std::pair<std::string, std::function<void(bool, const std::string&)>>> reloads_;
  bool stopping_ = false;
  std::thread reloader_;
};

// The JSON error body every failure carries.
HttpResponse error_response(unsigned status, const std::string& code, const std::string& message,
                            std::optional<std::size_t> index = std::nullopt);

}  // namespace xy::server
