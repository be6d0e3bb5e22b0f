# The two commands:
#   make run   installs what is missing, builds, starts `parley server`
#   make test  installs what is missing, builds, runs every test suite
.PHONY: all bootstrap build run test test-asan bench clean

BUILD_DIR ?= build
# Let ccache hit across clones in different directories (CI builds a fresh clone each time).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

all: build

bootstrap:
	@scripts/bootstrap.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: bootstrap $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/parley server --data-dir ./data

# Every suite: release build (unit, runtime, function cases, store, http, fuzz corpus,
# integration, benchmark smoke), JS bundle tests, then the runtime suites under ASan.
test: build
	@PARLEY_BOOTSTRAP_BROWSER=1 scripts/bootstrap.sh
	scripts/test.sh $(BUILD_DIR)
	$(MAKE) test-asan

ASAN_TARGETS = parley runtime_unit_test runtime_invoker_test runtime_internal_test runtime_process_test functions_test
test-asan: bootstrap
	cmake --preset asan > /dev/null
	cmake --build build-asan -j $(JOBS) --target $(ASAN_TARGETS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -L runtime

bench: build
	bench/run.sh $(BUILD_DIR)
	bench/server.sh $(BUILD_DIR)
	bench/events.sh $(BUILD_DIR)
	bench/compare/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) build-debug build-asan build-tsan
