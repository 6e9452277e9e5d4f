// SPDX-License-Identifier: Apache-2.0
#include "end_to_end/sim_bridge.hpp"

#include "api/request_handler.hpp"
#include "config/config_loader.hpp"
#include "switches/switch_fleet.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <stdexcept>

namespace maas_bridge::testing {

SimBridge::SimBridge(const SimBridgeOptions& options) {
    if (!poe::register_builtin_drivers(registry_).ok()) {
        throw std::runtime_error("cannot register libpoe's drivers");
    }
    std::string yaml = options.auth;
    yaml += "limits:\n" + options.limits;
    yaml += "policy:\n" + options.policy;
    yaml += "switches:\n";
    std::string machines = "machines:\n";
    for (const SimSwitch& sw : options.switches) {
        yaml += "  " + sw.id +
                ":\n    driver: cisco-ios\n    host: 127.0.0.1\n    port: " + std::to_string(sw.port) +
                "\n    username: admin\n    password: " + sw.password +
                "\n    enable_secret: " + sw.enable_secret +
                "\n    host_key_fingerprint: " + sw.host_key_fingerprint + "\n" + sw.extra_yaml;
        machines += "  - pattern: '" + sw.id + "-(\\d+)'\n    switch: " + sw.id + "\n    port: 'Gi1/0/{1}'\n";
    }
    yaml_ = yaml + machines;

    ConfigLoadOptions load_options;
    load_options.registry = &registry_;
    auto config = load_config_text(yaml_, "sim-bridge.yaml", load_options);
    if (!config) {
        throw std::runtime_error("config: " + config.error().message + "\n" + yaml_);
    }
    config_ = std::move(config).value();
    config_.listen.host = "127.0.0.1";
    config_.listen.port = 0;
    auto fleet = SwitchFleet::create(config_, registry_);
    if (!fleet) {
        throw std::runtime_error("fleet: " + fleet.error().message);
    }
    HttpServerOptions server_options;
    server_options.listen = config_.listen;
    server_options.limits = config_.limits;
    server_options.threads = options.http_threads;
    auto server = HttpServer::create(
        server_options,
        RequestHandler::from_config(config_, std::make_shared<const SwitchFleet>(std::move(fleet).value())));
    if (!server) {
        throw std::runtime_error("server: " + server.error().message);
    }
    server_ = std::move(server).value();
    server_->start();
}

SimBridge::~SimBridge() {
    server_->stop();
    auto waited = std::async(std::launch::async, [this] { server_->wait(); });
    if (waited.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
        ADD_FAILURE() << "the bridge did not drain within 20 s of stop()";
        std::abort();  // a hung server cannot be cleaned up
    }
}

TimedResponse timed_fetch(std::uint16_t port, std::string_view method, std::string_view target,
                          std::chrono::milliseconds timeout, std::string_view authorization) {
    const auto started = std::chrono::steady_clock::now();
    TimedResponse out;
    try {
        out.response = fetch(port, maas_request(method, target, authorization), timeout);
    } catch (const std::exception& e) {
        ADD_FAILURE() << method << " " << target << ": " << e.what();
    }
    out.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return out;
}

ErrorBody error_body_of(const TimedResponse& response) {
    ErrorBody out;
    if (!response.response) {
        ADD_FAILURE() << "no answer";
        return out;
    }
    boost::system::error_code ec;
    const auto value = boost::json::parse(response.response->body(), ec);
    if (ec || !value.is_object() || !value.as_object().contains("error") ||
        !value.as_object().at("error").is_object()) {
        ADD_FAILURE() << "not a JSON error body: " << response.response->body();
        return out;
    }
    const auto& error = value.as_object().at("error").as_object();
    const auto text = [&error](const char* key) {
        const auto* found = error.if_contains(key);
        return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
    };
    out.code = text("code");
    out.message = text("message");
    out.device_text = text("device_text");
    return out;
}

std::string maas_reading(const std::string& body) {
    // Compiled once: soak clients call this from many threads, and compiling
    // a std::regex touches libstdc++'s shared ctype cache.
    static const std::regex running(R"(status.*\:.*running)");
    static const std::regex stopped(R"(status.*\:.*stopped)");
    if (std::regex_search(body, running)) {
        return "on";
    }
    if (std::regex_search(body, stopped)) {
        return "off";
    }
    return "unknown";
}

std::map<std::string, std::string> port_modes(const boost::json::object& stats) {
    std::map<std::string, std::string> out;
    for (const auto& [name, port] : stats.at("ports").as_object()) {
        out.emplace(std::string(name), std::string(port.as_object().at("mode").as_string()));
    }
    return out;
}

std::int64_t sim_counter(const boost::json::object& stats, const char* key) {
    return stats.at(key).as_int64();
}

}  // namespace maas_bridge::testing
