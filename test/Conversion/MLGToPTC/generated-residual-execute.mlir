// Generated weights in the graph and segmented schedule: Inputs/residual.py
// variant a (stem conv, max pooling, basic block with a residual add, average
// pooling, classifier) compressed by mlg-compress (the three convolutions
// become generator chains, Bi 2, Bc 8, U split into two 4-bit digits) and
// lowered with weight-source=generated on dptc-hbm-adc16 with an 18 KiB
// coeff buffer (8 coeff_u rows of 48 x 24): the block convolutions' U (12
// rows: 3 input blocks x 2 digits x Bi) does not fit.
// - STAGED (wgt 256 KiB): their level-1 kernels fit the wgt buffer whole, so
//   level 1 runs once per layer with U streamed through the halves of
//   coeff_u (one input block each): 3 U loads, one reduction segment.
// - PERSEG (wgt 33 KiB, 29 rows: the 27 level-1 rows plus two slots do not
//   fit): U is reloaded per generation in halves of the buffer, which bounds
//   the reduction segments to one chunk, and level 1 runs per segment.
// Either way the output codes match residual.py's emulation bit-exactly,
// which regenerates every generated layer's weights from the program's
// generator tensors (generated.py).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/residual.py model %t a
// RUN: mlg-opt %t/model.mlir --mlg-compress="bi=2 bc=8 qb=3 qu=6 qv=3" -o %t/compressed.mlir
// RUN: sed 's/"coeff": { "size": "64 KiB"/"coeff": { "size": "18 KiB"/' %S/Inputs/dptc-hbm-adc16.json > %t/staged.json
// RUN: sed 's/"wgt": { "size": "256 KiB"/"wgt": { "size": "33 KiB"/' %t/staged.json > %t/perseg.json

// RUN: mlg-opt %t/compressed.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%t/staged.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefixes=CHECK,STAGED --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/residual.py quantize %t a
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%t/staged.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t a 3 16 | FileCheck %s --check-prefix=EXACT
// RUN: awk '/ptc.layer "layer_3"/{exit} /ptc.layer "layer_2"/{on=1} on' %t/prog.mlir | grep -c "ptc.load coeff_u" | FileCheck %s --check-prefix=STAGED-LOADS

// RUN: mlg-opt %t/compressed.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%t/perseg.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefixes=CHECK,PERSEG --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/residual.py quantize %t a
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%t/perseg.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t a 3 16 | FileCheck %s --check-prefix=EXACT
// RUN: awk '/ptc.layer "layer_3"/{exit} /ptc.layer "layer_2"/{on=1} on' %t/prog.mlir | grep -c "ptc.load coeff_u" | FileCheck %s --check-prefix=PERSEG-LOADS

// In `auto`, a staged U leaves the choice to the cost model; per-segment
// reloads are not in its estimate, so those layers keep dense weights.
// RUN: mlg-opt %t/compressed.mlir --mlg-to-ptc="calibration=%t/x.npy model=%t/staged.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=STAGED-AUTO
// RUN: mlg-opt %t/compressed.mlir --mlg-to-ptc="calibration=%t/x.npy model=%t/perseg.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=PERSEG-AUTO
// STAGED-AUTO-COUNT-3: remark: PTC lowering: dense weights: cost model: generation costs
// PERSEG-AUTO:         remark: PTC lowering: dense weights: cost model: generation costs
// PERSEG-AUTO-COUNT-2: remark: PTC lowering: dense weights: the generator would be reloaded per segment (not in the cost model)

// REMARK-COUNT-3: weights generated on the core (level 1 + level 2;
// EXACT: residual a: 96 codes match the emulation (gemm maxpool gemm gemm add avgpool matmul); padding columns zero: True

// The stem's U fits and is loaded once; the block convolutions' is not.
// CHECK:      ptc.data @layer_0_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<4x1152xi4>
// CHECK:      ptc.data @layer_0_multiplier {{.*}} {adc_fs_bits = {{[0-9]+}} : i64, reduction = 216 : i64, segment = 9 : i64, shift = {{[0-9]+}} : i64}
// CHECK:      ptc.data @layer_2_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<12x1152xi4>
// STAGED:     ptc.data @layer_2_multiplier {{.*}} {adc_fs_bits = {{[0-9]+}} : i64, reduction = 648 : i64, segment = 27 : i64
// PERSEG:     ptc.data @layer_2_multiplier {{.*}} {adc_fs_bits = {{[0-9]+}} : i64, reduction = 648 : i64, segment = 1 : i64
// CHECK:      ptc.layer "layer_0"
// CHECK:      ptc.load coeff_u sram 0
// CHECK:      ptc.layer "layer_2"
// Staged: each input block's U rows go to alternating halves (4 rows); the
// load of the third waits for the GENs of the first; all of level 1 runs
// before the first level-2 generation.
// STAGED:     ptc.load coeff_u sram 0 dram {{[0-9]+}} rows 192 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<push_next>
// STAGED:     ptc.gen level 1 {{.*}} deps<pop_prev>
// STAGED:     ptc.load coeff_u sram 4 dram {{[0-9]+}} rows 192 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<push_next>
// STAGED:     ptc.gen level 1 {{.*}} deps<pop_prev>
// STAGED:     ptc.load coeff_u sram 0 dram {{[0-9]+}} rows 192 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<pop_next|push_next>
// STAGED:     ptc.gen level 1 {{.*}} deps<pop_prev>
// STAGED-NOT: ptc.load coeff_u
// STAGED:     ptc.gen level 2
// Per segment: generations alternate the two halves (4 rows: one input
// block) of coeff_u.
// PERSEG:     ptc.load coeff_u sram 0 dram
// PERSEG:     ptc.gen level 1
// PERSEG:     ptc.gen level 2
// PERSEG:     ptc.load coeff_u sram 4 dram {{[0-9]+}} rows 192 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<pop_next>
// CHECK:      ptc.layer "layer_3"
// One U load per input block; per segment: 2 blocks x 27 one-chunk segments.
// STAGED-LOADS: 3
// PERSEG-LOADS: 54
