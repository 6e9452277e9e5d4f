#!/usr/bin/env bash
# Installs the packages from packaging/out/ (built by `make deb`), checks that
# they work as installed, and purges them again, also on failure. Called by
# `make deb-test`; needs root (dpkg -i) and changes the system while it runs.
#
# Checks: the default configuration passes --check-config (maas-bridge and
# poectl); poectl works on the demo configuration; the installed
# daemon serves the demo configuration (GET /v1/machines/pi-01 says
# "running") and exits 0 on SIGTERM; the consumer projects build and run
# against the installed libpoe-dev; the library exports only its API; the
# systemd unit passes `systemd-analyze verify` and its exposure score is at
# most 2.0 ("OK").
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
out=$root/packaging/out
packages=(maas-bridge libpoe-dev libpoe0)
unit=/lib/systemd/system/maas-bridge.service
config=/etc/maas-bridge/maas-bridge.yaml
max_exposure=2.0

if [[ $(id -u) != 0 ]]; then
    echo "test-debs: must run as root (it installs and purges the packages)" >&2
    exit 1
fi
shopt -s nullglob
debs=("$out"/libpoe0_*.deb "$out"/libpoe-dev_*.deb "$out"/maas-bridge_*.deb)
shopt -u nullglob
if [[ ${#debs[@]} -ne 3 ]]; then
    echo "test-debs: expected libpoe0, libpoe-dev and maas-bridge .debs in packaging/out/ (run make deb)" >&2
    exit 1
fi
for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        echo "test-debs: $p is already installed; refusing to replace and purge it" >&2
        exit 1
    fi
done

work=$(mktemp -d)
daemon_pid=
failures=() # checks that failed without stopping the ones after them
cleanup() {
    local rc=$?
    if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -KILL "$daemon_pid" 2>/dev/null || true
    fi
    echo "test-debs: purging ${packages[*]}"
    dpkg --purge "${packages[@]}" >/dev/null || rc=1
    if [[ -e /etc/maas-bridge/maas-bridge.yaml ]]; then
        echo "test-debs: purge left /etc/maas-bridge/maas-bridge.yaml behind" >&2
        rc=1
    fi
    rm -rf "$work"
    if [[ $rc == 0 ]]; then
        echo "test-debs: PASS"
    else
        echo "test-debs: FAIL" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT

step() { echo; echo "=== test-debs: $*"; }

step "dpkg -i ${debs[*]##*/}"
dpkg -i "${debs[@]}"

step "installed files"
for f in /usr/sbin/maas-bridge /usr/bin/poectl "$unit" "$config"; do
    if [[ -e $f ]]; then
        echo "ok      $f"
    else
        echo "MISSING $f" >&2
        failures+=("$f is not in the packages")
    fi
done
dpkg-query -W -f='${Conffiles}\n' maas-bridge | grep -q " $config " ||
    { echo "test-debs: $config is not a conffile" >&2; exit 1; }

step "maas-bridge --version; --check-config --config $config"
/usr/sbin/maas-bridge --version
/usr/sbin/maas-bridge --check-config --config "$config"

step "poectl --version; check-config; --demo status pi-01; --demo off pi-01"
if [[ -x /usr/bin/poectl ]]; then
    /usr/bin/poectl --version
    /usr/bin/poectl --config "$config" check-config
    /usr/bin/poectl --demo status pi-01
    /usr/bin/poectl --demo off pi-01
else
    echo "skipped: no /usr/bin/poectl"
fi

step "installed daemon on the demo configuration"
port_file=$work/port
/usr/sbin/maas-bridge --demo --listen 127.0.0.1:0 --port-file "$port_file" >"$work/daemon.out" 2>"$work/daemon.err" &
daemon_pid=$!
for _ in $(seq 100); do
    [[ -s $port_file ]] && break
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
done
if [[ ! -s $port_file ]]; then
    echo "test-debs: the daemon did not write its port file within 10 s" >&2
    cat "$work/daemon.err" >&2
    exit 1
fi
port=$(<"$port_file")
url=http://127.0.0.1:$port/v1/machines/pi-01
body=$(curl -fsS --max-time 10 "$url")
echo "GET $url -> $body"
if [[ $body != *'"status":"running"'* ]]; then
    echo "test-debs: the answer does not contain \"status\":\"running\"" >&2
    exit 1
fi
kill -TERM "$daemon_pid"
set +e
wait "$daemon_pid"
daemon_rc=$?
set -e
daemon_pid=
echo "SIGTERM -> exit $daemon_rc"
if [[ $daemon_rc != 0 ]]; then
    echo "test-debs: the daemon did not exit 0 on SIGTERM; its log:" >&2
    cat "$work/daemon.err" >&2
    exit 1
fi

step "consumer projects against the installed libpoe-dev"
tests/package/run-consumers.sh ""

step "exported symbols of the installed libpoe"
tests/package/check-exports.sh "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libpoe.so.0" ||
    failures+=("libpoe exports symbols outside its public API")

step "systemd-analyze verify $unit"
verify_out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$verify_out" >&2; exit 1; }
if [[ -n $verify_out ]]; then
    echo "$verify_out" >&2
    echo "test-debs: systemd-analyze verify is not clean" >&2
    exit 1
fi
echo "clean"

step "systemd-analyze security"
if [[ -d /run/systemd/system ]]; then
    security=(systemd-analyze security --no-pager maas-bridge.service)
else
    # No systemd as PID 1 (container): analyse the unit file offline (v252+).
    security=(systemd-analyze security --no-pager --offline=true "$unit")
fi
echo "${security[*]}"
security_out=$("${security[@]}" 2>&1) || true
grep -E '^(✗|→)|Overall exposure' <<<"$security_out" || true
score=$(sed -nE 's/.*Overall exposure level for [^:]*: ([0-9.]+).*/\1/p' <<<"$security_out")
if [[ -z $score ]]; then
    echo "$security_out" >&2
    echo "test-debs: could not read the exposure score" >&2
    exit 1
fi
if awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s > m) }'; then
    echo "test-debs: exposure $score is above $max_exposure" >&2
    exit 1
fi
echo "exposure $score (at most $max_exposure)"

if [[ ${#failures[@]} -gt 0 ]]; then
    echo >&2
    printf 'test-debs: failed: %s\n' "${failures[@]}" >&2
    exit 1
fi
