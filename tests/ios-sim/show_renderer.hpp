#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switch_state.hpp"

namespace ios_sim {

/// Which real device family's output layout to imitate (see the fixtures in
/// tests/fixtures/cisco-ios/).
enum class OutputStyle {
    iosxe,    ///< per-member Module tables + port table + Totals (IOS-XE 17.x)
    iosxe16,  ///< the same without Totals lines (IOS-XE 16.x)
    ios15,    ///< `Available:...(w)  Used:...` header (classic IOS 12.x/15.x)
    cat4500,  ///< From PS / To Device columns, no Max (Catalyst 4500)
};

/// nullopt for an unknown name.
std::optional<OutputStyle> parse_output_style(std::string_view name);

// All renderers return text with "\n" line ends; the session turns them into
// CRLF as a PTY does.

/// `show power inline`.
std::string render_power_inline(const std::vector<PortView>& ports, OutputStyle style);
/// `show power inline <intf>`.
std::string render_power_inline_port(const PortView& port, OutputStyle style);
/// `show power inline <intf> detail`, laid out like genie_detail_1.txt.
std::string render_power_inline_detail(const PortView& port);
/// `show running-config interface <intf>`.
std::string render_running_config_interface(const PortView& port);
/// `show running-config`.
std::string render_running_config(std::string_view hostname, const std::vector<PortView>& ports,
                                  OutputStyle style);
/// `show version`.
std::string render_version(std::string_view hostname, const std::vector<PortView>& ports, OutputStyle style,
                           std::chrono::seconds uptime);
/// `show clock` (wall clock, UTC).
std::string render_clock();

}  // namespace ios_sim
