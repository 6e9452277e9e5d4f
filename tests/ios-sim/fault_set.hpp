#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ios_sim {

enum class FaultKind {
    slow,
    hang,
    drop,
    drop_after,
    garbage,
    invalid,
    rejected,
    authorization,
    refuse_login,
    refuse_enable,
};

/// What the faults say about one command line.
struct CommandFaults {
    enum class Action { none, hang, drop, garbage, invalid, rejected, authorization };
    Action action = Action::none;
    std::chrono::milliseconds extra_delay{0};
    bool drop_after = false;  ///< answer normally, then drop the connection
};

/// Injected faults, shared by every session and changed at run time by the
/// control channel (internally locked). Syntax: see README.md.
class FaultSet {
public:
    /// Adds a fault from words such as {"hang", "show power inline", "1"}.
    /// Returns an error message, or nullopt on success.
    std::optional<std::string> add(const std::vector<std::string>& words);
    /// Removes all faults, or those of one kind.
    void clear(std::optional<FaultKind> kind = std::nullopt);

    /// Consumes the faults that fire for a command. @p canonical is the
    /// expanded command (or empty when it did not parse), @p typed the raw line.
    CommandFaults on_command(std::string_view canonical, std::string_view typed);
    bool take_refuse_login();
    bool take_refuse_enable();

    /// One line per armed fault, for the `faults` control command.
    std::string describe() const;

    static std::optional<FaultKind> parse_kind(std::string_view name);

private:
    struct Fault {
        FaultKind kind = FaultKind::slow;
        std::string pattern;
        std::chrono::milliseconds delay{0};
        long long remaining = -1;  ///< times it still fires; -1 = forever
        long long after = 0;       ///< drop-after: commands still to go
    };

    static bool matches(const Fault& fault, std::string_view canonical, std::string_view typed);
    static void consume(std::vector<Fault>& faults, std::size_t index);
    bool take_simple(FaultKind kind);

    mutable std::mutex mutex_;
    std::vector<Fault> faults_;
};

}  // namespace ios_sim
