// SPDX-License-Identifier: Apache-2.0
#include "config/listen_address.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>

namespace maas_bridge {
namespace {

poe::Error bad(std::string_view text, std::string_view why) {
    return poe::make_error(poe::ErrorCode::invalid_argument,
                           "invalid listen address \"" + std::string(text) + "\": " + std::string(why) +
                               " (expected HOST:PORT with an IP address, e.g. 127.0.0.1:8550 or [::1]:8550)");
}

}  // namespace

poe::Result<ListenAddress> parse_listen_address(std::string_view text) {
    std::string_view host;
    std::string_view port_text;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return bad(text, "missing \"]:PORT\"");
        }
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return bad(text, "missing \":PORT\"");
        }
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return bad(text, "write IPv6 addresses in brackets");
        }
    }
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port > 65535) {
        return bad(text, "port must be a number from 0 to 65535");
    }
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(std::string(host), error);
    if (error) {
        return bad(text, "\"" + std::string(host) + "\" is not an IP address");
    }
    ListenAddress out;
    out.host = address.to_string();
    out.port = static_cast<std::uint16_t>(port);
    return out;
}

bool ListenAddress::is_loopback() const {
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(host, error);
    if (error) {
        return false;
    }
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).is_loopback();
    }
    return address.is_loopback();
}

std::string ListenAddress::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace maas_bridge
