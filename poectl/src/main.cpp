// SPDX-License-Identifier: Apache-2.0
// poectl: PoE power control from the shell, on maas-bridge's configuration.

#include "poectl_app.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return poectl::run(args, std::cout, std::cerr);
}
