# The README's two commands: `make demo` and `make test`. Each installs what is
# missing, configures, builds, then runs. Other targets: build, bench-compress,
# bench-cpu, docs, clean.

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

.PHONY: all deps configure build test demo bench-compress bench-cpu docs clean

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

# Benchmarks are run on purpose, never by `test` (see bench/README.md).
bench-compress: build
	/usr/bin/python3 bench/compress/run.py --mlg-opt $(BUILD_DIR)/bin/mlg-opt

# Needs oneDNN (Debian libdnnl-dev), installed here: benchmarks only.
bench-cpu: build
	@dpkg-query -W -f='$${Status}' libdnnl-dev 2>/dev/null | grep -q "install ok installed" \
	  || apt-get install -y -qq --no-install-recommends libdnnl-dev >/dev/null
	/usr/bin/python3 bench/cpu/run.py --mlg-opt $(BUILD_DIR)/bin/mlg-opt

# ODS-generated dialect, op and pass reference under $(BUILD_DIR)/docs.
docs: configure
	cmake --build $(BUILD_DIR) --target mlir-doc
	@echo "reference docs in $(BUILD_DIR)/docs"

clean:
	rm -rf $(BUILD_DIR)
