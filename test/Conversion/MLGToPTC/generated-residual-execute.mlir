// Generated weights in the graph and segmented schedule: Inputs/residual.py
// variant a (stem conv, max pooling, basic block with a residual add, average
// pooling, classifier) compressed by mlg-compress (the three convolutions
// become generator chains, Bi 2, Bc 8, U split into two 4-bit digits) and
// lowered with weight-source=generated on dptc-hbm-adc16 with an 18 KiB
// coeff buffer (8 coeff_u rows of 48 x 24): the block convolutions' U (12
// rows: 3 input blocks x 2 digits x Bi) does not fit, so it is reloaded per generation in halves of the buffer, which
// bounds their reduction segments, and level 1 runs per segment. The
// output codes match residual.py's emulation bit-exactly, which regenerates
// every generated layer's weights from the program's generator tensors
// (generated.py).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/residual.py model %t a
// RUN: mlg-opt %t/model.mlir --mlg-compress="bi=2 bc=8 qb=3 qu=6 qv=3" -o %t/compressed.mlir
// RUN: sed 's/"coeff": { "size": "64 KiB"/"coeff": { "size": "18 KiB"/' %S/Inputs/dptc-hbm-adc16.json > %t/small-coeff.json
// RUN: mlg-opt %t/compressed.mlir --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%t/small-coeff.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/residual.py quantize %t a
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%t/small-coeff.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t a 3 16 | FileCheck %s --check-prefix=EXACT
// RUN: awk '/ptc.layer "layer_3"/{exit} /ptc.layer "layer_2"/{on=1} on' %t/prog.mlir | grep -c "ptc.load coeff_u" | FileCheck %s --check-prefix=RELOADS

// REMARK-COUNT-3: weights generated on the core (level 1 + level 2;
// EXACT: residual a: 96 codes match the emulation (gemm maxpool gemm gemm add avgpool matmul); padding columns zero: True

// The stem's U fits and is loaded once; the block convolutions' is not.
// CHECK:      ptc.data @layer_0_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<4x1152xi4>
// CHECK:      ptc.data @layer_0_multiplier {{.*}} {reduction = 216 : i64, segment = 9 : i64, shift = {{[0-9]+}} : i64}
// CHECK:      ptc.data @layer_2_coeff_u offset {{[0-9]+}} = dense<{{.*}}> : tensor<12x1152xi4>
// CHECK:      ptc.data @layer_2_multiplier {{.*}} {reduction = 648 : i64, segment = 1 : i64
// CHECK:      ptc.layer "layer_0"
// CHECK:      ptc.load coeff_u sram 0
// CHECK:      ptc.layer "layer_2"
// Generations alternate the two halves (4 rows: one input block) of coeff_u.
// CHECK:      ptc.load coeff_u sram 0 dram
// CHECK:      ptc.gen level 1
// CHECK:      ptc.gen level 2
// CHECK:      ptc.load coeff_u sram 4 dram {{[0-9]+}} rows 192 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<pop_next>
// CHECK:      ptc.layer "layer_3"
// One U load per (output block, segment): 2 blocks x 27 one-chunk segments.
// RELOADS: 54
