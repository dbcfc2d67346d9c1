// The service's state: the catalog and its atomic swap, the reloader thread, file watching.
#include "service.h"

#include <spdlog/spdlog.h>

#include "xiangyue/common/hash.h"

namespace xy::server {

Service::Service(Config config, ServeOptions options, std::unique_ptr<audit::Store> store,
                 std::shared_ptr<const Catalog> catalog, std::string fingerprint)
    : config_(std::move(config)),
      options_(std::move(options)),
      store_(std::move(store)),
      catalog_(std::move(catalog)),
      fingerprint_(std::move(fingerprint)) {
  for (const auto& t : config_.tokens) tokens_[t.sha256] = &t;
  last_reload_.at = catalog_->loaded_at;
  last_reload_.trigger = "start";
  reloader_ = std::thread([this] { reloader(); });
}

Service::~Service() {
  close_store();
}

audit::StoreHealth Service::close_store() {
  {
    std::lock_guard l(reload_mu_);
    stopping_ = true;
  }
  reload_cv_.notify_all();
  if (reloader_.joinable()) reloader_.join();
  if (!store_) return closed_;
  store_->commit();
  closed_ = store_->health();
  store_.reset();  // the last checkpoint is written
  return closed_;
}

std::shared_ptr<const Catalog> Service::catalog() const {
  std::lock_guard l(catalog_mu_);
  return catalog_;
}

void Service::reload(std::string trigger, std::function<void(bool, const std::string&)> done) {
  {
    std::lock_guard l(reload_mu_);
    reloads_.emplace_back(std::move(trigger), std::move(done));
  }
  reload_cv_.notify_all();
}

void Service::poll_files() {
  std::string now = fingerprint(options_.policies);
  {
    std::lock_guard l(catalog_mu_);
    if (now == fingerprint_) return;
    fingerprint_ = now;  // a broken edit is tried once, then again only when the files change
  }
  reload("watch");
}

// One reload at a time, off the network threads: requests keep being served from the catalog in
// place, and in-flight requests keep the one they started with (shared_ptr) until they finish.
void Service::reloader() {
  for (;;) {
    std::vector<std::pair<std::string, std::function<void(bool, const std::string&)>>> batch;
    {
      std::unique_lock l(reload_mu_);
      reload_cv_.wait(l, [&] { return stopping_ || !reloads_.empty(); });
      if (stopping_) {
        for (auto& [trigger, done] : reloads_)
          if (done) done(false, "the service is stopping");
        return;
      }
      batch.swap(reloads_);
    }
    std::string trigger = batch.front().first;
    std::string print = fingerprint(options_.policies);
    auto loaded = load_catalog(options_.policies, options_.laws, options_.lang);
    {
      std::lock_guard l(catalog_mu_);
      last_reload_.at = utc_timestamp(false);
      last_reload_.trigger = trigger;
      last_reload_.ok = loaded.ok();
      last_reload_.error = loaded ? "" : loaded.error();
      fingerprint_ = print;
      if (loaded) catalog_ = *loaded;
    }
    metrics_.reload(loaded.ok());
    if (loaded)
      spdlog::info("reload ({}): {} policy set(s) loaded, now serving", trigger,
                   (*loaded)->sets.size());
    else
      spdlog::error("reload ({}) failed; the previous policies stay in service:\n{}", trigger,
                    loaded.error());
    for (auto& [t, done] : batch)
      if (done) done(loaded.ok(), loaded ? std::string() : loaded.error());
  }
}

}  // namespace xy::server
