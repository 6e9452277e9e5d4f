// SPDX-License-Identifier: Apache-2.0
// maas-bridge: MAAS webhook power driver → libpoe.

#include "api/request_handler.hpp"
#include "app/maas_url_banner.hpp"
#include "app/port_file.hpp"
#include "app/startup_checks.hpp"
#include "app/systemd_notifier.hpp"
#include "config/config_loader.hpp"
#include "config/demo_config.hpp"
#include "config/listen_address.hpp"
#include "http/http_server.hpp"
#include "logging/poe_log_forwarding.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/registry.hpp>
#include <poe/version.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace {

using namespace maas_bridge;

#ifndef MAAS_BRIDGE_VERSION
#define MAAS_BRIDGE_VERSION "0.0.0"
#endif

struct CommandLine {
    std::string config_path{default_config_path};
    bool demo{false};
    bool check_config{false};
    std::string listen;
    std::string port_file;
    std::string log_level{"info"};
};

// Waits for signals: SIGTERM/SIGINT drain and stop, SIGHUP is logged.
class SignalHandler {
public:
    explicit SignalHandler(HttpServer& server)
        : server_(server), signals_(server.io_context(), SIGINT, SIGTERM, SIGHUP) {
        arm();
    }

private:
    void arm() {
        signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
            if (ec) {
                return;
            }
            if (signal_number == SIGHUP) {
                spdlog::warn(
                    "SIGHUP: configuration reload is not supported yet; restart the service instead");
                arm();
                return;
            }
            spdlog::info("{}: stopping", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
            notify_stopping();
            server_.stop();
            // Not re-armed: the io_context must run out of work to end.
        });
    }

    HttpServer& server_;
    boost::asio::signal_set signals_;
};

void setup_logging(spdlog::level::level_enum level) {
    auto logger = spdlog::stderr_color_mt("maas-bridge");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(level);
    spdlog::flush_on(spdlog::level::info);
    forward_poe_logs_to_spdlog(level);
}

int run(const CommandLine& cli) {
    const std::map<std::string, spdlog::level::level_enum> levels{{"trace", spdlog::level::trace},
                                                                  {"debug", spdlog::level::debug},
                                                                  {"info", spdlog::level::info},
                                                                  {"warn", spdlog::level::warn},
                                                                  {"error", spdlog::level::err}};
    setup_logging(levels.at(cli.log_level));

    poe::Registry registry;
    if (auto registered = poe::register_builtin_drivers(registry); !registered) {
        spdlog::error("cannot register drivers: {}", registered.error().message);
        return EXIT_FAILURE;
    }
    ConfigLoadOptions load_options;
    load_options.registry = &registry;
    // Read once here: the loader itself never touches the environment.
    if (const char* credentials = std::getenv("CREDENTIALS_DIRECTORY")) {  // NOLINT(concurrency-mt-unsafe)
        load_options.credentials_directory = credentials;
    }
    auto loaded = cli.demo ? load_config_text(demo_config_text(), std::string(demo_config_name), load_options)
                           : load_config_file(cli.config_path, load_options);
    if (!loaded) {
        std::cerr << loaded.error().message << "\n";
        return EXIT_FAILURE;
    }
    BridgeConfig config = std::move(loaded).value();
    if (!cli.listen.empty()) {
        auto listen = parse_listen_address(cli.listen);
        if (!listen) {
            std::cerr << "--listen: " << listen.error().message << "\n";
            return EXIT_FAILURE;
        }
        config.listen = listen.value();
    }
    if (auto exposed = check_auth_exposure(config); !exposed) {
        std::cerr << exposed.error().message << "\n";
        return EXIT_FAILURE;
    }
    if (cli.check_config) {
        std::cout << config_summary(config);
        return EXIT_SUCCESS;
    }
    for (const auto& warning : config.warnings) {
        spdlog::warn("{}", warning);
    }
    if (const std::string warning = exposure_warning(config); !warning.empty()) {
        spdlog::warn("{}", warning);
    }

    auto fleet = SwitchFleet::create(config, registry);
    if (!fleet) {
        spdlog::error("{}", fleet.error().message);
        return EXIT_FAILURE;
    }
    auto shared_fleet = std::make_shared<const SwitchFleet>(std::move(fleet).value());
    auto server = HttpServer::create(HttpServerOptions{config.listen, config.limits, config.threads},
                                     RequestHandler::from_config(config, shared_fleet));
    if (!server) {
        spdlog::error("{}", server.error().message);
        return EXIT_FAILURE;
    }
    HttpServer& http = *server.value();
    ListenAddress bound = config.listen;
    bound.port = http.port();
    if (!cli.port_file.empty()) {
        if (auto written = write_port_file(cli.port_file, bound.port); !written) {
            spdlog::error("{}", written.error().message);
            return EXIT_FAILURE;
        }
    }
    std::cout << maas_url_banner(config, base_url(bound)) << std::flush;
    spdlog::info("maas-bridge {} (libpoe {}) listening on {} with {} switch(es), {} machine rule(s)",
                 MAAS_BRIDGE_VERSION, poe::version(), bound.to_string(), config.switches.size(),
                 config.machines.size());

    {
        // Scoped: the signal set lives on the server's io_context and must
        // go before the server does.
        const SignalHandler signals(http);
        http.start();
        notify_ready("listening on " + bound.to_string());
        http.wait();
    }
    // Every connection has ended; destroying the server releases the
    // handler and with it the controllers, which close their sessions.
    // Callbacks still pending in libpoe find their connection gone and
    // post nothing.
    shared_fleet.reset();
    server.value().reset();
    spdlog::info("stopped");
    return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cli;
    CLI::App app{"maas-bridge: MAAS webhook power driver for PoE switches (libpoe)"};
    app.add_option("--config", cli.config_path, "Configuration file")->capture_default_str();
    app.add_flag("--demo", cli.demo, "Use the built-in demo configuration (fake switch, no hardware)");
    app.add_flag("--check-config", cli.check_config, "Validate the configuration, print a summary and exit");
    app.add_option("--listen", cli.listen,
                   "Listen address HOST:PORT (overrides the configuration; port 0: any)");
    app.add_option("--port-file", cli.port_file, "Write the bound port to this file once listening");
    app.add_option("--log-level", cli.log_level, "Log level")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
        ->capture_default_str();
    app.set_version_flag("--version", std::string("maas-bridge ") + MAAS_BRIDGE_VERSION + " (libpoe " +
                                          std::string(poe::version()) + ")");
    CLI11_PARSE(app, argc, argv);
    try {
        return run(cli);
    } catch (const std::exception& e) {
        std::cerr << "maas-bridge: fatal: " << e.what() << "\n";
        return EXIT_FAILURE;
    }
}
