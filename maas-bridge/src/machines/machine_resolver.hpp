// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Machine name → (switch, port, policy), from the `machines:` rules. Pure
/// lookups on configuration data: no device is touched. Shared by the bridge
/// and poectl.

#include "config/bridge_config.hpp"

#include <poe/result.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maas_bridge {

/// Where a request goes.
struct ResolvedTarget {
    std::string machine;  ///< Machine name; empty for a port no explicit machine maps to.
    std::string switch_id;
    std::string port;     ///< Normalised port name.
    PowerPolicy policy;   ///< Effective policy for this machine/port.
    std::string pattern;  ///< The pattern that produced this target; empty otherwise.

    friend bool operator==(const ResolvedTarget&, const ResolvedTarget&) = default;
};

/// Thread-safety: immutable after construction; every method may be called
/// concurrently.
class MachineResolver {
public:
    /// Copies the rules and switch normalisers out of `config`.
    explicit MachineResolver(const BridgeConfig& config);

    /// Explicit names first, then patterns in file order (full match);
    /// {1}..{9} in the port template are replaced by the captures and the
    /// result is normalised by the switch's driver.
    /// @return invalid_argument ("unknown machine ...") when no rule matches,
    ///         the name is not a valid machine name, or the substituted port
    ///         is not a valid port of the switch.
    [[nodiscard]] poe::Result<ResolvedTarget> resolve_machine(std::string_view name) const;

    /// Direct addressing. The policy is the explicitly named machine's when
    /// one maps to this port, the switch's otherwise.
    /// @return unknown_switch; unknown_port when the driver cannot parse the
    ///         port name (whether the switch has it is known only on access).
    [[nodiscard]] poe::Result<ResolvedTarget> resolve_port(std::string_view switch_id,
                                                           std::string_view port) const;

    /// The explicitly named machine on a (normalised) port, if any. Ports
    /// reached only through patterns are not reported: a regex cannot be run
    /// backwards.
    [[nodiscard]] std::optional<std::string> machine_for_port(std::string_view switch_id,
                                                              std::string_view port) const;

    /// The rules in file order.
    [[nodiscard]] const std::vector<MachineRule>& rules() const noexcept { return rules_; }

    /// Switch ids, sorted.
    [[nodiscard]] std::vector<std::string> switch_ids() const;

    [[nodiscard]] bool has_switch(std::string_view switch_id) const;

private:
    struct SwitchEntry {
        PortNormalizer normalize;
        PowerPolicy policy;
    };

    std::vector<MachineRule> rules_;
    std::map<std::string, SwitchEntry, std::less<>> switches_;
    std::map<std::string, std::size_t, std::less<>> explicit_;            // name → index in rules_
    std::map<std::pair<std::string, std::string>, std::size_t> by_port_;  // (switch, port) → index in rules_
};

/// Replaces {1}..{9} in `port_template` with the regex captures (a group
/// that did not take part gives ""). Other braces are copied as they are.
std::string substitute_captures(std::string_view port_template, const std::smatch& match);

}  // namespace maas_bridge
