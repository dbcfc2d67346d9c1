// Boost.URL, compiled into the service (Debian's Boost 1.81 ships it as sources only).
#include <boost/url/src.hpp>
