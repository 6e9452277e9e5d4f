#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sim_context.hpp"
#include "ssh_server.hpp"

namespace ios_sim {

/// Line commands that change the running simulator (see README.md). Every
/// non-empty line gets exactly one line back: `ok`, `error: ...`, or the
/// requested data, so a test can treat it as request/response.
class ControlChannel {
public:
    ControlChannel(SimContext& context, SshServer& server, std::function<void()> quit);

    std::string handle(std::string_view line);
    /// Serves stdin until EOF or `quit`; EOF also quits, so a simulator whose
    /// test process died does not linger.
    void serve_stdin();

    /// Shared by `--fault` and `fault`: nullopt on success, else the error.
    static std::optional<std::string> add_fault(FaultSet& faults, std::string_view spec);

private:
    std::string handle_set(const std::vector<std::string>& words);
    std::string handle_port(const std::vector<std::string>& words);
    std::string handle_fault(const std::vector<std::string>& words);
    std::optional<InterfaceId> find_port(std::string_view name) const;

    SimContext& context_;
    SshServer& server_;
    std::function<void()> quit_;
};

/// Writes @p text to @p path through a temporary file and rename(), so a
/// reader never sees a half-written file. Returns false on failure.
bool write_file_atomically(const std::string& path, const std::string& text);

}  // namespace ios_sim
