#include "control_channel.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <boost/json/serialize.hpp>

#include "quoted_words.hpp"

namespace ios_sim {

bool write_file_atomically(const std::string& path, const std::string& text) {
    const std::string temp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    return !ec;
}

ControlChannel::ControlChannel(SimContext& context, SshServer& server, std::function<void()> quit)
    : context_(context), server_(server), quit_(std::move(quit)) {
}

std::optional<std::string> ControlChannel::add_fault(FaultSet& faults, std::string_view spec) {
    const auto words = split_quoted(spec);
    if (!words) {
        return "unclosed quote";
    }
    return faults.add(*words);
}

std::optional<InterfaceId> ControlChannel::find_port(std::string_view name) const {
    const auto digit = std::find_if(name.begin(), name.end(),
                                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    const auto type_len = static_cast<std::size_t>(digit - name.begin());
    const InterfaceType* type = find_interface_type(name.substr(0, type_len));
    auto numbers = parse_interface_numbers(name.substr(type_len));
    if (type == nullptr || !numbers) {
        return std::nullopt;
    }
    InterfaceId id{type, std::move(*numbers)};
    const auto& ports = context_.state.port_ids();
    if (std::find(ports.begin(), ports.end(), id) == ports.end()) {
        return std::nullopt;
    }
    return id;
}

std::string ControlChannel::handle(std::string_view line) {
    const auto words = split_quoted(line);
    if (!words) {
        return "error: unclosed quote";
    }
    if (words->empty()) {
        return {};
    }
    const std::string& verb = words->front();
    if (verb == "stats") {
        return boost::json::serialize(context_.stats.to_json(context_.state, Clock::now()));
    }
    if (verb == "ping") {
        return "ok";
    }
    if (verb == "faults") {
        return context_.faults.describe();
    }
    if (verb == "fault") {
        return handle_fault(*words);
    }
    if (verb == "set") {
        return handle_set(*words);
    }
    if (verb == "port") {
        return handle_port(*words);
    }
    if (verb == "host-keys") {
        std::string out;
        for (const auto& fingerprint : server_.host_key_fingerprints()) {
            out += (out.empty() ? "" : "; ") + fingerprint;
        }
        return out;
    }
    if (verb == "drop-sessions") {
        ++context_.drop_generation;
        return "ok";
    }
    if (verb == "quit") {
        quit_();
        return "ok";
    }
    return "error: unknown command \"" + verb + "\"";
}

std::string ControlChannel::handle_fault(const std::vector<std::string>& words) {
    if (words.size() >= 2 && words[1] == "clear") {
        if (words.size() == 2) {
            context_.faults.clear();
            return "ok";
        }
        const auto kind = FaultSet::parse_kind(words[2]);
        if (!kind || words.size() > 3) {
            return "error: usage: fault clear [KIND]";
        }
        context_.faults.clear(kind);
        return "ok";
    }
    const auto error = context_.faults.add(std::vector<std::string>(words.begin() + 1, words.end()));
    return error ? "error: " + *error : "ok";
}

std::string ControlChannel::handle_set(const std::vector<std::string>& words) {
    if (words.size() < 2) {
        return "error: usage: set NAME VALUE";
    }
    const std::string& name = words[1];
    if (name == "host-key") {
        if (words.size() < 3) {
            return "error: usage: set host-key FILE [FILE...]";
        }
        try {
            server_.replace_host_keys(load_private_keys({words.begin() + 2, words.end()}));
        } catch (const std::exception& e) {
            return std::string("error: ") + e.what();
        }
        return "ok";
    }
    if (words.size() != 3) {
        return "error: usage: set " + name + " VALUE";
    }
    const std::string& value = words[2];
    if (name == "banner") {
        context_.settings.update([&](SettingsValues& v) { v.banner = value; });
        return "ok";
    }
    if (name == "enable-secret") {
        context_.settings.update([&](SettingsValues& v) {
            v.enable_secret = value == "none" ? std::nullopt : std::optional<std::string>(value);
        });
        return "ok";
    }
    if (name == "replay") {
        if (value == "off") {
            context_.settings.update([](SettingsValues& v) { v.replay.reset(); });
            return "ok";
        }
        std::ifstream in(value, std::ios::binary);
        if (!in) {
            return "error: cannot read " + value;
        }
        std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        context_.settings.update([&](SettingsValues& v) { v.replay = std::move(bytes); });
        return "ok";
    }
    const auto number = parse_non_negative(value);
    if (!number || *number > 100'000'000) {
        return "error: \"" + value + "\" is not a number";
    }
    const auto ms = std::chrono::milliseconds(*number);
    const int count = static_cast<int>(*number);
    if (name == "detect-delay") {
        context_.settings.update([&](SettingsValues& v) { v.detect_delay = ms; });
    } else if (name == "command-delay") {
        context_.settings.update([&](SettingsValues& v) { v.command_delay = ms; });
    } else if (name == "write-delay") {
        context_.settings.update([&](SettingsValues& v) { v.write_delay = ms; });
    } else if (name == "exec-timeout") {
        context_.settings.update([&](SettingsValues& v) { v.exec_timeout = ms; });
    } else if (name == "max-sessions") {
        context_.settings.update([&](SettingsValues& v) { v.max_sessions = count; });
    } else if (name == "login-rate") {
        context_.settings.update([&](SettingsValues& v) { v.login_rate = count; });
    } else {
        return "error: unknown setting \"" + name + "\"";
    }
    return "ok";
}

std::string ControlChannel::handle_port(const std::vector<std::string>& words) {
    if (words.size() < 4) {
        return "error: usage: port IF oper STATE|auto | port IF admin auto|never|static | port IF device "
               "NAME "
               "CLASS WATTS";
    }
    const auto id = find_port(words[1]);
    if (!id) {
        return "error: no port \"" + words[1] + "\"";
    }
    const std::string& what = words[2];
    if (what == "oper" && words.size() == 4) {
        context_.state.set_oper_override(
            *id, words[3] == "auto" ? std::nullopt : std::optional<std::string>(words[3]));
        context_.stats.touch();
        return "ok";
    }
    if (what == "admin" && words.size() == 4) {
        std::optional<AdminMode> mode;
        if (words[3] == "auto") {
            mode = AdminMode::automatic;
        } else if (words[3] == "never") {
            mode = AdminMode::never;
        } else if (words[3] == "static") {
            mode = AdminMode::static_power;
        }
        if (!mode) {
            return "error: admin must be auto, never or static";
        }
        context_.state.set_power(*id, *mode, std::nullopt, Clock::now(),
                                 context_.settings.get().detect_delay);
        context_.stats.touch();
        return "ok";
    }
    if (what == "device" && words.size() == 6) {
        double watts = 0.0;
        try {
            watts = std::stod(words[5]);
        } catch (const std::exception&) {
            return "error: bad watts \"" + words[5] + "\"";
        }
        context_.state.set_device(*id, words[3], words[4], watts);
        context_.stats.touch();
        return "ok";
    }
    return "error: bad port command";
}

void ControlChannel::serve_stdin() {
    std::string line;
    while (!context_.stopping && std::getline(std::cin, line)) {
        const std::string reply = handle(line);
        if (!reply.empty()) {
            std::cout << reply << std::endl;
        }
    }
    if (!context_.stopping) {
        quit_();
    }
}

}  // namespace ios_sim
