#!/usr/bin/env bash
# Builds the Debian source and binary packages (libpoe0, libpoe-dev,
# maas-bridge) into packaging/out/ and runs lintian on them. Called by
# `make deb`.
#
# The tree itself is never touched: the source files (what git tracks or
# would track, so no build directories) are copied to
# packaging/out/stage/libpoe-VERSION/, the upstream tarball is made from
# that copy, packaging/debian/ becomes its debian/, and dpkg-buildpackage
# runs there. packaging/out/ is git-ignored.
#
# Environment: JOBS (parallel build jobs, default 2); DEB_NOCHECK=1 (default)
# skips the test suite in the package build because CI runs it from the same
# tree with `make test`; DEB_NOCHECK=0 builds and runs it (needs the
# <!nocheck> Build-Depends).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
out=$root/packaging/out
jobs=${JOBS:-2}
nocheck=${DEB_NOCHECK:-1}

version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
source_name=$(dpkg-parsechangelog -l packaging/debian/changelog -S Source)
upstream=${version%-*}
cmake_version=$(sed -nE 's/^project\([^)]*VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
if [[ $upstream != "$cmake_version" ]]; then
    echo "build-debs: debian/changelog says $upstream, CMakeLists.txt project() says $cmake_version" >&2
    exit 1
fi

rm -rf "$out"
stage=$out/stage
src=$stage/$source_name-$upstream
mkdir -p "$src"

# The source files: tracked plus untracked-but-not-ignored (the lead commits
# later), skipping deleted ones; without git, everything but build output.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard --deduplicate |
        while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
        tar --null --no-recursion -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude-vcs --exclude='./build*' --exclude=./packaging/out -cf - . | tar -xf - -C "$src"
fi

# Reproducible upstream tarball (3.0 (quilt) needs one; debian/ is not in it).
epoch=$(dpkg-parsechangelog -l packaging/debian/changelog -S Timestamp)
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -cJf "$stage/${source_name}_$upstream.orig.tar.xz" "$source_name-$upstream"
cp -a packaging/debian "$src/debian"

build_options="parallel=$jobs"
profiles=()
if [[ $nocheck == 1 ]]; then
    build_options+=" nocheck"
    profiles=(-Pnocheck)
fi
echo "build-debs: $source_name $version, DEB_BUILD_OPTIONS='$build_options'"
(cd "$src" && DEB_BUILD_OPTIONS=$build_options dpkg-buildpackage -us -uc "${profiles[@]}")

find "$stage" -maxdepth 1 -type f -exec mv -t "$out" {} +
rm -rf "$stage"
echo "build-debs: built in packaging/out/:"
ls -1 "$out"
for deb in "$out"/*.deb; do
    echo "--- $(basename "$deb")"
    dpkg-deb --contents "$deb" | awk '{print $1, $6, $7, $8}'
done

# --fail-on error,warning: any E: or W: tag not overridden fails the build.
# Overrides live in packaging/debian/*lintian-overrides with their reasons.
echo "build-debs: lintian"
lintian --fail-on error,warning --display-info \
    "$out/${source_name}_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).changes"
echo "build-debs: lintian: no errors or warnings"
