#include "cli_session.hpp"

#include <algorithm>

#include "show_renderer.hpp"

namespace ios_sim {

namespace {

constexpr std::size_t max_line_length = 512;
constexpr int enable_tries = 3;
// IOS cuts the hostname in configuration prompts.
constexpr std::size_t config_prompt_hostname_length = 20;
constexpr std::string_view more_prompt = " --More-- ";
constexpr std::string_view config_banner =
    "Enter configuration commands, one per line.  End with CNTL/Z.\r\n";

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += line;
    }
    return out;
}

}  // namespace

std::vector<std::string> crlf_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(std::string(line) + "\r\n");
        if (nl == std::string_view::npos) {
            break;
        }
        text.remove_prefix(nl + 1);
    }
    return lines;
}

std::vector<std::string> verbatim_lines(std::string_view bytes) {
    std::vector<std::string> lines;
    while (!bytes.empty()) {
        const auto nl = bytes.find('\n');
        if (nl == std::string_view::npos) {
            // A capture without a final newline would glue the prompt to the
            // last row; a real switch always ends the line.
            lines.push_back(std::string(bytes) + "\r\n");
            break;
        }
        lines.emplace_back(bytes.substr(0, nl + 1));
        bytes.remove_prefix(nl + 1);
    }
    return lines;
}

CliSession::CliSession(SessionEnv env, bool privileged)
    : env_(env), privileged_(privileged), random_(std::random_device{}()) {
}

CliSession::~CliSession() {
    end_switch_command();
}

void CliSession::end_switch_command() {
    if (switch_command_in_flight_) {
        switch_command_in_flight_ = false;
        env_.stats.end_switch_command();
    }
}

void CliSession::push_text(std::string text) {
    Step step;
    step.kind = Step::Kind::text;
    step.text = std::move(text);
    steps_.push_back(std::move(step));
}

void CliSession::push_wait(Clock::time_point until) {
    Step step;
    step.kind = Step::Kind::wait;
    step.until = until;
    steps_.push_back(std::move(step));
}

void CliSession::push_paged(Producer producer) {
    Step step;
    step.kind = Step::Kind::paged;
    step.producer = std::move(producer);
    steps_.push_back(std::move(step));
}

void CliSession::push_prompt() {
    push_kind(Step::Kind::prompt);
}

void CliSession::push_action(std::function<void(Clock::time_point)> action) {
    Step step;
    step.kind = Step::Kind::action;
    step.action = std::move(action);
    steps_.push_back(std::move(step));
}

void CliSession::push_kind(Step::Kind kind) {
    Step step;
    step.kind = kind;
    steps_.push_back(std::move(step));
}

std::string CliSession::prompt() const {
    const std::string& host = env_.state.hostname();
    switch (mode_) {
        case CliMode::exec:
            return host + (privileged_ ? "#" : ">");
        case CliMode::config:
            return host.substr(0, config_prompt_hostname_length) + "(config)#";
        case CliMode::config_if:
            return host.substr(0, config_prompt_hostname_length) + "(config-if)#";
    }
    return host + ">";
}

void CliSession::start_shell(Clock::time_point now) {
    last_activity_ = now;
    const auto settings = env_.settings.get();
    std::string greeting = "\r\n";
    if (!settings.banner.empty()) {
        greeting += join(crlf_lines(settings.banner)) + "\r\n";
    }
    push_text(std::move(greeting));
    push_prompt();
}

void CliSession::start_exec(std::string_view command, Clock::time_point now) {
    last_activity_ = now;
    exec_channel_ = true;
    page_length_ = 0;
    execute_line(std::string(command), now);
}

void CliSession::feed(std::string_view bytes, Clock::time_point now) {
    if (!bytes.empty()) {
        last_activity_ = now;
    }
    // Drop what was consumed so typeahead cannot grow the buffer forever.
    input_.erase(0, input_pos_);
    input_pos_ = 0;
    input_.append(bytes);
}

std::string CliSession::take_output() {
    std::string out;
    out.swap(out_);
    return out;
}

std::optional<Clock::time_point> CliSession::next_wakeup() const {
    // A wedged line and a --More-- prompt wait for the client, not the clock.
    if (hung_ || paging_ || outcome_ != Outcome::running) {
        return std::nullopt;
    }
    if (!steps_.empty()) {
        // After advance() only a wait can be at the front; anything else is
        // due at once, which a past instant says safely.
        return steps_.front().kind == Step::Kind::wait ? steps_.front().until : last_activity_;
    }
    const auto timeout = env_.settings.get().exec_timeout;
    if (timeout.count() <= 0) {
        return std::nullopt;
    }
    return last_activity_ + timeout;
}

bool CliSession::run_step(Clock::time_point now) {
    Step& step = steps_.front();
    switch (step.kind) {
        case Step::Kind::text:
            out_ += step.text;
            break;
        case Step::Kind::wait:
            if (now < step.until) {
                return false;
            }
            break;
        case Step::Kind::paged: {
            auto producer = std::move(step.producer);
            steps_.pop_front();
            start_paging(producer(now));
            return true;
        }
        case Step::Kind::prompt:
            if (!exec_channel_) {
                out_ += prompt();
            }
            break;
        case Step::Kind::action: {
            auto action = std::move(step.action);
            steps_.pop_front();
            action(now);
            return true;
        }
        case Step::Kind::close:
            outcome_ = Outcome::close;
            steps_.clear();
            return false;
        case Step::Kind::drop:
            outcome_ = Outcome::drop;
            steps_.clear();
            return false;
        case Step::Kind::hang:
            hung_ = true;
            steps_.clear();
            return false;
    }
    steps_.pop_front();
    return true;
}

void CliSession::advance(Clock::time_point now) {
    while (outcome_ == Outcome::running && !hung_) {
        if (paging_) {
            if (input_pos_ >= input_.size()) {
                if (eof_) {
                    outcome_ = Outcome::close;  // nobody left to press space
                }
                return;
            }
            handle_pager_key(input_[input_pos_++]);
            continue;
        }
        if (!steps_.empty()) {
            if (!run_step(now)) {
                return;
            }
            continue;
        }
        if (exec_channel_ && input_state_ == InputState::command) {
            outcome_ = Outcome::close;
            return;
        }
        if (input_pos_ >= input_.size()) {
            const auto timeout = env_.settings.get().exec_timeout;
            if (eof_) {
                outcome_ = Outcome::close;
            } else if (timeout.count() > 0 && now >= last_activity_ + timeout) {
                timed_out_ = true;
                outcome_ = Outcome::close;
            }
            return;
        }
        handle_byte(input_[input_pos_++], now);
    }
    if (hung_) {
        // A wedged vty still drains its input; it just never answers.
        input_.clear();
        input_pos_ = 0;
    }
}

void CliSession::start_paging(Lines lines) {
    if (drop_in_output_) {
        const std::string all = join(lines);
        out_ += all.substr(0, std::max<std::size_t>(1, all.size() / 2));
        outcome_ = Outcome::drop;
        steps_.clear();
        return;
    }
    if (page_length_ == 0) {
        out_ += join(lines);
        return;
    }
    pending_lines_.assign(std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
    // A screen of N lines shows N-1 lines of output and the --More-- line.
    show_page(std::max<std::size_t>(1, page_length_ - 1));
}

void CliSession::show_page(std::size_t lines) {
    for (std::size_t i = 0; i < lines && !pending_lines_.empty(); ++i) {
        out_ += pending_lines_.front();
        pending_lines_.pop_front();
    }
    paging_ = !pending_lines_.empty();
    if (paging_) {
        out_ += more_prompt;
    }
}

void CliSession::handle_pager_key(char c) {
    if (last_was_cr_ && c == '\n') {
        last_was_cr_ = false;
        return;
    }
    last_was_cr_ = c == '\r';
    // IOS rubs the --More-- prompt out with backspaces before continuing.
    const std::string rub(more_prompt.size(), '\b');
    out_ += rub + std::string(more_prompt.size(), ' ') + rub;
    if (c == ' ') {
        show_page(std::max<std::size_t>(1, page_length_ - 1));
    } else if (c == '\r' || c == '\n') {
        show_page(1);
    } else {
        pending_lines_.clear();
        paging_ = false;
    }
}

void CliSession::handle_byte(char c, Clock::time_point now) {
    if (last_was_cr_ && c == '\n') {
        last_was_cr_ = false;
        return;
    }
    last_was_cr_ = c == '\r';
    const bool echo = input_state_ != InputState::enable_secret;
    switch (c) {
        case '\r':
        case '\n': {
            out_ += "\r\n";
            std::string line;
            line.swap(line_);
            switch (input_state_) {
                case InputState::command:
                    execute_line(line, now);
                    break;
                case InputState::enable_secret: {
                    const auto settings = env_.settings.get();
                    const bool ok =
                        !refusing_enable_ && (!settings.enable_secret || line == *settings.enable_secret);
                    if (ok) {
                        privileged_ = true;
                        input_state_ = InputState::command;
                        push_prompt();
                    } else {
                        finish_enable_attempt(now);
                    }
                    break;
                }
                case InputState::confirm_configure: {
                    input_state_ = InputState::command;
                    const auto answer = trim(line);
                    if (answer.empty() || istarts_with("terminal", answer)) {
                        push_text(std::string(config_banner));
                        mode_ = CliMode::config;
                    } else {
                        push_text("?Must be \"terminal\", \"memory\" or \"network\"\r\n");
                    }
                    push_prompt();
                    break;
                }
                case InputState::confirm_copy: {
                    input_state_ = InputState::command;
                    const auto settings = env_.settings.get();
                    env_.stats.begin_switch_command();
                    switch_command_in_flight_ = true;
                    push_write_memory(settings, now);
                    push_action([this](Clock::time_point) { end_switch_command(); });
                    push_prompt();
                    break;
                }
            }
            return;
        }
        case '\b':
        case '\x7f':
            if (!line_.empty()) {
                line_.pop_back();
                if (echo) {
                    out_ += "\b \b";
                }
            }
            return;
        case '\x15':  // Ctrl-U: kill the line
            if (echo) {
                for (std::size_t i = 0; i < line_.size(); ++i) {
                    out_ += "\b \b";
                }
            }
            line_.clear();
            return;
        case '\x1a':  // Ctrl-Z: leave configuration mode like `end`
        case '\x03':  // Ctrl-C: abandon the line (and configuration mode)
            if (input_state_ != InputState::command) {
                return;
            }
            line_.clear();
            if (mode_ != CliMode::exec) {
                out_ += c == '\x1a' ? "^Z\r\n" : "\r\n";
                mode_ = CliMode::exec;
                push_prompt();
            } else if (c == '\x03') {
                out_ += "\r\n";
                push_prompt();
            }
            return;
        default:
            break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
        return;  // Tab completion, escape sequences and the like: ignored
    }
    if (line_.size() >= max_line_length) {
        return;
    }
    line_ += c;
    if (echo) {
        out_ += c;
    }
}

void CliSession::finish_enable_attempt(Clock::time_point) {
    ++enable_attempts_;
    if (enable_attempts_ < enable_tries) {
        push_text("Password: ");
        return;
    }
    input_state_ = InputState::command;
    push_text("% Bad secrets\r\n\r\n");
    push_prompt();
}

std::string CliSession::garbage() {
    std::uniform_int_distribution<int> line_count(3, 6);
    std::uniform_int_distribution<int> line_length(20, 70);
    std::uniform_int_distribution<int> byte(0x21, 0xfe);
    std::string out;
    const int lines = line_count(random_);
    for (int i = 0; i < lines; ++i) {
        const int length = line_length(random_);
        for (int k = 0; k < length; ++k) {
            int value = byte(random_);
            if (value == 0x7f) {
                value = '?';
            }
            out += static_cast<char>(value);
        }
        out += "\r\n";
    }
    return out;
}

void CliSession::push_invalid(std::size_t caret) {
    const std::size_t prompt_width = exec_channel_ ? 0 : prompt().size();
    push_text(std::string(prompt_width + caret, ' ') +
              "^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
}

void CliSession::push_parse_error(const ParseError& error, std::string_view line) {
    switch (error.kind) {
        case ParseError::Kind::invalid:
            push_invalid(error.caret);
            break;
        case ParseError::Kind::incomplete:
            push_text("% Incomplete command.\r\n\r\n");
            break;
        case ParseError::Kind::ambiguous:
            push_text("% Ambiguous command:  \"" + std::string(trim(line)) + "\"\r\n");
            break;
    }
}

void CliSession::execute_line(const std::string& line, Clock::time_point now) {
    const std::string_view trimmed = trim(line);
    if (trimmed.empty() || (mode_ != CliMode::exec && trimmed.front() == '!')) {
        push_prompt();
        return;
    }
    auto parsed = parse_command(line, mode_, privileged_, env_.state.port_ids());
    const Command* command = std::get_if<Command>(&parsed);
    // `do` reaches EXEC commands, not the ones that change the mode.
    if (command != nullptr && command->via_do &&
        (command->id == CommandId::enable || command->id == CommandId::disable ||
         command->id == CommandId::exit || command->id == CommandId::logout ||
         command->id == CommandId::configure || command->id == CommandId::configure_terminal)) {
        parsed = ParseError{ParseError::Kind::invalid, line.find_first_not_of(" \t") + 3};
        command = nullptr;
    }

    const auto faults = env_.faults.on_command(command != nullptr ? command->canonical : "", trimmed);
    const auto settings = env_.settings.get();
    env_.stats.command(command != nullptr ? stats_name(command->id) : "");

    if (faults.action == CommandFaults::Action::hang) {
        push_kind(Step::Kind::hang);
        return;
    }
    const auto delay = settings.command_delay + faults.extra_delay;
    const Clock::time_point at = now + delay;
    // `copy` only touches the switch once its question is answered.
    const bool switch_command = command != nullptr && touches_switch_state(command->id) &&
                                command->id != CommandId::copy_running_startup &&
                                faults.action == CommandFaults::Action::none;
    if (switch_command) {
        env_.stats.begin_switch_command();
        switch_command_in_flight_ = true;
    }
    if (delay.count() > 0) {
        push_wait(at);
    }

    bool wants_prompt = true;
    switch (faults.action) {
        case CommandFaults::Action::garbage:
            push_text(garbage());
            break;
        case CommandFaults::Action::invalid:
            push_invalid(line.find_first_not_of(" \t"));
            break;
        case CommandFaults::Action::rejected:
            // What IOS prints when a command parses but the platform refuses it.
            push_text("Command rejected: " + std::string(trimmed) + " is not allowed.\r\n");
            break;
        case CommandFaults::Action::authorization:
            // AAA (TACACS+) command authorization said no.
            push_text("Command authorization failed.\r\n");
            break;
        case CommandFaults::Action::drop:
            drop_in_output_ = true;
            if (command != nullptr) {
                run_command(*command, settings, at);
            }
            push_kind(Step::Kind::drop);
            return;
        case CommandFaults::Action::none:
            if (command != nullptr) {
                wants_prompt = run_command(*command, settings, at);
            } else {
                push_parse_error(std::get<ParseError>(parsed), line);
            }
            break;
        case CommandFaults::Action::hang:
            break;
    }
    if (switch_command) {
        push_action([this](Clock::time_point) { end_switch_command(); });
    }
    if (faults.drop_after) {
        push_kind(Step::Kind::drop);
    } else if (wants_prompt) {
        push_prompt();
    }
}

void CliSession::push_write_memory(const SettingsValues& settings, Clock::time_point at) {
    push_text("Building configuration...\r\n");
    push_wait(at + settings.write_delay);
    push_text("[OK]\r\n");
}

bool CliSession::run_command(const Command& command, const SettingsValues& settings, Clock::time_point at) {
    SwitchState& state = env_.state;
    switch (command.id) {
        case CommandId::enable:
            if (privileged_) {
                return true;
            }
            refusing_enable_ = env_.faults.take_refuse_enable();
            if (!refusing_enable_ && !settings.enable_secret) {
                privileged_ = true;
                return true;
            }
            enable_attempts_ = 0;
            input_state_ = InputState::enable_secret;
            push_text("Password: ");
            return false;
        case CommandId::disable:
            privileged_ = false;
            return true;
        case CommandId::exit:
            if (mode_ == CliMode::exec) {
                push_kind(Step::Kind::close);
                return false;
            }
            mode_ = mode_ == CliMode::config_if ? CliMode::config : CliMode::exec;
            return true;
        case CommandId::logout:
            push_kind(Step::Kind::close);
            return false;
        case CommandId::terminal_length:
            page_length_ = static_cast<std::size_t>(command.number.value_or(24));
            return true;
        case CommandId::terminal_width:
            return true;
        case CommandId::show_power_inline:
            if (settings.replay) {
                push_paged([bytes = *settings.replay](Clock::time_point) { return verbatim_lines(bytes); });
            } else {
                push_paged([&state, style = settings.style](Clock::time_point now) {
                    return crlf_lines(render_power_inline(state.snapshot(now), style));
                });
            }
            return true;
        case CommandId::show_power_inline_interface:
        case CommandId::show_power_inline_detail:
            push_paged([&state, style = settings.style, id = *command.interface,
                        detail = command.id == CommandId::show_power_inline_detail](Clock::time_point now) {
                const auto port = state.port(id, now);
                return crlf_lines(detail ? render_power_inline_detail(*port)
                                         : render_power_inline_port(*port, style));
            });
            return true;
        case CommandId::show_running_config:
            push_paged([&state, style = settings.style](Clock::time_point now) {
                return crlf_lines(render_running_config(state.hostname(), state.snapshot(now), style));
            });
            return true;
        case CommandId::show_running_config_interface:
            push_paged([&state, id = *command.interface](Clock::time_point now) {
                return crlf_lines(render_running_config_interface(*state.port(id, now)));
            });
            return true;
        case CommandId::show_version:
            push_paged([this, style = settings.style](Clock::time_point now) {
                const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(now - env_.booted);
                return crlf_lines(
                    render_version(env_.state.hostname(), env_.state.snapshot(now), style, uptime));
            });
            return true;
        case CommandId::show_clock:
            push_paged([](Clock::time_point) { return crlf_lines(render_clock()); });
            return true;
        case CommandId::show_privilege:
            push_text(std::string("Current privilege level is ") + (privileged_ ? "15" : "1") + "\r\n");
            return true;
        case CommandId::configure:
            input_state_ = InputState::confirm_configure;
            push_text("Configuring from terminal, memory, or network [terminal]? ");
            return false;
        case CommandId::configure_terminal:
            push_text(std::string(config_banner));
            mode_ = CliMode::config;
            return true;
        case CommandId::write_memory:
            push_write_memory(settings, at);
            return true;
        case CommandId::copy_running_startup:
            input_state_ = InputState::confirm_copy;
            push_text("Destination filename [startup-config]? ");
            return false;
        case CommandId::interface:
            mode_ = CliMode::config_if;
            current_interface_ = command.interface;
            return true;
        case CommandId::end:
            mode_ = CliMode::exec;
            return true;
        case CommandId::power_inline_auto:
        case CommandId::power_inline_never:
        case CommandId::power_inline_static:
        case CommandId::no_power_inline: {
            const InterfaceId id = *current_interface_;
            if (command.number && *command.number > id.type->default_max_mw) {
                push_invalid(command.number_offset);
                return true;
            }
            const AdminMode mode = command.id == CommandId::power_inline_never    ? AdminMode::never
                                   : command.id == CommandId::power_inline_static ? AdminMode::static_power
                                                                                  : AdminMode::automatic;
            push_action([this, id, mode, max = command.number,
                         detect = settings.detect_delay](Clock::time_point now) {
                if (env_.state.set_power(id, mode, max, now, detect)) {
                    env_.stats.config_changed();
                }
            });
            return true;
        }
        case CommandId::shutdown:
        case CommandId::no_shutdown: {
            const InterfaceId id = *current_interface_;
            push_action([this, id, down = command.id == CommandId::shutdown](Clock::time_point) {
                env_.state.set_shutdown(id, down);
            });
            return true;
        }
    }
    return true;
}

}  // namespace ios_sim
