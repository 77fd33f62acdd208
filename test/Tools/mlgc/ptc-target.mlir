// mlgc --target=ptc: the mlg-to-ptc pipeline, then the program binary. The
// binary equals mlg-opt --mlg-to-ptc | mlg-translate --ptc-to-binary byte for
// byte and runs on ptc-sim (the MLP of test/Conversion/MLGToPTC, whose
// execution is checked there); bad options and inputs fail without output.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/mlp.py model %t dense
// RUN: mlgc %t/model.mlir --target=ptc --calibration=%t/x.npy -o %t/mlgc.ptc 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy" | mlg-translate --ptc-to-binary -o %t/opt.ptc
// RUN: cmp %t/mlgc.ptc %t/opt.ptc
// RUN: mlgc -q %t/model.mlir --target=ptc --calibration=%t/x.npy --emit=mlir --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/mlp.py quantize %t dense
// RUN: ptc-sim -q %t/mlgc.ptc --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/mlp.py check %t dense 3 8 | FileCheck %s --check-prefix=EMULATION
// Another model preset.
// RUN: mlgc -q %t/model.mlir --target=ptc --ptc-model=dptc-edge-lpddr -o %t/edge.ptc
// RUN: not cmp %t/edge.ptc %t/mlgc.ptc
// Errors: no output file is written.
// RUN: not mlgc -q %t/model.mlir --target=ptc --emit=lib -o %t/bad1 2>&1 | FileCheck %s --check-prefix=EMIT
// RUN: not mlgc -q %t/model.mlir --emit=bin -o %t/bad2 2>&1 | FileCheck %s --check-prefix=NOPTC
// RUN: not mlgc -q %t/model.mlir --target=ptc --ptc-model=nope -o %t/bad3 2>&1 | FileCheck %s --check-prefix=MODEL
// RUN: not mlgc -q %s --target=ptc -o %t/bad4 2>&1 | FileCheck %s --check-prefix=BADOP
// RUN: not ls %t/bad1 %t/bad2 %t/bad3 %t/bad4

// STAGES:      mlgc: [1/4] parse
// STAGES-NEXT: mlgc: [2/4] prepare: nothing to do
// STAGES-NEXT: mlgc: [3/4] mlg-to-ptc (model dptc-hbm)
// STAGES-NEXT: mlgc: [4/4] write {{.*}}mlgc.ptc

// CHECK:     ptc.program {
// CHECK:     ptc.layer "fc1_0"
// CHECK:     ptc.layer "fc2_1"
// CHECK:     ptc.finish deps<pop_next>

// EMULATION: mlp: 960 codes match the emulation

// EMIT:        mlgc: error: --target=ptc emits mlir or bin
// NOPTC:       mlgc: error: --emit=bin needs --target=ptc
// MODEL:       error: PTC lowering:
// BADOP:       ptc-target.mlir:[[#@LINE+3]]:8: error: PTC lowering: unsupported op 'linalg.transpose'
func.func @unsupported(%x: tensor<4x8xf32>) -> tensor<8x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
  return %t : tensor<8x4xf32>
}

// Layers with MLG-generated filters: --ptc-weight-source reaches the pass
// (the binary equals mlg-opt's with weight-source=generated); a bad value
// fails without output.
// RUN: mkdir -p %t/gen
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/generated.py model %t/gen fc
// RUN: mlgc -q %t/gen/model.mlir --target=ptc --calibration=%t/gen/x.npy --ptc-weight-source=generated -o %t/gen/mlgc.ptc 2>&1 | FileCheck %s --check-prefix=GENERATED
// RUN: mlg-opt %t/gen/model.mlir --mlg-to-ptc="calibration=%t/gen/x.npy weight-source=generated" 2>/dev/null | mlg-translate --ptc-to-binary -o %t/gen/opt.ptc
// RUN: cmp %t/gen/mlgc.ptc %t/gen/opt.ptc
// RUN: not mlgc -q %t/gen/model.mlir --target=ptc --ptc-weight-source=bogus -o %t/gen/bad.ptc 2>&1 | FileCheck %s --check-prefix=SOURCE
// RUN: not ls %t/gen/bad.ptc
// GENERATED: remark: loc("gfc1"): PTC lowering: weights generated on the core (level 2;
// SOURCE: error: PTC lowering: weight-source must be auto, dense or generated, not 'bogus'
