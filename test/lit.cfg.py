# -*- Python -*-
# lit configuration for the MLG regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MLG"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mlg_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
# Runtime support for `mlir-runner` execution tests (printMemrefF32, ...).
config.substitutions.append(
    ("%mlir_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_runner_utils" + config.llvm_shlib_ext)))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils" + config.llvm_shlib_ext)))

llvm_config.use_default_substitutions()
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])

tool_dirs = [config.mlg_tools_dir, config.llvm_tools_dir]
tools = ["mlg-opt", "mlg-translate", "ptc-sim", "mlgc", "mlg-run", "llvm-nm", "llvm-readobj", "mlir-runner", "mlir-opt", "mlir-translate", "not", "FileCheck", "count", "split-file"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

config.substitutions.append(("%python", config.python_executable))

# Under AddressSanitizer (make test-asan) resident memory includes the shadow
# memory and the freed-block quarantine: memory measurements do not apply.
if "address" in config.mlg_sanitize.split(";"):
    config.available_features.add("asan")
config.substitutions.append(("%mlg_src_root", config.mlg_src_root))
