// The service's state: the catalog and its atomic swap, the reloader thread, file watching.
#include "service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "xiangyue/common/hash.h"

namespace xy::server {

namespace {
const Localized kStopping{"the service is stopping; the reload was not done",
                          "服务正在停止，未重新加载"};
}  // namespace

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
  reader_ = std::thread([this] { audit_reader(); });
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
  {
    std::lock_guard l(reads_mu_);
    reads_stop_ = true;
  }
  reads_cv_.notify_all();
  if (reader_.joinable()) reader_.join();
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

void Service::reload(std::string trigger, ReloadDone done, bool allow_removal) {
  {
    std::lock_guard l(reload_mu_);
    if (!stopping_) {
      reloads_.push_back({std::move(trigger), std::move(done), allow_removal});
      done = {};
    }
  }
  if (done) done(ReloadEnd::stopping, kStopping);  // the reloader has ended or is ending
  reload_cv_.notify_all();
}

// A change is acted on once the files hold still for one interval (an editor saving in steps, a
// deploy copying file by file); a folder that cannot be read (out of file descriptors, say) is not
// a change.
void Service::poll_files() {
  auto now = fingerprint(options_.policies);
  if (!now) {
    if (!watch_failed_)
      spdlog::warn("watch: cannot read the policy folder {}; no reload until it can be read",
                   options_.policies);
    watch_failed_ = true;
    return;
  }
  watch_failed_ = false;
  {
    std::lock_guard l(catalog_mu_);
    if (*now == fingerprint_) {
      candidate_.clear();
      return;
    }
    if (*now != candidate_) {
      candidate_ = *now;
      return;
    }
    candidate_.clear();
    fingerprint_ = *now;  // a broken edit is tried once, then again only when the files change
  }
  reload("watch");
}

namespace {

// What `now` would drop of `old`: policy sets, actions, test cases (empty: nothing).
std::string removals(const Catalog& old, const Catalog& now, bool zh) {
  std::vector<std::string> lost;
  for (const auto& set : old.sets) {
    auto it = std::find_if(now.sets.begin(), now.sets.end(),
                           [&](const LoadedSet& x) { return x.dir == set.dir; });
    if (it == now.sets.end())
      lost.push_back(zh ? "策略集「" + set.dir + "」" : "the policy set `" + set.dir + "`");
    else if (it->tests < set.tests)
      lost.push_back(zh ? "「" + set.dir + "」的测试（" + std::to_string(set.tests) + " → " +
                              std::to_string(it->tests) + " 例）"
                        : "tests of `" + set.dir + "` (" + std::to_string(set.tests) + " → " +
                              std::to_string(it->tests) + " cases)");
  }
  for (const auto& [action, set] : old.by_action)
    if (!now.by_action.count(action))
      lost.push_back(zh ? "行为「" + action + "」" : "the action `" + action + "`");
  std::string out;
  for (std::size_t i = 0; i < lost.size() && i < 8; ++i) out += (i ? ", " : "") + lost[i];
  if (lost.size() > 8) out += zh ? " 等" : ", …";
  return out;
}

}  // namespace

// One reload at a time, off the network threads: requests keep being served from the catalog in
// place, and in-flight requests keep the one they started with (shared_ptr) until they finish.
void Service::reloader() {
  for (;;) {
    std::vector<ReloadRequest> batch;
    {
      std::unique_lock l(reload_mu_);
      reload_cv_.wait(l, [&] { return stopping_ || !reloads_.empty(); });
      if (stopping_) {
        for (auto& r : reloads_)
          if (r.done) r.done(ReloadEnd::stopping, kStopping);
        return;
      }
      batch.swap(reloads_);
    }
    std::string trigger = batch.front().trigger;
    bool allow = config_.reload_allow_removal ||
                 std::any_of(batch.begin(), batch.end(), [](auto& r) { return r.allow_removal; });
    auto print = fingerprint(options_.policies);
    auto loaded = load_catalog(options_.policies, options_.laws);
    Localized error = loaded ? Localized{} : loaded.error();
    if (loaded && !allow) {
      if (auto dropped = removals(*catalog(), **loaded, false); !dropped.empty())
        error = {"the reload would remove " + dropped +
                     ": refused. If that is meant, POST /v1/reload?allow_removal=true (admin), "
                     "or set \"reload_allow_removal\": true in the config\n",
                 "重新加载会删除" + removals(*catalog(), **loaded, true) +
                     "，已拒绝；确认无误请用 POST /v1/reload?allow_removal=true（admin），"
                     "或在配置中设 \"reload_allow_removal\": true\n"};
    }
    bool ok = error.en.empty();
    {
      std::lock_guard l(catalog_mu_);
      last_reload_.at = utc_timestamp(false);
      last_reload_.trigger = trigger;
      last_reload_.ok = ok;
      last_reload_.error = error;
      if (print) fingerprint_ = *print;
      if (ok) catalog_ = *loaded;
    }
    metrics_.reload(ok);
    if (ok && !(*loaded)->warnings.en.empty())
      spdlog::warn("reload ({}): the policies compiled with warnings:\n{}", trigger,
                   (*loaded)->warnings.in(options_.lang));
    if (ok)
      spdlog::info("reload ({}): {} policy set(s) loaded, now serving", trigger,
                   (*loaded)->sets.size());
    else
      spdlog::error("reload ({}) {}; the previous policies stay in service:\n{}", trigger,
                    loaded ? "refused" : "failed", error.in(options_.lang));
    for (auto& r : batch)
      if (r.done) r.done(ok ? ReloadEnd::swapped : ReloadEnd::refused, error);
  }
}

void Service::read_audit(std::function<HttpResponse()> read,
                         std::function<void(HttpResponse)> finish) {
  {
    std::lock_guard l(reads_mu_);
    if (reads_.size() < kMaxWaitingReads && !reads_stop_) {
      reads_.push_back([read = std::move(read), finish]() { finish(read()); });
      reads_cv_.notify_one();
      return;
    }
  }
  finish(error_response(503, "audit_busy", "too many audit reads are waiting; try again shortly"));
}

void Service::audit_reader() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock l(reads_mu_);
      reads_cv_.wait(l, [&] { return reads_stop_ || !reads_.empty(); });
      if (reads_.empty()) return;
      job = std::move(reads_.front());
      reads_.pop_front();
    }
    job();
  }
}

}  // namespace xy::server
