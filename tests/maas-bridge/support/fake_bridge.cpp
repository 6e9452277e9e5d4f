// SPDX-License-Identifier: Apache-2.0
#include "support/fake_bridge.hpp"

#include "config/config_loader.hpp"
#include "fake/fake_driver.hpp"
#include "switches/switch_fleet.hpp"

#include <gtest/gtest.h>

#include <future>
#include <stdexcept>

namespace maas_bridge::testing {

const char* const fake_bridge_machines = R"(switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8
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
)";

FakeBridge::FakeBridge(FakeBridgeOptions options)
    : registry_(make_test_registry()), threads_(options.threads) {
    ConfigLoadOptions load_options;
    load_options.registry = registry_.get();
    auto config = load_config_text(options.yaml + fake_bridge_machines, "test.yaml", load_options);
    if (!config) {
        throw std::runtime_error("test config: " + config.error().message);
    }
    config_ = std::move(config).value();
    config_.listen.host = "127.0.0.1";
    config_.listen.port = 0;

    poe::fake::FakeSwitchOptions device_options;
    device_options.initially_on = options.ports_initially_on;
    std::vector<std::string> ports;
    for (int i = 1; i <= 8; ++i) {
        ports.push_back("Gi1/0/" + std::to_string(i));
    }
    device_ = std::make_shared<poe::fake::FakeSwitch>(ports, device_options);
    std::unique_ptr<poe::Driver> driver = std::make_unique<poe::fake::FakeDriver>(device_);
    if (options.gate) {
        driver = make_gated_driver(std::move(driver), options.gate);
    }
    auto controller =
        poe::SwitchController::create("demo", std::move(driver), config_.switches.at("demo").controller);
    if (!controller) {
        throw std::runtime_error("controller: " + controller.error().message);
    }
    auto fleet = std::make_shared<const SwitchFleet>(
        std::vector<FleetSwitch>{FleetSwitch{"demo", "fake", std::move(controller).value()}});
    std::shared_ptr<AuditLog> audit;
    if (!config_.audit_log.empty()) {
        auto opened = AuditLog::open(config_.audit_log);
        if (!opened) {
            throw std::runtime_error(opened.error().message);
        }
        audit = std::move(opened).value();
    }
    handler_ = RequestHandler::from_config(config_, std::move(fleet), std::move(audit));
}

FakeBridge::~FakeBridge() {
    if (server_) {
        stop_server();
    }
}

HttpServer& FakeBridge::start_server() {
    auto server = HttpServer::create(HttpServerOptions{config_.listen, config_.limits, threads_, config_.tls},
                                     handler_);
    if (!server) {
        throw std::runtime_error("server: " + server.error().message);
    }
    server_ = std::move(server).value();
    server_->start();
    return *server_;
}

void FakeBridge::stop_server() {
    server_->stop();
    auto waited = std::async(std::launch::async, [this] { server_->wait(); });
    if (waited.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        ADD_FAILURE() << "server did not drain within 10 s";
        std::abort();  // a hung server cannot be cleaned up
    }
    server_.reset();
}

}  // namespace maas_bridge::testing
