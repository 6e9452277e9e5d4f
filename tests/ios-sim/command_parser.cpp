#include "command_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ios_sim {

namespace {

struct Token {
    std::string_view text;
    std::size_t offset = 0;
};

std::vector<Token> tokenize(std::string_view line) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            tokens.push_back({line.substr(start, i - start), start});
        }
    }
    return tokens;
}

enum class NodeKind { keyword, interface, number, exec_command };

struct Node {
    NodeKind kind = NodeKind::keyword;
    std::string_view word;
    int min = 0;
    int max = 0;
    bool privileged = false;
    std::optional<CommandId> command;
    std::vector<Node> children;
};

Node keyword(std::string_view word, std::optional<CommandId> command, std::vector<Node> children = {}) {
    return Node{NodeKind::keyword, word, 0, 0, false, command, std::move(children)};
}

Node privileged(Node node) {
    node.privileged = true;
    return node;
}

Node interface_arg(std::optional<CommandId> command, std::vector<Node> children = {}) {
    return Node{NodeKind::interface, "", 0, 0, false, command, std::move(children)};
}

Node number_arg(int min, int max, CommandId command) {
    return Node{NodeKind::number, "", min, max, false, command, {}};
}

std::vector<Node> exec_commands() {
    return {
        keyword("enable", CommandId::enable),
        privileged(keyword("disable", CommandId::disable)),
        keyword("exit", CommandId::exit),
        keyword("logout", CommandId::logout),
        keyword("terminal", std::nullopt,
                {keyword("length", std::nullopt, {number_arg(0, 512, CommandId::terminal_length)}),
                 keyword("width", std::nullopt, {number_arg(0, 512, CommandId::terminal_width)})}),
        keyword(
            "show", std::nullopt,
            {keyword("power", std::nullopt,
                     {keyword("inline", CommandId::show_power_inline,
                              {interface_arg(CommandId::show_power_inline_interface,
                                             {keyword("detail", CommandId::show_power_inline_detail)})})}),
             keyword("version", CommandId::show_version), keyword("clock", CommandId::show_clock),
             keyword("privilege", CommandId::show_privilege),
             privileged(keyword("running-config", CommandId::show_running_config,
                                {keyword("interface", std::nullopt,
                                         {interface_arg(CommandId::show_running_config_interface)})}))}),
        privileged(
            keyword("configure", CommandId::configure, {keyword("terminal", CommandId::configure_terminal)})),
        privileged(keyword("write", CommandId::write_memory, {keyword("memory", CommandId::write_memory)})),
        privileged(keyword("copy", std::nullopt,
                           {keyword("running-config", std::nullopt,
                                    {keyword("startup-config", CommandId::copy_running_startup)})})),
    };
}

// Upper bound only for the parser; the port type's own limit is checked when
// the command runs, as IOS does per port.
constexpr int max_milliwatts = 99999;

std::vector<Node> config_common() {
    return {
        keyword("interface", std::nullopt, {interface_arg(CommandId::interface)}),
        keyword("exit", CommandId::exit),
        keyword("end", CommandId::end),
        Node{NodeKind::exec_command, "do", 0, 0, false, std::nullopt, {}},
    };
}

std::vector<Node> config_if_commands() {
    auto nodes = config_common();
    nodes.push_back(keyword(
        "power", std::nullopt,
        {keyword("inline", std::nullopt,
                 {keyword("auto", CommandId::power_inline_auto,
                          {keyword("max", std::nullopt,
                                   {number_arg(4000, max_milliwatts, CommandId::power_inline_auto)})}),
                  keyword("never", CommandId::power_inline_never),
                  keyword("static", CommandId::power_inline_static,
                          {keyword("max", std::nullopt,
                                   {number_arg(4000, max_milliwatts, CommandId::power_inline_static)})})})}));
    nodes.push_back(keyword("no", std::nullopt,
                            {keyword("power", std::nullopt, {keyword("inline", CommandId::no_power_inline)}),
                             keyword("shutdown", CommandId::no_shutdown)}));
    nodes.push_back(keyword("shutdown", CommandId::shutdown));
    return nodes;
}

const Node& root(CliMode mode) {
    static const Node exec_root{NodeKind::keyword, "", 0, 0, false, std::nullopt, exec_commands()};
    static const Node config_root{NodeKind::keyword, "", 0, 0, false, std::nullopt, config_common()};
    static const Node config_if_root{NodeKind::keyword, "", 0, 0, false, std::nullopt, config_if_commands()};
    switch (mode) {
        case CliMode::exec:
            return exec_root;
        case CliMode::config:
            return config_root;
        case CliMode::config_if:
            return config_if_root;
    }
    return exec_root;
}

std::size_t common_prefix(std::string_view a, std::string_view b) {
    std::size_t n = 0;
    while (n < a.size() && n < b.size() &&
           std::tolower(static_cast<unsigned char>(a[n])) == std::tolower(static_cast<unsigned char>(b[n]))) {
        ++n;
    }
    return n;
}

struct InterfaceMatch {
    std::variant<InterfaceId, ParseError> result;
    std::size_t tokens_used = 1;
};

InterfaceMatch match_interface(const std::vector<Token>& tokens, std::size_t i,
                               const std::vector<InterfaceId>& ports) {
    const Token& token = tokens[i];
    const auto digit = std::find_if(token.text.begin(), token.text.end(),
                                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    const auto type_len = static_cast<std::size_t>(digit - token.text.begin());
    const std::string_view type_text = token.text.substr(0, type_len);
    if (type_text.empty()) {
        return {ParseError{ParseError::Kind::invalid, token.offset}};
    }

    // IOS resolves the printed short names (`Tw`, `Te`) exactly even though
    // they are prefixes of several long names.
    const InterfaceType* type = nullptr;
    std::size_t matches = 0;
    std::size_t best_prefix = 0;
    for (const auto& candidate : interface_types()) {
        if (iequals(type_text, candidate.short_name)) {
            type = &candidate;
            matches = 1;
            break;
        }
        if (istarts_with(candidate.full_name, type_text)) {
            type = &candidate;
            ++matches;
        }
        best_prefix = std::max(best_prefix, common_prefix(type_text, candidate.full_name));
    }
    if (matches == 0) {
        return {ParseError{ParseError::Kind::invalid, token.offset + best_prefix}};
    }
    if (matches > 1) {
        return {ParseError{ParseError::Kind::ambiguous, token.offset}};
    }

    std::string_view number_text = token.text.substr(type_len);
    std::size_t number_offset = token.offset + type_len;
    std::size_t used = 1;
    if (number_text.empty()) {
        if (i + 1 >= tokens.size()) {
            return {ParseError{ParseError::Kind::incomplete, 0}};
        }
        number_text = tokens[i + 1].text;
        number_offset = tokens[i + 1].offset;
        used = 2;
    }
    auto numbers = parse_interface_numbers(number_text);
    if (!numbers) {
        return {ParseError{ParseError::Kind::invalid, number_offset}};
    }
    InterfaceId id{type, std::move(*numbers)};
    if (std::find(ports.begin(), ports.end(), id) == ports.end()) {
        return {ParseError{ParseError::Kind::invalid, number_offset}, used};
    }
    return {std::move(id), used};
}

ParseResult parse_from(const std::vector<Token>& tokens, std::size_t first, const Node& start,
                       bool is_privileged, const std::vector<InterfaceId>& ports, std::string_view line) {
    const Node* node = &start;
    Command command;
    std::vector<std::string> canonical;
    std::size_t i = first;
    while (i < tokens.size()) {
        const Token& token = tokens[i];
        const Node* chosen = nullptr;
        std::size_t prefix_matches = 0;
        std::size_t best_prefix = 0;
        const Node* interface_child = nullptr;
        const Node* number_child = nullptr;
        for (const Node& child : node->children) {
            if (child.privileged && !is_privileged) {
                continue;
            }
            if (child.kind == NodeKind::interface) {
                interface_child = &child;
                continue;
            }
            if (child.kind == NodeKind::number) {
                number_child = &child;
                continue;
            }
            if (iequals(token.text, child.word)) {
                chosen = &child;
                prefix_matches = 1;
                break;
            }
            if (istarts_with(child.word, token.text)) {
                chosen = &child;
                ++prefix_matches;
            }
            best_prefix = std::max(best_prefix, common_prefix(token.text, child.word));
        }
        if (prefix_matches > 1) {
            return ParseError{ParseError::Kind::ambiguous, token.offset};
        }
        if (chosen != nullptr && chosen->kind == NodeKind::exec_command) {
            // `do` runs the rest of the line as a privileged EXEC command.
            if (i + 1 >= tokens.size()) {
                return ParseError{ParseError::Kind::incomplete, 0};
            }
            auto inner = parse_from(tokens, i + 1, root(CliMode::exec), true, ports, line);
            if (auto* cmd = std::get_if<Command>(&inner)) {
                cmd->via_do = true;
            }
            return inner;
        }
        if (chosen != nullptr) {
            canonical.emplace_back(chosen->word);
            node = chosen;
            ++i;
            continue;
        }
        if (interface_child != nullptr) {
            auto match = match_interface(tokens, i, ports);
            if (auto* error = std::get_if<ParseError>(&match.result)) {
                return *error;
            }
            command.interface = std::get<InterfaceId>(match.result);
            canonical.push_back(command.interface->full_name());
            node = interface_child;
            i += match.tokens_used;
            continue;
        }
        if (number_child != nullptr) {
            const auto digits = std::find_if(token.text.begin(), token.text.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) == 0;
            });
            const auto digit_count = static_cast<std::size_t>(digits - token.text.begin());
            int value = 0;
            const auto [ptr, ec] = std::from_chars(token.text.data(), token.text.data() + digit_count, value);
            if (digit_count != token.text.size() || digit_count == 0 || ec != std::errc{} ||
                ptr != token.text.data() + digit_count) {
                return ParseError{ParseError::Kind::invalid, token.offset + digit_count};
            }
            if (value < number_child->min || value > number_child->max) {
                return ParseError{ParseError::Kind::invalid, token.offset};
            }
            command.number = value;
            command.number_offset = token.offset;
            canonical.push_back(std::to_string(value));
            node = number_child;
            ++i;
            continue;
        }
        return ParseError{ParseError::Kind::invalid, token.offset + best_prefix};
    }
    if (!node->command) {
        return ParseError{ParseError::Kind::incomplete, line.size()};
    }
    command.id = *node->command;
    for (std::size_t k = 0; k < canonical.size(); ++k) {
        if (k > 0) {
            command.canonical += ' ';
        }
        command.canonical += canonical[k];
    }
    return command;
}

}  // namespace

ParseResult parse_command(std::string_view line, CliMode mode, bool privileged,
                          const std::vector<InterfaceId>& ports) {
    const auto tokens = tokenize(line);
    if (tokens.empty()) {
        return ParseError{ParseError::Kind::incomplete, 0};
    }
    return parse_from(tokens, 0, root(mode), privileged, ports, line);
}

std::string_view stats_name(CommandId id) {
    switch (id) {
        case CommandId::enable:
            return "enable";
        case CommandId::disable:
            return "disable";
        case CommandId::exit:
            return "exit";
        case CommandId::logout:
            return "logout";
        case CommandId::terminal_length:
            return "terminal length";
        case CommandId::terminal_width:
            return "terminal width";
        case CommandId::show_power_inline:
        case CommandId::show_power_inline_interface:
        case CommandId::show_power_inline_detail:
            return "show power inline";
        case CommandId::show_version:
            return "show version";
        case CommandId::show_clock:
            return "show clock";
        case CommandId::show_privilege:
            return "show privilege";
        case CommandId::show_running_config:
        case CommandId::show_running_config_interface:
            return "show running-config";
        case CommandId::configure:
        case CommandId::configure_terminal:
            return "configure terminal";
        case CommandId::write_memory:
        case CommandId::copy_running_startup:
            return "write memory";
        case CommandId::interface:
            return "interface";
        case CommandId::end:
            return "end";
        case CommandId::power_inline_auto:
        case CommandId::power_inline_never:
        case CommandId::power_inline_static:
        case CommandId::no_power_inline:
            return "power inline";
        case CommandId::shutdown:
        case CommandId::no_shutdown:
            return "shutdown";
    }
    return "unknown";
}

bool touches_switch_state(CommandId id) {
    switch (id) {
        case CommandId::show_power_inline:
        case CommandId::show_power_inline_interface:
        case CommandId::show_power_inline_detail:
        case CommandId::show_running_config:
        case CommandId::show_running_config_interface:
        case CommandId::write_memory:
        case CommandId::copy_running_startup:
        case CommandId::power_inline_auto:
        case CommandId::power_inline_never:
        case CommandId::power_inline_static:
        case CommandId::no_power_inline:
        case CommandId::shutdown:
        case CommandId::no_shutdown:
            return true;
        default:
            return false;
    }
}

}  // namespace ios_sim
