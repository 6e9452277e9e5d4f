#!/usr/bin/env bash
# Runs the libFuzzer targets built in $FUZZ_BUILD_DIR (default build-fuzz).
#
#   fuzz/run-fuzzers.sh SECONDS [TARGET...]
#
# For each target: first replays every file in fuzz/regressions/<target>/
# (inputs that once crashed; any failure fails the run), then fuzzes for
# SECONDS from the checked-in seeds in fuzz/corpus/<target>/ plus the
# working corpus build-fuzz/corpus/<target>/ (new inputs go there, never
# into the source tree). Crashes, leaks, timeouts (-timeout=5) and
# out-of-memory (-rss_limit_mb=2048) land in build-fuzz/artifacts/<target>/
# and fail the run; logs are in build-fuzz/logs/<target>.log.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:?usage: run-fuzzers.sh SECONDS [TARGET...]}
shift
build=${FUZZ_BUILD_DIR:-build-fuzz}
all_targets=(fuzz_show_power_inline fuzz_cli_text fuzz_interface_name fuzz_ios_session fuzz_config_loader fuzz_router)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${all_targets[@]}"); fi

# Largest input per target: a few times the biggest realistic input, small
# enough to keep executions fast.
max_len() {
  case $1 in
    fuzz_show_power_inline) echo 16384 ;;
    fuzz_cli_text) echo 8192 ;;
    fuzz_interface_name) echo 1024 ;;
    fuzz_ios_session) echo 16384 ;;
    fuzz_config_loader) echo 8192 ;;
    fuzz_router) echo 10240 ;;  # just above max_header_bytes (8192)
    *) echo 4096 ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=()
mkdir -p "$build/logs"
for t in "${targets[@]}"; do
  bin=$build/$t
  if [ ! -x "$bin" ]; then
    echo "$t: $bin not built (make fuzz-build)" >&2
    failed+=("$t(not built)")
    continue
  fi
  log=$build/logs/$t.log
  : >"$log"

  regressions=(fuzz/regressions/"$t"/*)
  if [ -e "${regressions[0]}" ]; then
    if ! "$bin" -timeout=5 -rss_limit_mb=2048 "${regressions[@]}" >>"$log" 2>&1; then
      echo "$t: FAILED replaying fuzz/regressions/$t/ (see $log)" >&2
      tail -n 30 "$log" >&2
      failed+=("$t(regression)")
      continue
    fi
    echo "$t: ${#regressions[@]} regression input(s) pass"
  fi

  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  dict=()
  if [ -f "fuzz/dict/$t.dict" ]; then dict=(-dict="fuzz/dict/$t.dict"); fi
  if "$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=5 -rss_limit_mb=2048 \
       -artifact_prefix="$build/artifacts/$t/" -print_final_stats=1 "${dict[@]}" \
       "$build/corpus/$t" "fuzz/corpus/$t" >>"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "$t: ok, ${execs:-?} runs in ${seconds}s, ${cov:-cov: ?}, corpus $(ls "$build/corpus/$t" | wc -l) files"
  else
    echo "$t: FOUND A PROBLEM (see $log); input(s):" >&2
    ls -1 "$build/artifacts/$t"/ >&2 || true
    grep -m 1 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|fuzz invariant|terminate called|SUMMARY' "$log" >&2 || tail -n 20 "$log" >&2
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: problems in: ${failed[*]}" >&2
  echo "fuzz: to keep a crash as a regression: cp $build/artifacts/<target>/crash-* fuzz/regressions/<target>/" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) clean"
