#!/usr/bin/env bash
# Builds and runs the consumer projects against an installed libpoe.
#
#   tests/package/run-consumers.sh PREFIX   a `cmake --install` prefix: found
#                                           through CMAKE_PREFIX_PATH and
#                                           PKG_CONFIG_PATH, run with
#                                           LD_LIBRARY_PATH
#   tests/package/run-consumers.sh ""       the system (after dpkg -i of
#                                           libpoe0 and libpoe-dev)
#
# Exits non-zero when a consumer does not configure, build or pass.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 PREFIX_OR_EMPTY" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
prefix=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Nothing from the caller's environment may point at another libpoe.
unset CMAKE_PREFIX_PATH PKG_CONFIG_PATH LD_LIBRARY_PATH poe_DIR
if [[ -n $prefix ]]; then
    prefix=$(realpath "$prefix")
    pc=$(find "$prefix" -path '*/pkgconfig/poe.pc' -print -quit)
    if [[ -z $pc ]]; then
        echo "run-consumers: no pkgconfig/poe.pc under $prefix" >&2
        exit 1
    fi
    export CMAKE_PREFIX_PATH=$prefix
    export PKG_CONFIG_PATH=${pc%/poe.pc}
    LD_LIBRARY_PATH=$(pkg-config --variable=libdir poe)
    export LD_LIBRARY_PATH
    where="prefix $prefix"
else
    where="the system"
fi
echo "run-consumers: libpoe from $where: pkg-config poe $(pkg-config --modversion poe)," \
    "cflags '$(pkg-config --cflags poe)', libs '$(pkg-config --libs poe)'"

echo "run-consumers: cmake-consumer"
cmake -S "$here/cmake-consumer" -B "$work/cmake" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$work/cmake" -j 2
"$work/cmake/cmake-consumer"

echo "run-consumers: pkgconfig-consumer"
# shellcheck disable=SC2046 # word splitting of pkg-config's output is intended
g++ -std=c++20 -Wall -Wextra -Werror -o "$work/pkgconfig-consumer" "$here/pkgconfig-consumer/main.cpp" \
    $(pkg-config --cflags --libs poe)
"$work/pkgconfig-consumer"

for exe in "$work/cmake/cmake-consumer" "$work/pkgconfig-consumer"; do
    echo "run-consumers: $(basename "$exe") loads $(ldd "$exe" | awk '/libpoe/ {print $3}')"
done
echo "run-consumers: both consumers passed against $where"
