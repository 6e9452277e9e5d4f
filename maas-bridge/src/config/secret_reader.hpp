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
