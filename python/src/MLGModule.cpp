//===- MLGModule.cpp - The pybind11 extension mlg._mlg --------------------===//
//
// Thin bindings over Bridge.h: MLIR text in, text/bytes/dicts out. Failures
// become mlg.MLIRError (diagnostics with locations), ValueError or
// RuntimeError. The GIL is released while MLIR or the simulator works.
//
//===----------------------------------------------------------------------===//

#include "Bridge.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>

namespace py = pybind11;
using namespace mlg::python;

namespace {

/// Raises the Python exception of a failed outcome.
template <typename T>
T unwrap(Outcome<T> outcome) {
  switch (outcome.kind) {
  case ErrorKind::None:
    return std::move(*outcome.value);
  case ErrorKind::MLIR: {
    py::object errorType = py::module_::import("mlg.errors").attr("MLIRError");
    PyErr_SetObject(errorType.ptr(), py::str(outcome.message).ptr());
    throw py::error_already_set();
  }
  case ErrorKind::Value:
    throw py::value_error(outcome.message);
  case ErrorKind::Runtime:
    break;
  }
  throw std::runtime_error(outcome.message);
}

/// Runs `operation` (a Bridge call) without the GIL, then raises or returns.
template <typename Operation>
auto callWithoutGIL(Operation operation) {
  decltype(operation()) outcome;
  {
    py::gil_scoped_release release;
    outcome = operation();
  }
  return unwrap(std::move(outcome));
}

py::object parseJSON(const std::string &text) {
  return py::module_::import("json").attr("loads")(text);
}

py::dict entryPointToDict(const EntryPointInfo &entry) {
  py::dict result;
  result["name"] = entry.name;
  result["inputs"] = entry.inputs;
  result["outputs"] = entry.outputs;
  return result;
}

py::dict tensorToDict(const PTCTensorInfo &tensor) {
  py::dict result;
  result["name"] = tensor.name;
  result["shape"] = tensor.shape;
  result["host_view"] = tensor.hostView;
  return result;
}

} // namespace

PYBIND11_MODULE(_mlg, m) {
  m.doc() = "MLG's C++ library: parse, pass pipelines, compression, memory "
            "report, compilation for the CPU and the PTC, PTC simulation.";

  m.def(
      "parse",
      [](const std::string &text, const std::string &name, bool hexElements,
         bool locations) {
        return callWithoutGIL(
            [&] { return parseModule(text, name, hexElements, locations); });
      },
      py::arg("text"), py::arg("name") = "<string>",
      py::arg("hex_elements") = true, py::arg("locations") = true,
      "Parses and verifies MLIR text; returns it printed back with its "
      "locations (locations=False: without; hex_elements=False: large "
      "constants in decimal). Raises mlg.MLIRError with the located "
      "diagnostics.");

  m.def(
      "run_pipeline",
      [](const std::string &text, const std::string &pipeline,
         const std::string &name) {
        return callWithoutGIL(
            [&] { return runPipeline(text, name, pipeline); });
      },
      py::arg("text"), py::arg("pipeline"), py::arg("name") = "<string>",
      "Runs a textual pass pipeline (e.g. 'canonicalize,cse') on the module.");

  m.def(
      "prepare",
      [](const std::string &text, std::optional<std::string> compress,
         const std::string &name) {
        return callWithoutGIL(
            [&] { return prepareModule(text, name, compress); });
      },
      py::arg("text"), py::arg("compress") = py::none(),
      py::arg("name") = "<string>",
      "TOSA to linalg when present, then mlg-compress with the given options "
      "string (None: no compression, '': its defaults).");

  m.def(
      "compress",
      [](const std::string &text, const std::string &options,
         const std::string &name) {
        return callWithoutGIL([&] {
          return prepareModule(text, name, std::optional<std::string>(options));
        });
      },
      py::arg("text"), py::arg("options") = "", py::arg("name") = "<string>",
      "mlg-compress with an options string such as 'bi=2 bc=44 qb=3 qu=6 "
      "qv=3' ('' for its defaults), after TOSA to linalg when present.");

  m.def(
      "memory_report",
      [](const std::string &text, int64_t qw, int64_t linearBits,
         const std::string &name) {
        return parseJSON(callWithoutGIL(
            [&] { return memoryReportJSON(text, name, qw, linearBits); }));
      },
      py::arg("text"), py::arg("qw") = 8, py::arg("linear_bits") = 8,
      py::arg("name") = "<string>",
      "mlg-memory-report as a dict: 'layers', 'other', 'total'.");

  m.def(
      "compile_cpu",
      [](const std::string &text, const std::string &libraryPath,
         const std::string &strategy, int64_t threads,
         unsigned codegenThreads, bool packCodes, const std::string &name) {
        CPUCompileOptions options;
        options.strategy = strategy;
        options.threads = threads;
        options.codegenThreads = codegenThreads;
        options.packCodes = packCodes;
        std::vector<EntryPointInfo> entries = callWithoutGIL(
            [&] { return compileCPU(text, name, libraryPath, options); });
        py::list result;
        for (const EntryPointInfo &entry : entries)
          result.append(entryPointToDict(entry));
        return result;
      },
      py::arg("text"), py::arg("library_path"), py::arg("strategy") = "auto",
      py::arg("threads") = 1, py::arg("codegen_threads") = 1,
      py::arg("pack_codes") = true, py::arg("name") = "<string>",
      "Compiles a prepared module to a shared library with the C ABI of "
      "docs/c-abi.md (and its header next to it); returns the entry points "
      "as dicts with 'name', 'inputs' and 'outputs' (shapes).");

  m.def(
      "compile_ptc",
      [](const std::string &text, const std::string &model,
         const std::string &calibration, const std::string &activationRange,
         unsigned weightBits, bool globalSram, const std::string &weightSource,
         const std::string &name) {
        PTCCompileOptions options;
        options.model = model;
        options.calibration = calibration;
        options.activationRange = activationRange;
        options.weightBits = weightBits;
        options.globalSram = globalSram;
        options.weightSource = weightSource;
        std::string binary =
            callWithoutGIL([&] { return compilePTC(text, name, options); });
        return py::bytes(binary);
      },
      py::arg("text"), py::arg("model") = "dptc-hbm",
      py::arg("calibration") = "", py::arg("activation_range") = "mse",
      py::arg("weight_bits") = 0, py::arg("global_sram") = true,
      py::arg("weight_source") = "auto", py::arg("name") = "<string>",
      "Compiles a prepared module for the photonic tensor core; returns the "
      "program binary. `calibration`: a float32 .npy of inputs.");

  m.def(
      "describe_ptc",
      [](const py::bytes &binary) {
        PTCProgramInfo info = unwrap(describePTCProgram(binary));
        py::dict result;
        py::list inputs, outputs;
        for (const PTCTensorInfo &tensor : info.inputs)
          inputs.append(tensorToDict(tensor));
        for (const PTCTensorInfo &tensor : info.outputs)
          outputs.append(tensorToDict(tensor));
        result["inputs"] = inputs;
        result["outputs"] = outputs;
        result["layers"] = info.layers;
        return result;
      },
      py::arg("binary"),
      "The inputs, outputs (name, host shape) and layers of a PTC binary.");

  m.def(
      "simulate",
      [](const py::bytes &binaryBytes, const py::list &arrays,
         const std::string &model, double noiseStd, uint64_t seed) {
        std::string binary = binaryBytes;
        std::vector<HostTensor> inputs;
        for (py::handle item : arrays) {
          auto array = py::array_t<float, py::array::c_style |
                                              py::array::forcecast>::
              ensure(item);
          if (!array)
            throw py::value_error("simulate: inputs must be float arrays");
          HostTensor tensor;
          tensor.shape.assign(array.shape(), array.shape() + array.ndim());
          tensor.data.assign(array.data(), array.data() + array.size());
          inputs.push_back(std::move(tensor));
        }
        SimulateOptions options;
        options.model = model;
        options.noiseStd = noiseStd;
        options.seed = seed;
        SimulateResult result = callWithoutGIL(
            [&] { return simulatePTC(binary, inputs, options); });
        py::list outputs;
        for (const HostTensor &tensor : result.outputs) {
          py::array_t<float> array(tensor.shape);
          std::memcpy(array.mutable_data(), tensor.data.data(),
                      tensor.data.size() * sizeof(float));
          outputs.append(array);
        }
        return py::make_tuple(outputs, parseJSON(result.reportJSON));
      },
      py::arg("binary"), py::arg("inputs"), py::arg("model") = "dptc-hbm",
      py::arg("noise_std") = 0.0, py::arg("seed") = 0,
      "Runs a PTC binary on the simulator with float inputs of the host "
      "shapes; returns (outputs, report dict of docs/ptc-sim.md).");

  m.def("ptc_presets", &getPTCPresetNames,
        "Names of the embedded accelerator presets.");
}
