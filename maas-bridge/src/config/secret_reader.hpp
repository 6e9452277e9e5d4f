// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reads secrets (tokens, passwords) from files and systemd credentials.
/// Messages name the file, never its content.

#include <poe/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace maas_bridge {

/// Largest secret file accepted.
inline constexpr std::size_t max_secret_bytes = 4096;

/// A secret read from disk, plus a warning when the file is readable by
/// group or others (empty otherwise).
struct SecretText {
    std::string value;
    std::string warning;
};

/// Reads a whole regular file of at most `max_bytes` (PEM files and the
/// like), without waiting on a FIFO. `kind` names the file in messages
/// ("secret file", "certificate file"). The warning is set when the file is
/// accessible by group or others.
/// @return invalid_argument "<kind> \"PATH\": problem" (never the content).
poe::Result<SecretText> read_private_file(const std::string& path, std::size_t max_bytes,
                                          std::string_view kind);

/// $CREDENTIALS_DIRECTORY/NAME for systemd credential `name`. `alternative`
/// completes the hint given when the directory is empty ("KEY_file").
/// @return invalid_argument when the directory is empty (not run under
///         systemd) or the name is not a plain file name.
poe::Result<std::string> credential_path(std::string_view credentials_directory, std::string_view name,
                                         std::string_view alternative);

/// Reads a regular file of at most max_secret_bytes, strips one trailing
/// "\n" or "\r\n" and refuses an empty result or one containing NUL or a line break.
/// @return invalid_argument naming the path and the problem.
poe::Result<SecretText> read_secret_file(const std::string& path);

/// Reads systemd credential `name` from `credentials_directory`
/// ($CREDENTIALS_DIRECTORY, set by LoadCredential=/SetCredential=).
/// @return invalid_argument when the directory is empty (not run under
///         systemd), the name is not a plain file name, or the file is bad.
poe::Result<SecretText> read_credential(std::string_view credentials_directory, std::string_view name);

}  // namespace maas_bridge
