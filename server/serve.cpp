// `xy serve`: load the policies, open the audit store, listen, watch for edits and signals, and
// stop cleanly (every answered decision is recorded; queued records are written before exit).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "http.h"
#include "xiangyue/server/server.h"

namespace xy::server {
namespace net = boost::asio;

namespace {

bool loopback(const net::ip::address& a) {
  return a.is_loopback();
}

void watch(net::steady_timer& timer, Service& service) {
  timer.expires_after(service.config().watch_interval);
  timer.async_wait([&timer, &service](boost::system::error_code ec) {
    if (ec) return;
    service.poll_files();
    watch(timer, service);
  });
}

}  // namespace

int serve(const ServeOptions& o) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("xy"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  Config config;
  if (!o.config.empty()) {
    auto read = read_config(o.config);
    if (!read) {
      std::cerr << "error: " << read.error() << "\n";
      return 2;
    }
    config = std::move(*read);
  }
  if (!o.listen.empty() && !parse_listen(o.listen, config)) {
    std::cerr << "error: --listen must be HOST:PORT, e.g. 127.0.0.1:8181, not `" << o.listen
              << "`\n";
    return 2;
  }
  boost::system::error_code ec;
  auto address = net::ip::make_address(config.host, ec);
  if (ec) {
    std::cerr << "error: `" << config.host << "` is not an IP address\n";
    return 2;
  }
  if (config.tokens.empty() && !loopback(address)) {
    std::cerr << "error: without tokens (a config file with \"tokens\") the service only listens "
                 "on a loopback address, not "
              << config.host << "\n";
    return 2;
  }
  std::string print = fingerprint(o.policies).value_or("");
  auto catalog = load_catalog(o.policies, o.laws);
  if (!catalog) {
    std::cerr << catalog.error().in(o.lang);
    return 1;
  }
  std::cerr << (*catalog)->warnings.in(o.lang);  // citations checked for form only, and the like
  audit::StoreOptions store_options;
  store_options.durability =
      config.durable_machine ? audit::Durability::Machine : audit::Durability::Process;
  // Logged once per episode, not per request: the writer calls this when recording stops working
  // and when it works again.
  store_options.on_state = [lang = o.lang](bool ok, const Localized& why) {
    if (ok)
      spdlog::info("audit store: recording again; decisions are answered again");
    else
      spdlog::error(
          "audit store: cannot record decisions ({}); checks are answered 503 and the "
          "store is retried every second",
          why.in(lang));
  };
  auto store = audit::Store::open(o.audit, std::move(store_options));
  if (!store) {
    std::cerr << (o.lang == Lang::zh ? "错误：" : "error: ") << store.error().in(o.lang) << "\n";
    return 3;
  }
  // Never more connections than file descriptors allow: 64 are kept for the store, the policy
  // files read on reload and the logs.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    std::size_t room = files.rlim_cur > 64 + 1 ? files.rlim_cur - 64 : 1;
    if (room < config.max_connections) {
      spdlog::info("max_connections {} lowered to {} by the file-descriptor limit ({})",
                   config.max_connections, room, files.rlim_cur);
      config.max_connections = room;
    }
  }
  unsigned workers =
      config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency());
  net::io_context io(static_cast<int>(workers));
  Service service(config, o, std::move(*store), std::move(*catalog), print);
  Http http(io, service);
  if (auto err = http.listen(net::ip::tcp::endpoint(address, config.port))) {
    std::cerr << "error: cannot listen on " << config.host << ":" << config.port << ": " << *err
              << "\n";
    return 2;
  }
  auto local = http.local_endpoint();
  std::string shown = local.address().is_v6() ? "[" + local.address().to_string() + "]"
                                              : local.address().to_string();
  std::cout << "listening on http://" << shown << ":" << local.port() << std::endl;
  spdlog::info("serving {} on http://{}:{} with {} worker(s); audit store {}; access control {}",
               o.policies, shown, local.port(), workers, o.audit,
               config.tokens.empty() ? "off (loopback only)"
                                     : "on (" + std::to_string(config.tokens.size()) + " tokens)");
  net::steady_timer watcher(io);
  if (config.watch) watch(watcher, service);
  net::signal_set signals(io, SIGHUP, SIGTERM, SIGINT);
  // After a stop signal, requests still running after 10 s are cut off (their records are still
  // written); the loop ends by itself as soon as the last connection closes.
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopped = false;
  std::thread cutoff;
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code e,
                                                                      int sig) {
    if (e) return;
    if (sig == SIGHUP) {
      spdlog::info("SIGHUP: reloading the policies");
      service.reload("SIGHUP");
      signals.async_wait(on_signal);
      return;
    }
    spdlog::info("{}: stopping; finishing the requests in progress",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT");
    watcher.cancel();
    http.stop();
    signals.cancel();
    cutoff = std::thread([&] {
      std::unique_lock l(stop_mu);
      if (!stop_cv.wait_for(l, std::chrono::seconds(10), [&] { return stopped; })) io.stop();
    });
  };
  signals.async_wait(on_signal);
  std::vector<std::thread> pool;
  auto run = [&] { io.run(); };
  for (unsigned i = 1; i < workers; ++i) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
  {
    std::lock_guard l(stop_mu);
    stopped = true;
  }
  stop_cv.notify_all();
  if (cutoff.joinable()) cutoff.join();
  spdlog::info("stopped; writing the queued audit records");
  auto h = service.close_store();
  if (!h.ok) {
    spdlog::error(
        "audit store still failing at stop ({}): {} decision(s) were not recorded (they "
        "were answered 503)",
        h.error.in(o.lang), h.not_recorded);
    return 3;
  }
  if (h.not_recorded > 0)
    spdlog::warn(
        "{} decision(s) could not be recorded while the audit store was failing (they "
        "were answered 503); every decision answered 200 is recorded",
        h.not_recorded);
  return 0;
}

}  // namespace xy::server
