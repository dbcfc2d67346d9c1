// `xy serve`: load the policies, open the audit store, listen, watch for edits and signals, and
// stop cleanly (every answered decision is recorded; queued records are written before exit).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

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
  std::string print = fingerprint(o.policies);
  auto catalog = load_catalog(o.policies, o.laws, o.lang);
  if (!catalog) {
    std::cerr << catalog.error();
    return 1;
  }
  auto store = audit::Store::open(
      o.audit, config.durable_machine ? audit::Durability::Machine : audit::Durability::Process);
  if (!store) {
    std::cerr << "error: " << store.error() << "\n";
    return 3;
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
  return 0;
}

}  // namespace xy::server
