// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs poectl in-process, as a user's shell would, capturing what it prints.

#include "poectl_app.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace poectl_test {

struct PoectlRun {
    int code{-1};     ///< Exit status.
    std::string out;  ///< What went to stdout.
    std::string err;  ///< What went to stderr.
};

inline PoectlRun poectl(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    PoectlRun run;
    run.code = poectl::run(args, out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
}

}  // namespace poectl_test
