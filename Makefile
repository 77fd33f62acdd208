# The README's two commands: `make demo` and `make test`. Each installs what is
# missing, configures, builds, then runs. Other targets: build, bench-compress,
# bench-cpu, bench-ptc, bench-accuracy, bench-smartdeal, docs, clean, and the
# robustness checks of docs/errors.md: test-asan, fuzz.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
LLVM_PREFIX := /usr/lib/llvm-22

CMAKE_FLAGS := -G Ninja \
  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
  -DMLIR_DIR=$(LLVM_PREFIX)/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=$(LLVM_PREFIX)/bin/lit \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DLLVM_USE_LINKER=lld \
  -DPython3_EXECUTABLE=/usr/bin/python3

.PHONY: all deps configure build test test-asan build-asan fuzz demo bench-compress bench-cpu bench-ptc bench-accuracy bench-smartdeal docs clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

test: build
	@scripts/run-tests.sh $(BUILD_DIR)

demo: build
	@scripts/demo.sh $(BUILD_DIR)

# AddressSanitizer + UndefinedBehaviorSanitizer build with the libFuzzer
# targets (docs/errors.md), in its own directory: `make test-asan` runs every
# suite (lit, unit, Python) on it, `make fuzz FUZZ_SECONDS=N [FUZZ_JOBS=J]` each fuzz target
# for N seconds.
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 60
$(ASAN_BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(ASAN_BUILD_DIR) $(CMAKE_FLAGS) \
	  -DMLG_SANITIZE="address;undefined" -DMLG_ENABLE_FUZZERS=ON >/dev/null

build-asan: deps $(ASAN_BUILD_DIR)/build.ninja
	cmake --build $(ASAN_BUILD_DIR)

# allow_user_poisoning=0: LLVM's BumpPtrAllocator, inlined into MLG's
# instrumented code, poisons slabs that the uninstrumented libMLIR then
# allocates from without unpoisoning (false use-after-poison reports).
ASAN_TEST_OPTIONS := allow_user_poisoning=0
test-asan: build-asan
	@ASAN_OPTIONS=$(ASAN_TEST_OPTIONS) scripts/run-tests.sh $(ASAN_BUILD_DIR)

fuzz: build-asan
	@scripts/fuzz.sh $(ASAN_BUILD_DIR) $(FUZZ_SECONDS)

# Benchmarks are run on purpose, never by `test` (see bench/README.md).

# Installs the Debian packages of the list $(1) that are missing (benchmark dependencies).
install_missing = @for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

bench-compress: build
	/usr/bin/python3 bench/compress/run.py --mlg-opt $(BUILD_DIR)/bin/mlg-opt

# The generator families side by side (bench/smartdeal/README.md).
bench-smartdeal: build
	/usr/bin/python3 bench/smartdeal/run.py --mlg-opt $(BUILD_DIR)/bin/mlg-opt --mlgc $(BUILD_DIR)/bin/mlgc \
	  --mlg-run $(BUILD_DIR)/bin/mlg-run --ptc-sim $(BUILD_DIR)/bin/ptc-sim --out $(BUILD_DIR)/bench/smartdeal

# Needs oneDNN (libdnnl-dev) and PyTorch (python3-torch, python3-torchvision), installed here
# when missing: benchmarks only. BENCH_CPU_ARGS passes options, e.g. BENCH_CPU_ARGS=--quick.
BENCH_CPU_PACKAGES := libdnnl-dev python3-torch python3-torchvision
BENCH_CPU_ARGS ?=
bench-cpu: build
	$(call install_missing,$(BENCH_CPU_PACKAGES))
	/usr/bin/python3 bench/cpu/run.py --mlg-opt $(BUILD_DIR)/bin/mlg-opt --mlgc $(BUILD_DIR)/bin/mlgc \
	  --mlg-run $(BUILD_DIR)/bin/mlg-run --out $(BUILD_DIR)/bench/cpu $(BENCH_CPU_ARGS)

# Photonic-core benchmark (bench/ptc/README.md). Needs matplotlib (python3-matplotlib), installed
# here when missing. BENCH_PTC_ARGS passes options, e.g. BENCH_PTC_ARGS="--network convchain".
BENCH_PTC_PACKAGES := python3-matplotlib
BENCH_PTC_ARGS ?=
bench-ptc: build
	$(call install_missing,$(BENCH_PTC_PACKAGES))
	/usr/bin/python3 bench/ptc/run.py --bin $(BUILD_DIR)/bin --out $(BUILD_DIR)/bench/ptc $(BENCH_PTC_ARGS)

# Accuracy against memory on Fashion-MNIST (bench/accuracy/README.md): trains on the CPU, then
# compiles every model with the Python package. Needs matplotlib (python3-matplotlib), installed
# here when missing. BENCH_ACCURACY_ARGS passes options, e.g. --quick.
BENCH_ACCURACY_PACKAGES := python3-matplotlib
BENCH_ACCURACY_ARGS ?=
bench-accuracy: build
	$(call install_missing,$(BENCH_ACCURACY_PACKAGES))
	/usr/bin/python3 bench/accuracy/run.py --package $(BUILD_DIR)/python \
	  --out $(BUILD_DIR)/bench/accuracy $(BENCH_ACCURACY_ARGS)

# ODS-generated dialect, op and pass reference under $(BUILD_DIR)/docs.
docs: configure
	cmake --build $(BUILD_DIR) --target mlir-doc
	@echo "reference docs in $(BUILD_DIR)/docs"

clean:
	rm -rf $(BUILD_DIR)
