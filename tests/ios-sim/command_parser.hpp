#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "interface_name.hpp"

namespace ios_sim {

enum class CliMode { exec, config, config_if };

/// Every command the simulator understands.
enum class CommandId {
    enable,
    disable,
    exit,
    logout,
    terminal_length,
    terminal_width,
    show_power_inline,
    show_power_inline_interface,
    show_power_inline_detail,
    show_version,
    show_clock,
    show_privilege,
    show_running_config,
    show_running_config_interface,
    configure,
    configure_terminal,
    write_memory,
    copy_running_startup,
    interface,
    end,
    power_inline_auto,
    power_inline_never,
    power_inline_static,
    no_power_inline,
    shutdown,
    no_shutdown,
};

struct Command {
    CommandId id = CommandId::exit;
    bool via_do = false;  ///< typed as `do <exec command>` in a config mode
    std::optional<InterfaceId> interface;
    std::optional<int> number;      ///< `terminal length N`, `... max N`
    std::size_t number_offset = 0;  ///< where N starts in the line (for a caret)
    std::string canonical;          ///< keywords expanded: `show power inline GigabitEthernet1/0/5`
};

struct ParseError {
    enum class Kind { invalid, incomplete, ambiguous };
    Kind kind = Kind::invalid;
    std::size_t caret = 0;  ///< offset in the line the `^` goes under (invalid only)
};

using ParseResult = std::variant<Command, ParseError>;

/// Parses one line the way IOS does: every keyword may be shortened to a
/// unique prefix, an exact keyword wins over longer ones, interface names
/// accept any case-insensitive unique prefix of the type (`gi1/0/5`,
/// `GigabitEthernet 1/0/05`). Privileged-only commands are invisible (thus
/// invalid) when @p privileged is false.
ParseResult parse_command(std::string_view line, CliMode mode, bool privileged,
                          const std::vector<InterfaceId>& ports);

/// The key under which a command is counted in the stats (`show power inline`
/// for all its forms, `write memory` for `copy run start` too).
std::string_view stats_name(CommandId id);

/// Whether the command reads or changes the shared switch state (used to
/// detect two sessions driving the switch at the same instant).
bool touches_switch_state(CommandId id);

}  // namespace ios_sim
