// The network layer: a Beast listener and keep-alive sessions on a pool of threads.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "service.h"

namespace xy::server {

class Listener;

// Accepts connections on `endpoint` and serves them with `service`. `stop()` closes the listener
// and every idle connection; busy ones close after their response.
class Http {
 public:
  Http(boost::asio::io_context& io, Service& service);
  ~Http();
  // Binds and listens; the error text when it cannot.
  std::optional<std::string> listen(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void stop();

 private:
  std::shared_ptr<Listener> listener_;
};

}  // namespace xy::server
