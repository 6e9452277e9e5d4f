// SPDX-License-Identifier: Apache-2.0
#include "api/response_bodies.hpp"

#include "api/safe_json_writer.hpp"

namespace maas_bridge {
namespace {

// Cuts at a UTF-8 character boundary at or below `limit` bytes.
std::string_view truncate_utf8(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) {
        return text;
    }
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0U) == 0x80U) {
        --end;
    }
    return text.substr(0, end);
}

void write_port_fields(SafeJsonWriter& json, const poe::PortStatus& port) {
    json.key("admin").string(poe::to_string(port.admin));
    json.key("oper").string(poe::to_string(port.oper));
    if (!port.oper_text.empty() && port.oper_text != poe::to_string(port.oper)) {
        json.key("oper_text").string(port.oper_text);
    }
    json.key("watts").number(port.watts);
    json.key("class").string(port.poe_class);
    json.key("device").string(port.device);
    json.key("max_watts");
    if (port.max_watts) {
        json.number(*port.max_watts);
    } else {
        json.null();
    }
}

}  // namespace

bool is_running(RunningMeaning meaning, const poe::PortStatus& port) noexcept {
    return meaning == RunningMeaning::admin ? port.admin_enabled() : port.delivering();
}

std::string status_body(const ResolvedTarget& target, const poe::PortStatus& port,
                        const std::optional<ActionReport>& action) {
    SafeJsonWriter json;
    json.begin_object();
    // First, and the only unescaped string: this is what MAAS's regex reads.
    json.key("status").verbatim_string(is_running(target.policy.running, port) ? "running" : "stopped");
    json.key("machine");
    if (target.machine.empty()) {
        json.null();
    } else {
        json.string(target.machine);
    }
    json.key("switch").string(target.switch_id);
    json.key("port").string(port.name.empty() ? target.port : port.name);
    write_port_fields(json, port);
    if (action) {
        json.key("action").string(poe::to_string(action->action));
        json.key("changed").boolean(action->changed);
    }
    json.end_object();
    return std::move(json).take();
}

std::string error_body(const ApiError& error) {
    SafeJsonWriter json;
    json.begin_object().key("error").begin_object();
    json.key("code").string(error.code);
    json.key("message").string(error.message);
    if (!error.device_text.empty()) {
        json.key("device_text").string(truncate_utf8(error.device_text, max_device_text_bytes));
    }
    json.end_object().end_object();
    return std::move(json).take();
}

std::string switch_body(std::string_view switch_id, std::string_view driver,
                        const std::vector<PortListing>& ports) {
    SafeJsonWriter json;
    json.begin_object();
    json.key("switch").string(switch_id);
    json.key("driver").string(driver);
    json.key("ports").begin_array();
    for (const auto& entry : ports) {
        json.begin_object();
        json.key("name").string(entry.port.name);
        write_port_fields(json, entry.port);
        json.key("machine").optional_string(entry.machine);
        json.end_object();
    }
    json.end_array().end_object();
    return std::move(json).take();
}

std::string switches_body(const std::vector<SwitchSummary>& switches) {
    SafeJsonWriter json;
    json.begin_object().key("switches").begin_array();
    for (const auto& sw : switches) {
        json.begin_object();
        json.key("id").string(sw.id);
        json.key("driver").string(sw.driver);
        json.key("connected").boolean(sw.connected);
        json.key("circuit_open").boolean(sw.circuit_open);
        json.end_object();
    }
    json.end_array().end_object();
    return std::move(json).take();
}

std::string machines_body(const std::vector<MachineRule>& rules) {
    SafeJsonWriter json;
    json.begin_object().key("machines").begin_array();
    for (const auto& rule : rules) {
        if (!rule.is_pattern()) {
            json.begin_object();
            json.key("name").string(rule.name);
            json.key("switch").string(rule.switch_id);
            json.key("port").string(rule.port);
            json.end_object();
        }
    }
    json.end_array().key("patterns").begin_array();
    for (const auto& rule : rules) {
        if (rule.is_pattern()) {
            json.begin_object();
            json.key("pattern").string(rule.pattern);
            json.key("switch").string(rule.switch_id);
            json.key("port").string(rule.port);
            json.end_object();
        }
    }
    json.end_array().end_object();
    return std::move(json).take();
}

}  // namespace maas_bridge
