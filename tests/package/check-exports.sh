#!/usr/bin/env bash
# Checks that a built libpoe exports its public API and nothing else:
# every dynamic symbol it defines must be in namespace poe (or be the
# vtable/typeinfo of a poe class), and none may belong to an implementation
# detail (an Impl, or the poe::fake / poe::ios / poe::detail namespaces).
#
#   tests/package/check-exports.sh /usr/lib/x86_64-linux-gnu/libpoe.so.0
set -euo pipefail

if [[ $# -ne 1 || ! -f $1 ]]; then
    echo "usage: $0 PATH/TO/libpoe.so.N" >&2
    exit 2
fi
lib=$1

# `nm -D --defined-only -C`: "ADDRESS TYPE NAME..." -> "NAME..."
symbols=$(nm -D --defined-only -C "$lib" | sed -E 's/^[0-9a-f]+ [A-Za-z] //')
public='^((typeinfo|typeinfo name|vtable) for )?poe::'
internal='(::Impl::|::Impl$|^poe::(fake|ios|detail)::|for poe::(fake|ios|detail)::)'

bad=$(grep -Ev "$public" <<<"$symbols" || true)
bad+=$'\n'$(grep -E "$internal" <<<"$symbols" || true)
bad=$(sed '/^$/d' <<<"$bad")
count=$(wc -l <<<"$symbols")
if [[ -n $bad ]]; then
    echo "check-exports: $lib exports $(wc -l <<<"$bad") symbol(s) outside the public poe:: API:" >&2
    while IFS= read -r line; do echo "  $line"; done <<<"$bad" >&2
    exit 1
fi
echo "check-exports: $lib: $count exported symbols, all public poe:: API"
