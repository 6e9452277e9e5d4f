#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "command_parser.hpp"
#include "fault_set.hpp"
#include "sim_settings.hpp"
#include "sim_stats.hpp"
#include "switch_state.hpp"

namespace ios_sim {

/// What a session shares with the rest of the simulator.
struct SessionEnv {
    SwitchState& state;
    FaultSet& faults;
    SimStats& stats;
    RuntimeSettings& settings;
    Clock::time_point booted;  ///< for `show version` uptime
};

/// One vty line's CLI: bytes in from the client, bytes out to it. It knows
/// nothing about SSH, so it is tested directly; time is passed in so that
/// delays are exact and tests need no sleeps.
///
/// Not thread-safe: one per session, driven by that session's thread.
class CliSession {
public:
    enum class Outcome { running, close, drop };

    CliSession(SessionEnv env, bool privileged);
    ~CliSession();
    CliSession(const CliSession&) = delete;
    CliSession& operator=(const CliSession&) = delete;

    /// Interactive shell: banner, then the first prompt.
    void start_shell(Clock::time_point now);
    /// `ssh host cmd`: runs one command without echo or prompt, then closes.
    void start_exec(std::string_view command, Clock::time_point now);

    void feed(std::string_view bytes, Clock::time_point now);
    /// The client sent EOF: finish the buffered input, then close.
    void peer_eof() { eof_ = true; }
    /// Does all work that is due at @p now.
    void advance(Clock::time_point now);
    std::string take_output();
    /// When advance() next has something to do without new input.
    std::optional<Clock::time_point> next_wakeup() const;

    Outcome outcome() const { return outcome_; }
    bool timed_out() const { return timed_out_; }
    CliMode mode() const { return mode_; }
    bool privileged() const { return privileged_; }

private:
    enum class InputState { command, enable_secret, confirm_configure, confirm_copy };

    using Lines = std::vector<std::string>;
    using Producer = std::function<Lines(Clock::time_point)>;

    struct Step {
        enum class Kind { text, wait, paged, prompt, action, close, drop, hang };
        Kind kind = Kind::text;
        std::string text;
        Clock::time_point until{};
        Producer producer;
        std::function<void(Clock::time_point)> action;
    };

    void push_text(std::string text);
    void push_wait(Clock::time_point until);
    void push_paged(Producer producer);
    void push_prompt();
    void push_action(std::function<void(Clock::time_point)> action);
    void push_kind(Step::Kind kind);

    bool run_step(Clock::time_point now);
    void handle_byte(char c, Clock::time_point now);
    void handle_pager_key(char c);
    void show_page(std::size_t lines);
    void start_paging(Lines lines);

    void execute_line(const std::string& line, Clock::time_point now);
    /// Queues the answer to a parsed command; false when it asked a question
    /// and must not be followed by a prompt.
    bool run_command(const Command& command, const SettingsValues& settings, Clock::time_point at);
    void push_parse_error(const ParseError& error, std::string_view line);
    void push_invalid(std::size_t caret);
    void push_write_memory(const SettingsValues& settings, Clock::time_point at);
    void finish_enable_attempt(Clock::time_point now);
    void end_switch_command();

    std::string prompt() const;
    std::string garbage();

    SessionEnv env_;
    bool privileged_;
    CliMode mode_ = CliMode::exec;
    std::optional<InterfaceId> current_interface_;
    InputState input_state_ = InputState::command;
    bool exec_channel_ = false;
    bool eof_ = false;
    bool hung_ = false;
    bool timed_out_ = false;
    bool drop_in_output_ = false;
    bool switch_command_in_flight_ = false;
    bool last_was_cr_ = false;
    bool refusing_enable_ = false;
    int enable_attempts_ = 0;
    std::size_t page_length_ = 24;
    Outcome outcome_ = Outcome::running;
    Clock::time_point last_activity_{};

    std::string input_;
    std::size_t input_pos_ = 0;
    std::string line_;
    std::string out_;
    std::deque<Step> steps_;
    std::deque<std::string> pending_lines_;
    bool paging_ = false;
    std::mt19937 random_;
};

/// Splits rendered text ("\n" line ends) into CRLF lines, as a PTY sends them.
std::vector<std::string> crlf_lines(std::string_view text);
/// Splits bytes after each "\n", keeping them verbatim.
std::vector<std::string> verbatim_lines(std::string_view bytes);

}  // namespace ios_sim
