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

# Debian 12 packages the build, tests, benchmarks and packaging need.
# Boost 1.81 (not Debian's default 1.74, which has no Boost.JSON).
DEPS := cmake ninja-build g++ pkg-config git \
        libboost1.81-dev libboost-json1.81-dev \
        libssh-dev libssl-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev libsystemd-dev \
        libgtest-dev libgmock-dev libbenchmark-dev \
        openssh-client curl

.PHONY: deps build demo test clean help

help:
	@echo "make demo   - install deps, build, run maas-bridge on the embedded demo config (fake switch)"
	@echo "make test   - install deps, build, run every test"
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

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR)

