// Beast sessions: read a request (size and time limited), hand it to the service, write the
// response when it is ready (decisions: once recorded), keep the connection alive.
#include "http.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>

namespace xy::server {
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class Session;

// The live sessions, so that stop() can close idle ones.
struct Registry {
  std::mutex mu;
  std::list<std::weak_ptr<Session>> sessions;
  bool stopping = false;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
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
                        if (ec || !keep) return s->close();
                        s->read();
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
  bool busy_ = false, closing_ = false;
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
      if (ec) {
        spdlog::warn("accept: {}", ec.message());  // e.g. out of file descriptors: keep going
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        auto session =
            std::make_shared<Session>(std::move(socket), self->service_, self->registry_);
        std::list<std::weak_ptr<Session>>::iterator at;
        bool stopping;
        {
          std::lock_guard l(self->registry_->mu);
          stopping = self->registry_->stopping;
          at = self->registry_->sessions.insert(self->registry_->sessions.end(), session);
        }
        session->start(at);
        if (stopping) session->stop();
      }
      self->accept();
    });
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
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
