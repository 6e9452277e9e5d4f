// SPDX-License-Identifier: Apache-2.0
#pragma once

// An in-process maas-bridge (config text -> SwitchFleet -> HttpServer on
// 127.0.0.1:0) whose switches are ios-sim processes reached over real SSH,
// plus the client-side helpers the fault, soak and auth tests share.

#include "config/bridge_config.hpp"
#include "http/http_server.hpp"
#include "support/http_test_client.hpp"

#include <poe/registry.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace maas_bridge::testing {

/// The token every SimBridge accepts (Bearer).
inline constexpr const char* sim_bridge_token = "maas-test-token";

/// One `switches:` entry of driver cisco-ios on 127.0.0.1.
struct SimSwitch {
    SimSwitch(std::string switch_id, std::uint16_t ssh_port, std::string fingerprint)
        : id(std::move(switch_id)), port(ssh_port), host_key_fingerprint(std::move(fingerprint)) {}

    std::string id;
    std::uint16_t port{0};
    std::string host_key_fingerprint;
    std::string password{"secret"};
    std::string enable_secret{"enablepw"};
    /// Extra lines under the switch, each indented by four spaces.
    std::string extra_yaml;
};

struct SimBridgeOptions {
    std::vector<SimSwitch> switches;
    /// Body of `limits:` (two-space indented lines).
    std::string limits{"  request_timeout: 2s\n  cycle_timeout: 10s\n"};
    /// Body of `policy:`.
    std::string policy{"  cache_ttl: 0s\n  cycle_dwell: 200ms\n"};
    /// The whole `auth:` block.
    std::string auth{std::string("auth:\n  tokens:\n    - name: maas\n      token: ") + sim_bridge_token +
                     "\n"};
    unsigned http_threads{1};
};

/// Machines are `ID-N` -> switch ID, port Gi1/0/N for every switch ID.
/// Starting throws std::runtime_error with the reason on failure; the
/// destructor stops the server (draining in-flight requests).
class SimBridge {
public:
    explicit SimBridge(const SimBridgeOptions& options);
    ~SimBridge();
    SimBridge(const SimBridge&) = delete;
    SimBridge& operator=(const SimBridge&) = delete;

    [[nodiscard]] std::uint16_t port() const { return server_->port(); }
    [[nodiscard]] const BridgeConfig& config() const { return config_; }
    [[nodiscard]] const std::string& yaml() const { return yaml_; }

private:
    poe::Registry registry_;
    std::string yaml_;
    BridgeConfig config_;
    std::unique_ptr<HttpServer> server_;
};

/// A response and how long it took; `response` is empty when none arrived
/// within the client's timeout (a hang, as far as the test is concerned).
struct TimedResponse {
    std::optional<Response> response;
    std::chrono::milliseconds elapsed{0};

    [[nodiscard]] unsigned status() const { return response ? response->result_int() : 0; }
    [[nodiscard]] std::string body() const {
        return response ? response->body() : std::string("<no answer>");
    }
};

/// One MAAS-shaped request (Connection: close) on a new connection.
TimedResponse timed_fetch(std::uint16_t port, std::string_view method, std::string_view target,
                          std::chrono::milliseconds timeout, std::string_view authorization);

/// `{"error":{"code","message"}}` of an error answer; empty strings (and a
/// test failure) when the body is not that.
struct ErrorBody {
    std::string code;
    std::string message;
    std::string device_text;
};
ErrorBody error_body_of(const TimedResponse& response);

/// "on" / "off" / "unknown", as MAAS reads a query body with its default regexes.
std::string maas_reading(const std::string& body);

/// Port name -> configured PoE mode (auto/never/static) from ios-sim stats.
std::map<std::string, std::string> port_modes(const boost::json::object& stats);

/// A counter from ios-sim stats.
std::int64_t sim_counter(const boost::json::object& stats, const char* key);

}  // namespace maas_bridge::testing
