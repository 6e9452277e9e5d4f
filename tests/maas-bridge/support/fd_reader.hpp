// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reading a child process's stdout/stderr pipe in tests.

#include <string>
#include <string_view>

namespace maas_bridge::testing {

/// Reads `fd` until EOF, until `until` appears (when not empty), or until no
/// byte arrives for 10 s (then the test fails with what was read so far).
/// @return everything read.
std::string read_from(int fd, std::string_view until = {});

}  // namespace maas_bridge::testing
