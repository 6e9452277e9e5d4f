// SPDX-License-Identifier: Apache-2.0
#include "poectl_app.hpp"

#include "api/response_bodies.hpp"
#include "config/config_loader.hpp"
#include "config/demo_config.hpp"
#include "config/duration_text.hpp"
#include "maas_commands.hpp"
#include "machines/machine_resolver.hpp"
#include "port_table.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/registry.hpp>
#include <poe/version.hpp>

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <ostream>
#include <sstream>

namespace poectl {
namespace {

using maas_bridge::BridgeConfig;
using maas_bridge::ResolvedTarget;

#ifndef POECTL_VERSION
#define POECTL_VERSION "0.0.0"
#endif

struct Options {
    std::string config_path{maas_bridge::default_config_path};
    bool demo{false};
    bool json{false};
    std::string timeout;
    std::string driver;
    std::vector<std::string> driver_options;
    // subcommand arguments
    std::string target;
    std::string port;
    std::string bridge_url;
    std::string profile{"$PROFILE"};
    std::vector<std::string> machines;
    std::vector<std::string> system_ids;
};

int exit_code_for(poe::ErrorCode code) {
    switch (code) {
        case poe::ErrorCode::invalid_argument:
        case poe::ErrorCode::unknown_switch:
        case poe::ErrorCode::unknown_port:
            return exit_usage;
        case poe::ErrorCode::connect_failed:
        case poe::ErrorCode::connection_lost:
        case poe::ErrorCode::auth_failed:
        case poe::ErrorCode::host_key_mismatch:
        case poe::ErrorCode::timeout:
        case poe::ErrorCode::busy:
        case poe::ErrorCode::unavailable:
            return exit_unreachable;
        case poe::ErrorCode::unsupported:
        case poe::ErrorCode::device_rejected:
        case poe::ErrorCode::parse_error:
        case poe::ErrorCode::cancelled:
        case poe::ErrorCode::internal:
            return exit_failed;
    }
    return exit_failed;
}

// What to try next, per kind of failure.
std::string_view hint_for(poe::ErrorCode code) {
    switch (code) {
        case poe::ErrorCode::host_key_mismatch:
            return "if the switch's key really changed (new switch, reset), remove its old line from the "
                   "known_hosts file and run: poectl trust SWITCH";
        case poe::ErrorCode::auth_failed:
            return "check username, password and enable_secret of the switch entry";
        case poe::ErrorCode::connect_failed:
            return "check host and port, that SSH is enabled on the switch, and for old IOS "
                   "`legacy_algorithms: true`";
        case poe::ErrorCode::timeout:
            return "the switch did not answer in time; --timeout raises the limit";
        case poe::ErrorCode::unknown_port:
        case poe::ErrorCode::unknown_switch:
            return "`poectl status` lists the switches and their PoE ports";
        default:
            return {};
    }
}

// Puts the machine the user named in front of a port error, since the port
// came from the configuration rather than from the user.
poe::Error for_machine(const ResolvedTarget& target, poe::Error error) {
    if (!target.machine.empty()) {
        error.message = "machine \"" + target.machine + "\": " + error.message;
    }
    return error;
}

int fail(std::ostream& err, const poe::Error& error) {
    err << "poectl: " << error.message << "\n";
    if (!error.device_text.empty()) {
        err << "switch said:\n" << error.device_text.substr(0, 2048) << "\n";
    }
    if (const auto hint = hint_for(error.code); !hint.empty()) {
        err << "hint: " << hint << "\n";
    }
    return exit_code_for(error.code);
}

std::string yaml_quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

// A one-switch configuration from --driver/-o, checked by the same loader.
poe::Result<std::string> ad_hoc_config(const Options& options) {
    std::ostringstream yaml;
    yaml << "auth: none\nswitches:\n  cli:\n    driver: " << yaml_quote(options.driver) << "\n";
    for (const auto& option : options.driver_options) {
        const auto eq = option.find('=');
        if (eq == std::string::npos || eq == 0) {
            return poe::make_error(
                poe::ErrorCode::invalid_argument,
                "-o expects KEY=VALUE, got \"" + option.substr(0, option.find('=')) + "\"");
        }
        yaml << "    " << option.substr(0, eq) << ": " << yaml_quote(option.substr(eq + 1)) << "\n";
    }
    return yaml.str();
}

class App {
public:
    App(Options options, std::ostream& out, std::ostream& err)
        : options_(std::move(options)), out_(out), err_(err) {
        (void)poe::register_builtin_drivers(registry_);
    }

    int load() {
        maas_bridge::ConfigLoadOptions load_options;
        load_options.registry = &registry_;
        if (const char* credentials =
                std::getenv("CREDENTIALS_DIRECTORY")) {  // NOLINT(concurrency-mt-unsafe)
            load_options.credentials_directory = credentials;
        }
        poe::Result<BridgeConfig> loaded = poe::make_error(poe::ErrorCode::internal, "not loaded");
        if (!options_.driver.empty()) {
            auto text = ad_hoc_config(options_);
            if (!text) {
                return fail(err_, text.error());
            }
            loaded = maas_bridge::load_config_text(*text, "<command line>", load_options);
        } else if (options_.demo) {
            loaded = maas_bridge::load_config_text(maas_bridge::demo_config_text(),
                                                   std::string(maas_bridge::demo_config_name), load_options);
        } else {
            loaded = maas_bridge::load_config_file(options_.config_path, load_options);
        }
        if (!loaded) {
            return fail(err_, loaded.error());
        }
        config_ = std::move(loaded).value();
        timeout_ = config_->limits.request_timeout;
        if (!options_.timeout.empty()) {
            auto parsed = maas_bridge::parse_duration(options_.timeout);
            if (!parsed || parsed->count() <= 0) {
                return fail(
                    err_, poe::make_error(poe::ErrorCode::invalid_argument,
                                          "--timeout: expected a duration such as 500ms, 20s or 2m, got \"" +
                                              options_.timeout + "\""));
            }
            timeout_ = *parsed;
        }
        resolver_.emplace(*config_);
        return exit_ok;
    }

    int check_config() {
        for (const auto& warning : config_->warnings) {
            err_ << "warning: " << warning << "\n";
        }
        out_ << config_->source << ": OK, " << config_->switches.size() << " switch(es), "
             << config_->machines.size() << " machine rule(s)\n";
        return exit_ok;
    }

    int status() {
        if (auto code = make_fleet(); code != exit_ok) {
            return code;
        }
        if (options_.target.empty()) {
            int worst = exit_ok;
            for (const auto* sw : fleet_->all()) {
                worst = std::max(worst, switch_status(sw->id));
            }
            return worst;
        }
        if (fleet_->find(options_.target) != nullptr) {
            return switch_status(options_.target);
        }
        auto target = resolver_->resolve_machine(options_.target);
        if (!target) {
            return fail(
                err_, poe::make_error(poe::ErrorCode::invalid_argument,
                                      "\"" + options_.target +
                                          "\" is neither a switch nor a machine: " + target.error().message));
        }
        auto port = fleet_->find(target->switch_id)->controller->status(target->port, deadline());
        if (!port) {
            return fail(err_, for_machine(*target, port.error()));
        }
        if (options_.json) {
            out_ << maas_bridge::status_body(*target, *port) << "\n";
        } else {
            out_ << port_table({row_for(*target, *port)});
        }
        return exit_ok;
    }

    int power(poe::PowerAction action) {
        if (auto code = make_fleet(); code != exit_ok) {
            return code;
        }
        auto target = options_.port.empty() ? resolver_->resolve_machine(options_.target)
                                            : resolver_->resolve_port(options_.target, options_.port);
        if (!target) {
            return fail(err_, target.error());
        }
        const auto& controller = fleet_->find(target->switch_id)->controller;
        const std::string label = target->machine.empty()
                                      ? target->switch_id + " " + target->port
                                      : target->machine + " (" + target->switch_id + " " + target->port + ")";
        poe::PowerOptions power_options;
        power_options.on_setting = target->policy.on_setting;
        power_options.on_when_on = target->policy.on_when_on;
        power_options.cycle_dwell = target->policy.cycle_dwell;
        auto budget = timeout_;
        if (action == poe::PowerAction::cycle || target->policy.on_when_on == poe::OnWhenOn::cycle) {
            budget = std::max(budget, config_->limits.cycle_timeout);
            budget = std::max(budget, target->policy.cycle_dwell + timeout_);
            if (action == poe::PowerAction::cycle) {
                err_ << label << ": powering off, on again in "
                     << maas_bridge::format_duration(target->policy.cycle_dwell) << " ...\n"
                     << std::flush;
            }
        }
        auto outcome = controller->power(target->port, action, poe::deadline_in(budget), power_options);
        if (!outcome) {
            return fail(err_, for_machine(*target, outcome.error()));
        }
        if (options_.json) {
            out_ << maas_bridge::status_body(*target, outcome->after,
                                             maas_bridge::ActionReport{action, outcome->changed})
                 << "\n";
        } else {
            const bool running = maas_bridge::is_running(target->policy.running, outcome->after);
            out_ << label << ": " << (running ? "running" : "stopped")
                 << (outcome->cycled    ? " (power cycled)"
                     : outcome->changed ? ""
                                        : " (no change needed)")
                 << "\n";
        }
        return exit_ok;
    }

    // Records the switch's host key (accept-new) and shows its fingerprint.
    int trust() {
        const auto it = config_->switches.find(options_.target);
        if (it == config_->switches.end()) {
            return fail(err_, poe::make_error(poe::ErrorCode::unknown_switch,
                                              "no switch \"" + options_.target + "\" in " + config_->source));
        }
        const auto& sw = it->second;
        const poe::DriverInfo* info = registry_.find(sw.driver);
        const bool has_policy =
            info != nullptr && std::any_of(info->options.begin(), info->options.end(),
                                           [](const auto& o) { return o.key == "host_key_policy"; });
        if (!has_policy) {
            return fail(err_, poe::make_error(poe::ErrorCode::unsupported,
                                              "driver \"" + sw.driver + "\" has no host keys to trust"));
        }
        poe::DriverOptions driver_options = sw.options;
        driver_options["host_key_policy"] = "accept-new";
        auto driver = registry_.create(sw.driver, driver_options);
        if (!driver) {
            return fail(err_, driver.error());
        }
        auto connected = driver.value()->connect(deadline());
        if (!connected) {
            return fail(err_, connected.error());
        }
        out_ << "switch " << sw.id << " (" << driver_options["host"] << ") presents "
             << driver.value()->peer_identity() << "\n";
        const auto known_hosts = driver_options.find("known_hosts");
        out_ << "trusted: recorded in "
             << (known_hosts != driver_options.end() ? known_hosts->second
                                                     : std::string("the known_hosts file"))
             << " (compare the fingerprint with `show crypto key mypubkey rsa` / `show ip ssh` on the "
                "switch)\n";
        driver.value()->disconnect();
        return exit_ok;
    }

    int maas() {
        MaasCommandOptions maas_options;
        maas_options.bridge_url = options_.bridge_url;
        maas_options.profile = options_.profile;
        for (const auto& pair : options_.system_ids) {
            const auto eq = pair.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
                return fail(err_,
                            poe::make_error(poe::ErrorCode::invalid_argument,
                                            "--system-id expects MACHINE=SYSTEM_ID, got \"" + pair + "\""));
            }
            maas_options.system_ids[pair.substr(0, eq)] = pair.substr(eq + 1);
        }
        std::vector<ResolvedTarget> machines;
        if (options_.machines.empty()) {
            for (const auto& rule : config_->machines) {
                if (!rule.is_pattern()) {
                    machines.push_back(resolver_->resolve_machine(rule.name).value());
                }
            }
        }
        for (const auto& name : options_.machines) {
            auto target = resolver_->resolve_machine(name);
            if (!target) {
                return fail(err_, target.error());
            }
            machines.push_back(std::move(target).value());
        }
        out_ << maas_commands(*config_, machines, maas_options);
        return exit_ok;
    }

    int drivers() {
        for (const auto* info : registry_.drivers()) {
            out_ << info->name << ": " << info->description << "\n";
            for (const auto& option : info->options) {
                out_ << "  " << option.key << (option.required ? " (required)" : "")
                     << (option.secret
                             ? " (secret; also " + option.key + "_file, " + option.key + "_credential)"
                             : "")
                     << ": " << option.description
                     << (option.default_value.empty() ? "" : " [default " + option.default_value + "]")
                     << "\n";
            }
        }
        return exit_ok;
    }

private:
    int make_fleet() {
        auto fleet = maas_bridge::SwitchFleet::create(*config_, registry_);
        if (!fleet) {
            return fail(err_, fleet.error());
        }
        fleet_.emplace(std::move(fleet).value());
        return exit_ok;
    }

    [[nodiscard]] poe::Deadline deadline() const { return poe::deadline_in(timeout_); }

    [[nodiscard]] TableRow row_for(const ResolvedTarget& target, const poe::PortStatus& port) const {
        return TableRow{port,
                        target.machine.empty() ? std::nullopt : std::optional<std::string>(target.machine),
                        maas_bridge::is_running(target.policy.running, port)};
    }

    int switch_status(const std::string& switch_id) {
        const auto* sw = fleet_->find(switch_id);
        auto ports = sw->controller->status_all(deadline());
        if (!ports) {
            err_ << "switch " << switch_id << ":\n";
            return fail(err_, ports.error());
        }
        if (options_.json) {
            std::vector<maas_bridge::PortListing> listing;
            for (const auto& port : *ports) {
                listing.push_back({port, resolver_->machine_for_port(switch_id, port.name)});
            }
            out_ << maas_bridge::switch_body(switch_id, sw->driver, listing) << "\n";
            return exit_ok;
        }
        std::vector<TableRow> rows;
        for (const auto& port : *ports) {
            auto target = resolver_->resolve_port(switch_id, port.name);
            const auto policy = target ? target->policy : config_->switches.at(switch_id).policy;
            rows.push_back(TableRow{port, resolver_->machine_for_port(switch_id, port.name),
                                    maas_bridge::is_running(policy.running, port)});
        }
        out_ << "switch " << switch_id << " (" << sw->driver << "), " << rows.size() << " PoE ports\n"
             << port_table(rows);
        return exit_ok;
    }

    Options options_;
    std::ostream& out_;
    std::ostream& err_;
    poe::Registry registry_;
    std::optional<BridgeConfig> config_;
    std::optional<maas_bridge::MachineResolver> resolver_;
    std::optional<maas_bridge::SwitchFleet> fleet_;
    std::chrono::milliseconds timeout_{std::chrono::seconds{20}};
};

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options options;
    CLI::App cli{"poectl: power PoE ports on and off, using maas-bridge's configuration"};
    cli.require_subcommand(1);
    cli.add_option("-c,--config", options.config_path, "Configuration file")->capture_default_str();
    cli.add_flag("--demo", options.demo, "Use the built-in demo configuration (in-memory fake switch)");
    cli.add_flag("--json", options.json, "JSON output (the bridge's bodies)");
    cli.add_option("--timeout", options.timeout, "Deadline per operation, e.g. 20s (default: the config's)");
    cli.add_option("--driver", options.driver, "One-off switch: driver name (instead of a config file)");
    cli.add_option("-o,--option", options.driver_options, "One-off switch: driver option KEY=VALUE (repeat)");
    cli.set_version_flag("--version", std::string("poectl ") + POECTL_VERSION + " (libpoe " +
                                          std::string(poe::version()) + ")");

    auto* status = cli.add_subcommand("status", "Show ports of every switch, one switch, or one machine");
    status->add_option("target", options.target, "SWITCH or MACHINE");
    std::vector<std::pair<poe::PowerAction, CLI::App*>> power_commands;
    for (const auto action : {poe::PowerAction::on, poe::PowerAction::off, poe::PowerAction::cycle}) {
        auto* sub =
            cli.add_subcommand(std::string(poe::to_string(action)),
                               "Power " + std::string(poe::to_string(action)) + " MACHINE, or SWITCH PORT");
        sub->add_option("target", options.target, "MACHINE, or SWITCH when PORT is given")->required();
        sub->add_option("port", options.port, "Port of SWITCH, e.g. Gi1/0/5");
        power_commands.emplace_back(action, sub);
    }
    auto* trust = cli.add_subcommand("trust", "Record a switch's SSH host key (shows its fingerprint)");
    trust->add_option("switch", options.target, "SWITCH")->required();
    auto* check = cli.add_subcommand("check-config", "Validate the configuration");
    auto* maas =
        cli.add_subcommand("maas-commands", "Print the maas CLI commands that point MAAS at the bridge");
    maas->add_option("--bridge-url", options.bridge_url,
                     "How MAAS reaches the bridge, e.g. http://10.0.0.5:8550")
        ->required();
    maas->add_option("--profile", options.profile, "maas CLI profile")->capture_default_str();
    maas->add_option("--machine", options.machines,
                     "Machine to print (repeat; default: every named machine)");
    maas->add_option("--system-id", options.system_ids,
                     "MACHINE=SYSTEM_ID (repeat; default: looked up by hostname)");
    auto* drivers = cli.add_subcommand("drivers", "List the drivers and their options");

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        cli.parse(reversed);
    } catch (const CLI::CallForHelp& e) {
        out << cli.help();
        return exit_ok;
    } catch (const CLI::CallForVersion& e) {
        out << cli.version() << "\n";
        return exit_ok;
    } catch (const CLI::ParseError& e) {
        err << "poectl: " << e.what() << "\n"
            << "Run poectl --help for usage.\n";
        return exit_usage;
    }

    App app(options, out, err);
    if (drivers->parsed()) {
        return app.drivers();
    }
    if (const int loaded = app.load(); loaded != exit_ok) {
        return loaded;
    }
    if (check->parsed()) {
        return app.check_config();
    }
    if (status->parsed()) {
        return app.status();
    }
    if (trust->parsed()) {
        return app.trust();
    }
    if (maas->parsed()) {
        return app.maas();
    }
    for (const auto& [action, sub] : power_commands) {
        if (sub->parsed()) {
            return app.power(action);
        }
    }
    err << "poectl: no command\n";
    return exit_usage;
}

}  // namespace poectl
