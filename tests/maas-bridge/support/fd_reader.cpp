// SPDX-License-Identifier: Apache-2.0
#include "support/fd_reader.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <unistd.h>

#include <array>

namespace maas_bridge::testing {

std::string read_from(int fd, std::string_view until) {
    std::string text;
    std::array<char, 4096> buffer{};
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10'000) <= 0) {
            ADD_FAILURE() << "no output within 10 s waiting for \"" << until << "\"; so far: " << text;
            return text;
        }
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n <= 0) {
            return text;
        }
        text.append(buffer.data(), static_cast<std::size_t>(n));
        if (!until.empty() && text.find(until) != std::string::npos) {
            return text;
        }
    }
}

}  // namespace maas_bridge::testing
