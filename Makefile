# libpoe + maas-bridge: the two commands of the quick start are `make demo`
# and `make test`. Every target that builds first installs any missing
# Debian build dependency (as root; otherwise it says what to install).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CMAKE_FLAGS ?=
# CI builds treat warnings as errors.
ifeq ($(CI),true)
  CMAKE_FLAGS += -DPOE_WERROR=ON
endif
# Rebuilds in several build directories share compiled objects when ccache is
# installed (optional; not a dependency).
ifneq ($(shell command -v ccache 2>/dev/null),)
  CMAKE_FLAGS += -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
endif

# Debian 12 packages the build, tests, benchmarks and packaging need.
# Boost 1.81 (not Debian's default 1.74, which has no Boost.JSON).
DEPS := cmake ninja-build g++ pkg-config git \
        libboost1.81-dev libboost-json1.81-dev \
        libssh-dev libssl-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev libsystemd-dev \
        libgtest-dev libgmock-dev libbenchmark-dev \
        openssh-client curl

.PHONY: deps build demo test test-unit test-package test-fuzz format-check format lint clean help

help:
	@echo "make demo   - install deps, build, run maas-bridge on the embedded demo config (fake switch)"
	@echo "make test   - install deps, build, run every test suite ($(TEST_SUITES))"
	@echo "make test TEST_SUITES=unit - only the build and the ctest suite"
	@echo "make deps   - install missing Debian build dependencies (apt-get, as root)"
	@echo "make build  - configure and build into $(BUILD_DIR)/"
	@echo "make clean  - remove $(BUILD_DIR)/"

deps:
	@missing=""; \
	for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all build dependencies are installed"; exit 0; fi; \
	echo "deps: missing Debian packages:$$missing"; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: run as root, or install them yourself:  sudo apt-get install -y$$missing" >&2; exit 1; \
	fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q && apt-get install -y -q --no-install-recommends $$missing

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/maas-bridge/maas-bridge --demo

# `make test` runs every suite below, one after the other, and prints how
# long each took (CI runs exactly this). For a quick loop while coding:
# `make test TEST_SUITES=unit`.
#   unit      build (warnings are errors under CI=true) and every ctest test
#   package   Debian packages built, lintian, installed, checked, purged (root)
#   sanitize  every test under AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan      the concurrency tests under ThreadSanitizer
#   fuzz      each libFuzzer target briefly, after replaying its regressions
TEST_SUITES ?= unit package sanitize tsan fuzz

test:
	@for suite in $(TEST_SUITES); do \
	  started=$$(date +%s); \
	  echo "=== make test: $$suite"; \
	  $(MAKE) --no-print-directory test-$$suite; \
	  echo "=== make test: $$suite passed in $$(( $$(date +%s) - started )) s"; \
	done

test-unit: build format-check
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# Formatting is part of the tests (fast); clang-tidy over the whole compile
# database takes long on 2 cores and runs with `make lint`.
CXX_SOURCES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)

format-check:
	@command -v clang-format >/dev/null || $(MAKE) --no-print-directory deps DEPS=clang-format
	clang-format --dry-run --Werror $(CXX_SOURCES)

format:
	clang-format -i $(CXX_SOURCES)

lint: build format-check
	@command -v run-clang-tidy >/dev/null || $(MAKE) --no-print-directory deps DEPS=clang-tidy
	run-clang-tidy -p $(BUILD_DIR) -j $(JOBS) -quiet -extra-arg=-Wno-unknown-warning-option \
	  '$(CURDIR)/(libpoe|maas-bridge|poectl)/'

test-package: deb-test

test-fuzz: fuzz-smoke

clean:
	rm -rf $(BUILD_DIR)

# --- Debian packages (packaging/) ------------------------------------------
# `make deb` builds libpoe0, libpoe-dev and maas-bridge from a staged copy of
# the tree into packaging/out/ and runs lintian (--fail-on error,warning);
# `make deb-test` also installs them (root), checks them as installed and
# purges them; `make package-test` checks the CMake install without dpkg.
# DEB_NOCHECK=0 builds and runs the test suite inside the package build.

# Debian packages `make deb` / `make deb-test` need on top of DEPS
# (Rules-Requires-Root: no, so no fakeroot; systemd for systemd-analyze).
DEB_DEPS := debhelper dpkg-dev lintian man-db xz-utils binutils systemd
DEB_NOCHECK ?= 1
PACKAGE_PREFIX ?= $(BUILD_DIR)-package/prefix

.PHONY: deb-deps deb deb-test package-test deb-clean

deb-deps:
	@$(MAKE) --no-print-directory deps DEPS="$(DEB_DEPS)"

deb: deps deb-deps
	JOBS=$(JOBS) DEB_NOCHECK=$(DEB_NOCHECK) packaging/build-debs.sh

deb-test: deb
	packaging/test-debs.sh

# libpoe alone, installed to a prefix: the consumers and the export check.
package-test: deps
	cmake -S . -B $(BUILD_DIR)-package -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DPOE_BUILD_TESTS=OFF -DPOE_BUILD_BRIDGE=OFF -DCMAKE_INSTALL_PREFIX=$(abspath $(PACKAGE_PREFIX)) $(CMAKE_FLAGS)
	rm -rf $(PACKAGE_PREFIX)
	cmake --build $(BUILD_DIR)-package -j $(JOBS) --target install
	tests/package/run-consumers.sh $(PACKAGE_PREFIX)
	tests/package/check-exports.sh "$$(find $(PACKAGE_PREFIX) -name libpoe.so.0 -print -quit)"

deb-clean:
	rm -rf packaging/out

# --- Fuzzing and sanitizers (fuzz/) -----------------------------------------
# `make fuzz` builds the libFuzzer targets with clang (ASan+UBSan) into
# build-fuzz/ and runs each for FUZZ_SECONDS from the seed corpus;
# `make fuzz-smoke` is the CI variant (FUZZ_SMOKE_SECONDS each). Both first
# replay fuzz/regressions/<target>/. FUZZ_TARGETS picks a subset.
# `make test-sanitize` runs every test under ASan+UBSan (GCC, Debug) in
# build-asan/; `make test-tsan` runs the concurrency-heavy tests under TSan
# in build-tsan/. Both keep line tables only (-g1): reports still name file
# and line, and the builds are much faster than with full debug info.

FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_TARGETS ?=
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
# Controller, bridge HTTP(S)/request handling, driver tests and the soak test
# (gtest suite names), and the test programs that hold them (only these are built).
TSAN_TESTS ?= ^(SwitchController|FakeDriver|HttpServerTest|HttpsServerTest|RequestHandler|MaasBridgeBinaryTest|CiscoIosDriver|CiscoIosSim|IosSession|HostKeyPolicy|ConfigReloaderTest|ConfigReloaderInFlight|AuditLogTest|RequestHandlerAudit|Soak)[.]
TSAN_BUILD_TARGETS ?= libpoe_test cisco_ios_driver_test maas_bridge_test maas_bridge_fault_test

.PHONY: fuzz-deps fuzz-build fuzz fuzz-smoke fuzz-clean test-sanitize test-tsan

# clang and its runtime (libFuzzer, sanitizers) for the fuzz targets.
FUZZ_DEPS := clang libclang-rt-14-dev

fuzz-deps:
	@$(MAKE) --no-print-directory deps DEPS="$(FUZZ_DEPS)"

$(FUZZ_BUILD_DIR)/build.ninja:
	CXX=clang++ cmake -S fuzz -B $(FUZZ_BUILD_DIR) -G Ninja

fuzz-build: deps fuzz-deps $(FUZZ_BUILD_DIR)/build.ninja
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)

fuzz: fuzz-build
	FUZZ_BUILD_DIR=$(FUZZ_BUILD_DIR) fuzz/run-fuzzers.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	FUZZ_BUILD_DIR=$(FUZZ_BUILD_DIR) fuzz/run-fuzzers.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_BUILD_DIR)

$(ASAN_BUILD_DIR)/build.ninja:
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPOE_SANITIZE=address,undefined \
	  -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DPOE_BUILD_BENCH=OFF $(CMAKE_FLAGS)

test-sanitize: deps $(ASAN_BUILD_DIR)/build.ninja
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(JOBS)

$(TSAN_BUILD_DIR)/build.ninja:
	cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DPOE_SANITIZE=thread $(CMAKE_FLAGS)

test-tsan: deps $(TSAN_BUILD_DIR)/build.ninja
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS) --target $(TSAN_BUILD_TARGETS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --test-dir $(TSAN_BUILD_DIR) --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

# --- Soak (tests/maas-bridge/end_to_end/soak_test.cpp) ----------------------
# `make soak` runs the bridge soak test for SOAK_SECONDS (CI runs it for
# 12 s as part of `make test`): random on/off/cycle/query traffic from many
# clients against two ios-sim switches, then checks every port against the
# last acknowledged write, the switches' interleaving counters and logins.

SOAK_SECONDS ?= 300

.PHONY: soak

soak: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target maas_bridge_fault_test
	SOAK_SECONDS=$(SOAK_SECONDS) $(BUILD_DIR)/tests/maas-bridge/maas_bridge_fault_test --gtest_filter='Soak.*'

# --- Benchmarks (bench/, BENCHMARKS.md) -------------------------------------
# `make bench` builds in Release into $(BENCH_BUILD_DIR)/ and runs every
# scenario against ios-sim and maas-bridge on 127.0.0.1 (wrk for the
# throughput scenario): prints the table and writes bench/results.json and
# bench/results.md. Measurement only: a missed target does not fail it.
# BENCH_ARGS=--quick for a short smoke run, BENCH_ARGS="--only 1,5" for some.

BENCH_BUILD_DIR ?= build-release
BENCH_ARGS ?=

.PHONY: bench

$(BENCH_BUILD_DIR)/build.ninja:
	cmake -S . -B $(BENCH_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

bench: deps $(BENCH_BUILD_DIR)/build.ninja
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "bench: wrk is missing:  sudo apt-get install -y wrk" >&2; exit 1; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk; \
	fi
	cmake --build $(BENCH_BUILD_DIR) -j $(JOBS) --target bridge_bench
	@echo "bench: load average now: $$(cut -d' ' -f1-3 /proc/loadavg) on $$(nproc) CPUs"
	$(BENCH_BUILD_DIR)/bench/bridge_bench --out bench/results.json --table bench/results.md $(BENCH_ARGS)
