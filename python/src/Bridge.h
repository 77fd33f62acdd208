//===- Bridge.h - MLG operations for the Python module ----------*- C++ -*-===//
//
// What the extension `mlg._mlg` exposes, over standard-library types only.
// This layer is built like the rest of MLG (no RTTI, no exceptions) while the
// pybind11 layer needs both; keeping MLIR and LLVM headers on this side means
// that neither layer sees the other's ABI. Every operation parses its MLIR
// text in a fresh context and captures all diagnostics (with their source
// locations) into the returned Outcome instead of printing them.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_PYTHON_BRIDGE_H
#define MLG_PYTHON_BRIDGE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlg::python {

/// Which Python exception a failure becomes.
enum class ErrorKind {
  None,
  MLIR,    // diagnostics on the IR: mlg.MLIRError
  Value,   // a bad argument: ValueError
  Runtime, // anything else (I/O, linking, simulation): RuntimeError
};

template <typename T>
struct Outcome {
  std::optional<T> value;
  ErrorKind kind = ErrorKind::None;
  std::string message;

  static Outcome failure(ErrorKind kind, std::string message) {
    Outcome outcome;
    outcome.kind = kind;
    outcome.message = std::move(message);
    return outcome;
  }
};

using Shape = std::vector<int64_t>;

/// Parses and verifies `text` (named `bufferName` in diagnostics); returns
/// the module printed back, large constants as hex strings unless
/// `hexElements` is false (then every element in decimal), with every op's
/// location unless `locations` is false. (Every other operation returning
/// text prints the locations, so that a later step's diagnostics still point
/// into the original source.)
Outcome<std::string> parseModule(const std::string &text,
                                 const std::string &bufferName,
                                 bool hexElements = true,
                                 bool locations = true);

/// Runs a textual pass pipeline, e.g. "builtin.module(canonicalize)" or
/// "canonicalize,cse" (nested under builtin.module), on the module.
Outcome<std::string> runPipeline(const std::string &text,
                                 const std::string &bufferName,
                                 const std::string &pipeline);

/// The preparation of mlgc: TOSA lowered to linalg when present, then, when
/// `compressOptions` is set, mlg-compress with those options ("" for its
/// defaults).
Outcome<std::string> prepareModule(const std::string &text,
                                   const std::string &bufferName,
                                   const std::optional<std::string> &compressOptions);

/// The JSON of mlg-memory-report (docs/dialect.md) on the module.
Outcome<std::string> memoryReportJSON(const std::string &text,
                                      const std::string &bufferName,
                                      int64_t qw, int64_t linearBits);

struct EntryPointInfo {
  std::string name;
  std::vector<Shape> inputs;
  std::vector<Shape> outputs;
};

struct CPUCompileOptions {
  std::string strategy = "auto"; // auto, dense, factorized or tiled
  int64_t threads = 1;
  unsigned codegenThreads = 1;
  bool packCodes = true;
};

/// mlgc --emit=lib on a prepared module: writes `libraryPath` and its C
/// header (same path, ".h"); returns the entry points.
Outcome<std::vector<EntryPointInfo>>
compileCPU(const std::string &text, const std::string &bufferName,
           const std::string &libraryPath, const CPUCompileOptions &options);

struct PTCCompileOptions {
  std::string model = "dptc-hbm"; // a preset name or a JSON file
  std::string calibration;        // float32 .npy of inputs, or empty
  std::string activationRange = "mse";
  unsigned weightBits = 0;
  bool globalSram = true;
  std::string weightSource = "auto";
};

/// mlgc --target=ptc on a prepared module: the program binary.
Outcome<std::string> compilePTC(const std::string &text,
                                const std::string &bufferName,
                                const PTCCompileOptions &options);

/// A program input or output as the host sees it.
struct PTCTensorInfo {
  std::string name;
  Shape shape;        // the host shape when `hostView`, else the symbol's
  bool hostView = false;
};

struct PTCProgramInfo {
  std::vector<PTCTensorInfo> inputs;
  std::vector<PTCTensorInfo> outputs;
  std::vector<std::string> layers;
};

/// Decodes and validates a program binary.
Outcome<PTCProgramInfo> describePTCProgram(const std::string &binary);

struct HostTensor {
  Shape shape;
  std::vector<float> data; // row-major
};

struct SimulateOptions {
  std::string model = "dptc-hbm"; // a preset name or a JSON file
  double noiseStd = 0;
  uint64_t seed = 0;
  uint64_t maxInstructions = 100'000'000;
};

struct SimulateResult {
  std::vector<HostTensor> outputs; // dequantized, host shapes
  std::string reportJSON;          // sim::printReportJSON
};

/// Runs the program on the simulator: float inputs of the host shapes are
/// quantized through their host views, outputs dequantized.
Outcome<SimulateResult> simulatePTC(const std::string &binary,
                                    const std::vector<HostTensor> &inputs,
                                    const SimulateOptions &options);

/// Names of the embedded accelerator presets.
std::vector<std::string> getPTCPresetNames();

} // namespace mlg::python

#endif // MLG_PYTHON_BRIDGE_H
