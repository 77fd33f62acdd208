// Two linear SmartDeal layers (mlg-decompose family=smartdeal of
// linalg.matmul weights: the transposed, cropped rows of 3) through
// mlg-to-ptc with weight-source=generated: fc1 200 -> 70 (two blocks of 34
// rows per output channel, a partial second output block of 22 channels),
// fc2 70 -> 10. Inputs/smartdeal.py --fc regenerates the weights from the
// program's codes and basis codes with SHADD's rule and emulates the GEMMs:
// bit-exact on an exact ADC and on dptc-hbm.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/smartdeal.py model %t --fc
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/smartdeal.py quantize %t --fc
// RUN: ptc-sim --raw-codes -q --model=%S/Inputs/dptc-hbm-adc16.json %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/smartdeal.py check %t 16 0.45 --fc | FileCheck %s --check-prefix=NUMPY
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/smartdeal.py check %t --fc | FileCheck %s --check-prefix=HBM

// REMARK: remark: loc("fc1"): PTC lowering: weights generated on the core (SmartDeal, SHADD: 20 instructions,
// REMARK: remark: loc("fc2"): PTC lowering: weights generated on the core (SmartDeal, SHADD: 3 instructions,

// NUMPY: smartdeal: 960 codes match the emulation (2 layers by SHADD); padding columns zero: True
// NUMPY-NEXT: max error / max|y| vs the float network: {{0\.[0-9]+}} (tolerance 0.45): ok
// HBM: smartdeal: 960 codes match the emulation (2 layers by SHADD)

// fc1's codes [out block][K chunk][o][24] (9 chunks of 216 columns), the
// second block's 22 channels only; chunk 4 (K 96..119) holds the block
// boundary at K = 102.
// CHECK:      ptc.data @fc1_0_codes offset {{[0-9]+}} = dense<{{.*}}> : tensor<864x24xi5> {block_rows = 34 : i64, kernel = 0 : i64, shifts = array<i64: {{[0-9]+}}, {{[0-9]+}}>}
// CHECK-LABEL: ptc.layer "fc1_0"
// CHECK:      ptc.shadd wgt 4608 code 4608 basis 0 len 6 start 0 rank 3 cols 3 round rshift {{[0-9]+}} repeat 48 strides [24, 24, 18]
// CHECK-NEXT: ptc.shadd wgt 4614 code 4614 basis 9 len 18 start 0 rank 3 cols 3
// CHECK:      ptc.load coeff_u sram 14 dram {{[0-9]+}} rows 22 cols 24 stride 24 pad [0, 0, 0, 0] bits 5
// CHECK:      ptc.shadd wgt {{[0-9]+}} code {{[0-9]+}} basis {{[0-9]+}} len 24 start 0 rank 3 cols 3 round rshift {{[0-9]+}} repeat 22 strides [24, 24, 18]
