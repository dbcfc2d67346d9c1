// Beast sessions: read a request (size and time limited), hand it to the service, write the
// response when it is ready (decisions: once recorded), keep the connection alive.
#include "http.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <vector>

namespace xy::server {
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class Session;

// The live sessions, so that stop() can close idle ones.
struct Registry {
  std::mutex mu;
  std::list<std::weak_ptr<Session>> sessions;
  std::size_t live = 0;  // sessions not yet destroyed
  bool stopping = false;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  static constexpr std::uint64_t kSmallBody = 64 * 1024;
  Session(tcp::socket socket, Service& service, std::shared_ptr<Registry> registry)
      : stream_(std::move(socket)), service_(service), registry_(std::move(registry)) {}

  void start(std::list<std::weak_ptr<Session>>::iterator self) {
    self_ = self;
    net::dispatch(stream_.get_executor(), [s = shared_from_this()] { s->read(); });
  }

  // On the session's strand: close if waiting for a request; a request being received or handled
  // is finished and answered first, then the connection closes.
  void stop() {
    net::post(stream_.get_executor(), [s = shared_from_this()] {
      s->closing_ = true;
      bool receiving = s->parser_ && (s->parser_->got_some() || s->buffer_.size() > 0);
      if (!s->busy_ && !receiving) s->close();
    });
  }

  ~Session() {
    std::lock_guard l(registry_->mu);
    registry_->sessions.erase(self_);
    --registry_->live;
  }

 private:
  void read() {
    if (closing_) return close();
    parser_.emplace();
    parser_->body_limit(service_.config().max_body_bytes);
    parser_->header_limit(64 * 1024);
    stream_.expires_after(service_.config().read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // A client that asks to be told to go on (curl does, for bodies over 1 KB) is told so at once;
  // the timeout still covers the whole request.
  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read(ec, 0);
    // A request its headers settle (no or a wrong token) with a large body (or one of unknown
    // length) is answered without reading the body, and the connection closed; a small body is
    // read first, so that the connection can go on (keep-alive).
    auto length = parser_->content_length();
    bool small = !parser_->chunked() && length && *length <= kSmallBody;
    if (auto early = small ? std::nullopt : service_.answer_early(parser_->get())) {
      closing_ = true;
      draining_ = true;
      busy_ = true;
      return write(std::move(*early));
    }
    auto body = [s = shared_from_this()] {
      http::async_read(s->stream_, s->buffer_, *s->parser_,
                       beast::bind_front_handler(&Session::on_read, s));
    };
    if (!beast::iequals(parser_->get()[http::field::expect], "100-continue")) return body();
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *go_on,
                      [s = shared_from_this(), go_on, body](beast::error_code wec, std::size_t) {
                        if (wec) return s->close();
                        body();
                      });
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof)
      return close();
    if (ec) {
      closing_ = true;
      auto res =
          ec == http::error::body_limit
              ? error_response(413, "too_large",
                               "the body is larger than " +
                                   std::to_string(service_.config().max_body_bytes) + " bytes")
          : ec == http::error::header_limit
              ? error_response(431, "headers_too_large", "the headers are too large")
              : error_response(400, "bad_http", "malformed HTTP request: " + ec.message());
      service_.rejected(parser_->is_header_done() ? parser_->get().target() : "", res.result_int());
      return write(std::move(res));
    }
    // A stop may have closed the connection after the request was read but before this ran: the
    // request must then not be decided (it would be recorded and never answered).
    if (!stream_.socket().is_open()) return;
    busy_ = true;
    stream_.expires_never();
    // Until its answer is posted, a request keeps the loop running: a stop signal must not end
    // the process while a decision is being recorded (its answer would be lost).
    auto guard =
        std::make_shared<net::executor_work_guard<net::any_io_executor>>(stream_.get_executor());
    service_.handle(parser_->release(), [s = shared_from_this(), guard](HttpResponse res) {
      net::post(s->stream_.get_executor(),
                [s, r = std::make_shared<HttpResponse>(std::move(res))]() mutable {
                  s->write(std::move(*r));
                });
      guard->reset();
    });
  }

  void write(HttpResponse res) {
    if (closing_) res.keep_alive(false);
    res.prepare_payload();
    response_ = std::make_shared<HttpResponse>(std::move(res));
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *response_,
                      [s = shared_from_this()](beast::error_code ec, std::size_t) {
                        s->busy_ = false;
                        bool keep = s->response_->keep_alive();
                        s->response_.reset();
                        if (!ec && s->draining_) return s->drain();
                        if (ec || !keep) return s->close();
                        s->read();
                      });
  }

  // After answering without reading the body: stop sending, then read and drop what the client
  // still sends (for at most two seconds), so that closing does not reset the connection before
  // the client has read the answer. Nothing of it is kept.
  void drain() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    sink_.resize(16384);
    drain_more();
  }
  void drain_more() {
    stream_.async_read_some(net::buffer(sink_),
                            [s = shared_from_this()](beast::error_code e, std::size_t) {
                              if (e) return s->close();
                              s->drain_more();
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpResponse> response_;
  Service& service_;
  std::shared_ptr<Registry> registry_;
  std::list<std::weak_ptr<Session>>::iterator self_;
  bool busy_ = false, closing_ = false, draining_ = false;
  std::vector<char> sink_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, Service& service)
      : io_(io),
        acceptor_(net::make_strand(io)),
        service_(service),
        registry_(std::make_shared<Registry>()) {}

  std::optional<std::string> listen(const tcp::endpoint& at) {
    beast::error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(at, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return ec.message();
    accept();
    return std::nullopt;
  }

  tcp::endpoint local() const { return acceptor_.local_endpoint(); }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
      self->timer_.cancel();
    });
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard l(registry_->mu);
      registry_->stopping = true;
      for (auto& w : registry_->sessions)
        if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->stop();
  }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [self = shared_from_this()](beast::error_code ec,
                                                                              tcp::socket socket) {
      if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (ec) return self->back_off(ec);
      self->delay_ = std::chrono::milliseconds(0);
      beast::error_code opt;
      socket.set_option(tcp::no_delay(true), opt);
      std::list<std::weak_ptr<Session>>::iterator at;
      bool stopping, full;
      std::shared_ptr<Session> session;
      {
        std::lock_guard l(self->registry_->mu);
        stopping = self->registry_->stopping;
        full = self->registry_->live >= self->service_.config().max_connections;
        if (!full) {
          session = std::make_shared<Session>(std::move(socket), self->service_, self->registry_);
          ++self->registry_->live;
          at = self->registry_->sessions.insert(self->registry_->sessions.end(), session);
        }
      }
      if (full) {
        self->turn_away(std::move(socket));
      } else {
        session->start(at);
        if (stopping) session->stop();
      }
      self->accept();
    });
  }

  // Beyond max_connections: 503 and close, without reading anything.
  void turn_away(tcp::socket socket) {
    service_.rejected("", 503);
    auto res = std::make_shared<HttpResponse>(
        error_response(503, "too_many_connections",
                       "the service has " + std::to_string(service_.config().max_connections) +
                           " connections open, its limit (max_connections): try again shortly"));
    res->keep_alive(false);
    res->set(http::field::retry_after, "1");
    res->set(http::field::server, "xiangyue");
    res->prepare_payload();
    auto sock = std::make_shared<tcp::socket>(std::move(socket));
    http::async_write(*sock, *res, [sock, res](beast::error_code, std::size_t) {
      beast::error_code e;
      sock->shutdown(tcp::socket::shutdown_both, e);
      sock->close(e);
    });
  }

  // Accepting failed (out of file descriptors, typically): wait before trying again, longer each
  // time up to a second, instead of spinning; warn once per ten seconds with the count.
  void back_off(const beast::error_code& ec) {
    ++failures_;
    auto now = std::chrono::steady_clock::now();
    if (now - warned_ >= std::chrono::seconds(10)) {
      spdlog::warn("accept: {} ({} time(s) in the last 10 s); pausing new connections",
                   ec.message(), failures_);
      warned_ = now;
      failures_ = 0;
    }
    delay_ = std::min(std::chrono::milliseconds(1000),
                      std::max(std::chrono::milliseconds(10), delay_ * 2));
    timer_.expires_after(delay_);
    timer_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (e || !self->acceptor_.is_open()) return;
      self->accept();
    });
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  net::steady_timer timer_{acceptor_.get_executor()};
  std::chrono::milliseconds delay_{0};
  std::chrono::steady_clock::time_point warned_{};
  std::size_t failures_ = 0;
  Service& service_;
  std::shared_ptr<Registry> registry_;
};

Http::Http(net::io_context& io, Service& service)
    : listener_(std::make_shared<Listener>(io, service)) {}
Http::~Http() = default;
std::optional<std::string> Http::listen(const tcp::endpoint& endpoint) {
  return listener_->listen(endpoint);
}
tcp::endpoint Http::local_endpoint() const {
  return listener_->local();
}
void Http::stop() {
  listener_->stop();
}

}  // namespace xy::server
