// SPDX-License-Identifier: Apache-2.0
#pragma once

// A complete bridge for tests: configuration text (with a fake switch
// "demo", ports Gi1/0/1-8), a controller around a FakeSwitch the test can
// inspect, the request handler and, on demand, an HTTP server on
// 127.0.0.1:0.

#include "api/request_handler.hpp"
#include "config/bridge_config.hpp"
#include "http/http_server.hpp"
#include "support/test_drivers.hpp"

#include "fake/fake_switch.hpp"

#include <poe/registry.hpp>
#include <poe/switch_controller.hpp>

#include <memory>
#include <string>

namespace maas_bridge::testing {

/// The machines every FakeBridge knows: pi-01 → Gi1/0/1 (explicit),
/// status-running → Gi1/0/2 (explicit, a hostile name), pi-(\d+) →
/// Gi1/0/{1} (pattern).
extern const char* const fake_bridge_machines;

struct FakeBridgeOptions {
    /// Extra top-level YAML (auth:, limits:, policy:, audit_log:).
    std::string yaml;
    bool ports_initially_on{false};
    /// When set, every write waits at this gate.
    std::shared_ptr<WriteGate> gate;
    unsigned threads{2};
};

class FakeBridge {
public:
    explicit FakeBridge(FakeBridgeOptions options = {});
    ~FakeBridge();
    FakeBridge(const FakeBridge&) = delete;
    FakeBridge& operator=(const FakeBridge&) = delete;

    /// Creates and starts the HTTP server on 127.0.0.1:0.
    HttpServer& start_server();
    [[nodiscard]] std::uint16_t port() const { return server_->port(); }
    HttpServer& server() { return *server_; }

    /// stop() + wait(); fails the test if draining takes more than 10 s.
    void stop_server();

    poe::fake::FakeSwitch& device() { return *device_; }
    const RequestHandler& handler() const { return *handler_; }
    /// For configuration reloads (ConfigReloader) in tests.
    const std::shared_ptr<RequestHandler>& shared_handler() const { return handler_; }
    const poe::Registry& registry() const { return *registry_; }
    const BridgeConfig& config() const { return config_; }

private:
    std::unique_ptr<poe::Registry> registry_;
    BridgeConfig config_;
    std::shared_ptr<poe::fake::FakeSwitch> device_;
    std::shared_ptr<RequestHandler> handler_;
    std::unique_ptr<HttpServer> server_;
    unsigned threads_;
};

}  // namespace maas_bridge::testing
