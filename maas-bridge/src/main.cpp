// SPDX-License-Identifier: Apache-2.0
// maas-bridge: MAAS webhook power driver → libpoe.

#include "api/request_handler.hpp"
#include "app/config_reloader.hpp"
#include "app/maas_url_banner.hpp"
#include "app/port_file.hpp"
#include "app/reload_worker.hpp"
#include "app/startup_checks.hpp"
#include "app/systemd_notifier.hpp"
#include "audit/audit_log.hpp"
#include "config/config_loader.hpp"
#include "config/demo_config.hpp"
#include "config/listen_address.hpp"
#include "http/http_server.hpp"
#include "logging/log_sinks.hpp"
#include "logging/poe_log_forwarding.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/registry.hpp>
#include <poe/version.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// Waits for signals: SIGTERM/SIGINT drain and stop, SIGHUP reloads the
// configuration (on the reload worker's thread).
class SignalHandler {
public:
    SignalHandler(HttpServer& server, ReloadWorker& reloads)
        : server_(server), reloads_(reloads), signals_(server.io_context(), SIGINT, SIGTERM, SIGHUP) {
        arm();
    }

private:
    void arm() {
        signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
            if (ec) {
                return;
            }
            if (signal_number == SIGHUP) {
                spdlog::info("SIGHUP: reloading the configuration");
                reloads_.request();
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
    ReloadWorker& reloads_;
    boost::asio::signal_set signals_;
};

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ",") + item;
    }
    return out.empty() ? "-" : out;
}

// One SIGHUP: systemd sees RELOADING=1, then READY=1 whatever the outcome
// (a refused reload leaves the bridge running, on its previous configuration).
void reload_configuration(ConfigReloader& reloader, const std::string& status) {
    notify_reloading();
    auto reloaded = reloader.reload();
    if (!reloaded) {
        spdlog::error("configuration reload refused, the previous configuration stays in use: {}",
                      reloaded.error().message);
        notify_ready(status + "; last configuration reload refused (see the log)");
        return;
    }
    const ReloadReport& report = reloaded.value();
    for (const auto& warning : report.warnings) {
        spdlog::warn("{}", warning);
    }
    for (const auto& setting : report.restart_required) {
        spdlog::warn("configuration reload: {} changed, which requires a restart; the running value stays",
                     setting);
    }
    spdlog::info(
        "configuration reloaded: {} machine rule(s); switches kept={} replaced={} added={} removed={}; "
        "audit_log={}",
        report.machine_rules, joined(report.switches.kept), joined(report.switches.replaced),
        joined(report.switches.added), joined(report.switches.removed),
        report.audit_log.empty() ? "off" : report.audit_log);
    notify_ready(status);
}

// The journal when systemd connected stderr to it (priorities, no
// timestamps of our own), colour on a terminal, otherwise buffered lines to
// stderr flushed every second and at once for warnings and errors.
void setup_logging(spdlog::level::level_enum level) {
    std::shared_ptr<spdlog::logger> logger;
    const char* journal_stream = std::getenv("JOURNAL_STREAM");  // NOLINT(concurrency-mt-unsafe)
    switch (detect_log_target(STDERR_FILENO, journal_stream)) {
        case LogTarget::journal:
            logger = std::make_shared<spdlog::logger>(
                "maas-bridge", std::make_shared<spdlog::sinks::systemd_sink_mt>("maas-bridge"));
            break;
        case LogTarget::terminal:
            logger = std::make_shared<spdlog::logger>(
                "maas-bridge", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
            break;
        case LogTarget::stream:
            logger = std::make_shared<spdlog::logger>("maas-bridge",
                                                      std::make_shared<BufferedFdSinkMt>(STDERR_FILENO));
            spdlog::flush_every(std::chrono::seconds{1});
            break;
    }
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(level);
    spdlog::flush_on(spdlog::level::warn);
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
    // The same at start and on every SIGHUP.
    const auto load = [&cli, load_options]() -> poe::Result<BridgeConfig> {
        auto loaded = cli.demo
                          ? load_config_text(demo_config_text(), std::string(demo_config_name), load_options)
                          : load_config_file(cli.config_path, load_options);
        if (loaded && !cli.listen.empty()) {
            auto listen = parse_listen_address(cli.listen);
            if (!listen) {
                return poe::make_error(listen.error().code, "--listen: " + listen.error().message);
            }
            loaded->listen = listen.value();
        }
        return loaded;
    };
    auto loaded = load();
    if (!loaded) {
        std::cerr << loaded.error().message << "\n";
        return EXIT_FAILURE;
    }
    BridgeConfig config = std::move(loaded).value();
    if (auto exposed = check_auth_exposure(config); !exposed) {
        std::cerr << exposed.error().message << "\n";
        return EXIT_FAILURE;
    }
    if (cli.check_config) {
        if (!config.audit_log.empty()) {
            if (auto writable = check_audit_log_path(config.audit_log); !writable) {
                std::cerr << writable.error().message << "\n";
                return EXIT_FAILURE;
            }
        }
        std::cout << config_summary(config);
        return EXIT_SUCCESS;
    }
    std::shared_ptr<AuditLog> audit;
    if (!config.audit_log.empty()) {
        auto opened = AuditLog::open(config.audit_log);
        if (!opened) {
            std::cerr << opened.error().message << "\n";
            return EXIT_FAILURE;
        }
        audit = std::move(opened).value();
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
    std::shared_ptr<RequestHandler> handler = RequestHandler::from_config(config, shared_fleet, audit);
    handler->metrics().config_loaded(std::chrono::system_clock::now());
    auto server = HttpServer::create(
        HttpServerOptions{config.listen, config.limits, config.threads, config.tls}, handler);
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
    std::cout << maas_url_banner(config, base_url(bound, http.https())) << std::flush;
    spdlog::info("maas-bridge {} (libpoe {}) listening on {}://{} with {} switch(es), {} machine rule(s)",
                 MAAS_BRIDGE_VERSION, poe::version(), http.https() ? "https" : "http", bound.to_string(),
                 config.switches.size(), config.machines.size());

    {
        // Scoped: the signal set lives on the server's io_context and must
        // go before the server does; a reload in progress ends before the
        // reloader goes.
        ConfigReloader reloader(load, registry, config, handler);
        const std::string status = "listening on " + bound.to_string();
        ReloadWorker reloads([&reloader, &status] { reload_configuration(reloader, status); });
        const SignalHandler signals(http, reloads);
        http.start();
        notify_ready(status);
        http.wait();
    }
    // Every connection has ended; destroying the server releases the
    // handler and with it the controllers, which close their sessions.
    // Callbacks still pending in libpoe find their connection gone and
    // post nothing.
    shared_fleet.reset();
    audit.reset();
    handler.reset();
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
    int status = EXIT_FAILURE;
    try {
        status = run(cli);
    } catch (const std::exception& e) {
        std::cerr << "maas-bridge: fatal: " << e.what() << "\n";
    }
    spdlog::shutdown();  // stops the periodic flusher and writes what is buffered
    return status;
}
