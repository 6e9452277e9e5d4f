// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// poectl's commands, runnable in-process (tests call run() directly).

#include <iosfwd>
#include <string>
#include <vector>

namespace poectl {

/// Exit codes scripts can rely on.
enum ExitCode : int {
    exit_ok = 0,           ///< Done.
    exit_failed = 1,       ///< The switch refused or failed the operation.
    exit_usage = 2,        ///< Bad command line, bad configuration, unknown machine/switch/port.
    exit_unreachable = 3,  ///< Switch unreachable, login/host key refused, or timed out.
};

/// Runs one poectl command line (without the program name). Results go to
/// `out`, errors and progress to `err`.
/// @return an ExitCode.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace poectl
