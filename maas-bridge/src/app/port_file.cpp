// SPDX-License-Identifier: Apache-2.0
#include "app/port_file.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

#include <unistd.h>

namespace maas_bridge {

poe::Result<void> write_port_file(const std::string& path, std::uint16_t port) {
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << port << "\n";
        out.close();
        if (!out) {
            return poe::make_error(poe::ErrorCode::invalid_argument, "cannot write port file " + temporary);
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        const std::string why = ec.message();
        std::filesystem::remove(temporary, ec);
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "cannot write port file " + path + ": " + why);
    }
    return poe::success();
}

}  // namespace maas_bridge
