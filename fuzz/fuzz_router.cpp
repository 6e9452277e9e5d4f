// SPDX-License-Identifier: Apache-2.0
// Fuzzes what the bridge does with a request before any switch is touched:
// the raw request head goes through Boost.Beast's request parser with the
// limits HttpSession uses, then method, target and Authorization go to
// RequestHandler::handle (router, path-segment decoding, authentication,
// machine/port resolution). Input that Beast does not accept as a complete
// request is also fed to the handler directly as "METHOD TARGET\nAUTH", so
// the router sees bytes Beast would refuse too. Pending switch calls are
// not started. Seeds: MAAS request heads in fuzz/corpus/fuzz_router/.

#include "api/request_handler.hpp"
#include "auth/authenticator.hpp"
#include "config/config_loader.hpp"
#include "fuzz_check.hpp"
#include "routing/router.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/registry.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

using poe_fuzz::check;
namespace http = boost::beast::http;

constexpr std::string_view token_secret = "t0k-Secret-1";
constexpr std::string_view password_secret = "Pa55-Secret";

// The FakeBridge machines plus a cisco-ios switch (never connected) and
// both kinds of credentials. Seeds use: Bearer t0k-Secret-1 and
// Basic bWFhcy11c2VyOlBhNTUtU2VjcmV0 (maas-user:Pa55-Secret).
constexpr std::string_view config_yaml = R"(auth:
  tokens:
    - name: maas
      token: t0k-Secret-1
  users:
    - name: maas-user
      password: Pa55-Secret
switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8
  core:
    driver: cisco-ios
    host: 192.0.2.10
    username: maas
    password: x
    host_key_policy: accept-new
    known_hosts: /nonexistent/maas-bridge-fuzz/known_hosts
machines:
  - name: pi-01
    switch: demo
    port: Gi1/0/1
  - name: status-running
    switch: demo
    port: Gi1/0/2
  - pattern: 'pi-(\d+)'
    switch: demo
    port: 'Gi1/0/{1}'
  - pattern: 'rack([0-9])-node([0-9]+)'
    switch: core
    port: 'Gi{1}/0/{2}'
)";

struct Bridge {
    std::unique_ptr<poe::Registry> registry;
    maas_bridge::BridgeConfig config;
    std::shared_ptr<const maas_bridge::RequestHandler> handler;
    std::unique_ptr<maas_bridge::Authenticator> authenticator;
};

Bridge& bridge() {
    static Bridge* instance = [] {
        auto* b = new Bridge;
        b->registry = std::make_unique<poe::Registry>();
        check(poe::register_builtin_drivers(*b->registry).ok(), "register_builtin_drivers failed");
        maas_bridge::ConfigLoadOptions options;
        options.registry = b->registry.get();
        auto config = maas_bridge::load_config_text(config_yaml, "fuzz.yaml", options);
        if (!config) {
            std::fprintf(stderr, "fuzz config: %s\n", config.error().message.c_str());
            std::abort();
        }
        b->config = std::move(config).value();
        auto fleet = maas_bridge::SwitchFleet::create(b->config, *b->registry);
        check(fleet.ok(), "SwitchFleet::create failed");
        b->handler = maas_bridge::RequestHandler::from_config(
            b->config, std::make_shared<const maas_bridge::SwitchFleet>(std::move(fleet).value()));
        b->authenticator = std::make_unique<maas_bridge::Authenticator>(b->config.auth);
        return b;
    }();
    return *instance;
}

void handle(std::string_view method, std::string_view target, std::string_view authorization) {
    const Bridge& b = bridge();
    const maas_bridge::Dispatch dispatch =
        b.handler->handle(maas_bridge::RequestInfo{method, target, authorization});
    check(dispatch.identity.find(token_secret) == std::string::npos &&
              dispatch.identity.find(password_secret) == std::string::npos,
          "a secret appears in the access-log identity");

    bool served = std::holds_alternative<maas_bridge::PendingCall>(dispatch.work);
    if (const auto* reply = std::get_if<maas_bridge::Reply>(&dispatch.work)) {
        check(reply->status >= 200 && reply->status <= 599, "reply status outside 200..599");
        check(reply->status != 404, "404 answer (MAAS takes a 404 after its retry as success)");
        check(reply->status < 300 || reply->status >= 400, "redirect answer (MAAS cannot follow one)");
        check(reply->status != 405 || !reply->allow.empty(), "405 without Allow");
        if (reply->content_type == "application/json") {
            boost::system::error_code ec;
            (void)boost::json::parse(reply->body, ec);
            check(!ec, "reply body is not valid JSON");
        }
        served = reply->status < 400;
    }
    if (served) {
        // No authentication bypass: anything but /healthz that is served
        // needs credentials the authenticator accepts.
        const auto route = maas_bridge::parse_route(method, target);
        const auto* matched = std::get_if<maas_bridge::Route>(&route);
        check(matched != nullptr, "served a request the router rejects");
        if (matched->requires_auth()) {
            check(b.authenticator->check(authorization).ok(), "served a request without valid credentials");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    poe_fuzz::quiet_poe_log();
    spdlog::set_level(spdlog::level::off);
    (void)bridge();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const maas_bridge::Limits limits = bridge().config.limits;

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    (void)parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    if (!ec && parser.is_done()) {
        const auto& request = parser.get();
        const auto method = request.method_string();
        const auto target = request.target();
        const auto authorization = request[http::field::authorization];
        handle(std::string_view(method.data(), method.size()), std::string_view(target.data(), target.size()),
               std::string_view(authorization.data(), authorization.size()));
        return 0;
    }

    // Not a complete request for Beast: "METHOD TARGET\nAUTHORIZATION".
    const std::size_t newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    const std::string_view authorization =
        newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) {
        handle("GET", line, authorization);
    } else {
        handle(line.substr(0, space), line.substr(space + 1), authorization);
    }
    return 0;
}
