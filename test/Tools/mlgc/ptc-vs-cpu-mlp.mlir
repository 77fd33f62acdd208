// ptc-vs-cpu.mlir for a matmul chain: the 40 -> 60 -> 10 MLP of
// test/Conversion/MLGToPTC/mlp-execute.mlir on 20 rows. Its host views are
// rank 2 ([rows, features] <-> [rows][padded features]); the same float32
// [20, 40] .npy feeds mlg-run and ptc-sim, both write [20, 10].
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/mlp.py model %t dense
// RUN: mlgc -q %t/model.mlir -o %t/model.so
// RUN: mlg-run %t/model.so --input %t/x.npy --output %t/cpu.npy
// RUN: mlgc -q %t/model.mlir --target=ptc --calibration=%t/x.npy --ptc-model=%S/../Inputs/dptc-hbm-w6a6.json -o %t/prog.ptc
// RUN: ptc-sim -q %t/prog.ptc --model=%S/../Inputs/dptc-hbm-w6a6.json --input %t/x.npy --output %t/ptc.npy
// RUN: mlg-translate --binary-to-ptc %t/prog.ptc -o %t/prog.mlir
// RUN: %python %S/../Inputs/ptc_vs_cpu.py quantize %t
// RUN: ptc-sim -q %t/prog.ptc --model=%S/../Inputs/dptc-hbm-w6a6.json --input %t/xq.npy --output %t/raw.npy --raw-codes
// Tolerance as in ptc-vs-cpu.mlir (measured 0.06).
// RUN: %python %S/../Inputs/ptc_vs_cpu.py check %t 0.1 | FileCheck %s

// CHECK:      input host shape (20, 40) output host shape (20, 10)
// CHECK-NEXT: float output float32 (20, 10) = codes * scale: True
// CHECK-NEXT: max error / max|y| vs the CPU build: {{0\.0[0-9]+}} (tolerance 0.1): ok
