// Three SmartDeal layers (mlg-decompose family=smartdeal of dense float
// convolutions: 1x1 200 -> 64 with its rows of 3 in two blocks, 3x3 64 -> 80
// with a folded BatchNorm scale, 3x3 stride 2 80 -> 10 with two channel
// groups of 40) through mlg-to-ptc with weight-source=generated: SHADD
// writes every weight row from the codes and basis codes, one instruction
// per run of a row for the block's 48 output channels. Inputs/smartdeal.py
// regenerates every weight from the program's codes and basis codes with
// SHADD's rule and emulates the GEMMs: bit-exact on an exact ADC, dptc-hbm
// and dptc-edge-lpddr; the dequantized output is compared with the float
// network of the original dense weights.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/smartdeal.py model %t
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/smartdeal.py quantize %t
// RUN: ptc-sim --raw-codes --model=%S/Inputs/dptc-hbm-adc16.json %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/smartdeal.py check %t 16 0.45 | FileCheck %s --check-prefix=NUMPY
// The same network loaded dense from the SmartDeal chains: the error of the
// compressed weights at 4 bits, which SHADD's codes match.
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-source=dense model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q --model=%S/Inputs/dptc-hbm-adc16.json %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/smartdeal.py check %t 16 0.45 | FileCheck %s --check-prefix=DENSE
// The presets' 8-bit ADC (with the calibrated full scale): bit-exact.
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-source=generated" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/smartdeal.py check %t | FileCheck %s --check-prefix=HBM
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-source=generated model=dptc-edge-lpddr" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir 2>/dev/null
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q --model=dptc-edge-lpddr %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/smartdeal.py check %t | FileCheck %s --check-prefix=HBM
// weight-source=auto: the cost model keeps 4-bit dense weights (5-bit codes
// and 8-bit bases move more bits); against 8-bit dense weights on
// dptc-edge-lpddr (LPDDR energy) it generates every layer, on dptc-hbm only
// the 3x3 64 -> 80 layer (the others would be slower).
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy model=dptc-edge-lpddr" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO4
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy model=dptc-edge-lpddr weight-bits=8" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO8-EDGE
// RUN: mlg-opt %t/model.mlir --mlg-decompose="family=smartdeal" --mlg-to-ptc="calibration=%t/x.npy weight-bits=8" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO8-HBM

// AUTO4-COUNT-3: PTC lowering: dense weights: cost model: generation costs
// AUTO8-EDGE-COUNT-3: PTC lowering: weights generated on the core (SmartDeal
// AUTO8-HBM: loc("sd1"): PTC lowering: dense weights: cost model
// AUTO8-HBM-NEXT: loc("sd2"): PTC lowering: weights generated on the core (SmartDeal
// AUTO8-HBM-NEXT: loc("sd3"): PTC lowering: dense weights: cost model

// REMARK: remark: loc("sd1"): PTC lowering: weights generated on the core (SmartDeal, SHADD: 20 instructions, 9792 bytes of codes and bases from DRAM)
// REMARK: remark: loc("sd2"): PTC lowering: weights generated on the core (SmartDeal, SHADD: 54 instructions,
// REMARK: remark: loc("sd3"): PTC lowering: weights generated on the core (SmartDeal, SHADD: 45 instructions,

// NUMPY: smartdeal: 864 codes match the emulation (3 layers by SHADD); padding columns zero: True
// NUMPY-NEXT: max error / max|y| vs the float network: {{0\.[0-9]+}} (tolerance 0.45): ok
// DENSE: smartdeal: 864 codes match the emulation (0 layers by SHADD)
// DENSE-NEXT: max error / max|y| vs the float network: {{0\.[0-9]+}} (tolerance 0.45): ok
// HBM: smartdeal: 864 codes match the emulation (3 layers by SHADD)

// SIM: by instruction class: {{.*}} shadd 119 (

// No weight tensors: the codes at their 5 bits, [out block][unit][o][unit
// codes] (1x1: 9 K chunks of 24 codes; 3x3: 3 kernel rows x 3 channel chunks
// of 72 codes), the basis [o][block][9] in 8 bits.
// CHECK-NOT:  @sd1_0_weight
// CHECK:      ptc.data @sd1_0_codes offset {{[0-9]+}} = dense<{{.*}}> : tensor<864x24xi5> {block_rows = 34 : i64, kernel = 1 : i64, shifts = array<i64: {{[0-9]+}}, {{[0-9]+}}>}
// CHECK-NEXT: ptc.data @sd1_0_basis offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x18xi8>
// CHECK:      ptc.data @sd2_1_codes offset {{[0-9]+}} = dense<{{.*}}> : tensor<864x72xi5> {block_rows = 192 : i64, kernel = 3 : i64
// CHECK-NEXT: ptc.data @sd2_1_basis offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x9xi8>
// CHECK:      ptc.data @sd3_2_codes offset {{[0-9]+}} = dense<{{.*}}> : tensor<576x72xi5> {block_rows = 120 : i64, kernel = 3 : i64

// sd1: the block's basis, its 9 code units in one LOAD, then one SHADD per
// K chunk for the 48 channels (rows of 3, n_cols 3); chunk 4 (K 96..119)
// holds the block boundary at K = 102: two runs.
// CHECK-LABEL: ptc.layer "sd1_0"
// CHECK:      ptc.load basis sram 0 dram {{[0-9]+}} rows 48 cols 18 stride 18 pad [0, 0, 0, 0] bits 8
// CHECK-NEXT: ptc.load coeff_u sram 0 dram {{[0-9]+}} rows 432 cols 24 stride 24 pad [0, 0, 0, 0] bits 5
// CHECK-NEXT: ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 3 round rshift {{[0-9]+}} repeat 48 strides [24, 24, 18] deps<pop_prev>
// CHECK-COUNT-3: ptc.shadd wgt {{[0-9]+}} code {{[0-9]+}} basis 0 len 24
// CHECK-NEXT: ptc.shadd wgt 4608 code 4608 basis 0 len 6 start 0 rank 3 cols 3
// CHECK-NEXT: ptc.shadd wgt 4614 code 4614 basis 9 len 18 start 0 rank 3 cols 3
// CHECK-NEXT: ptc.shadd wgt 5760 code 5760 basis 9 len 24
// sd2: the reduction runs channel chunk by channel chunk, the 9 taps of each
// together, so the three taps of a kernel row read one code unit (units
// [channel chunk][kernel row]); a segment of 12 positions takes 4 units,
// one LOAD. A tap's SHADD reads the transposed basis column kw (basis +
// 3 kw), n_cols 1, the unit's codes 72 apart per channel.
// CHECK-LABEL: ptc.layer "sd2_1"
// CHECK:      ptc.load basis sram 0 dram {{[0-9]+}} rows 48 cols 9 stride 9
// CHECK-NEXT: ptc.load coeff_u sram 0 dram {{[0-9]+}} rows 192 cols 72 stride 72 pad [0, 0, 0, 0] bits 5
// CHECK-NEXT: ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 1 round rshift {{[0-9]+}} repeat 48 strides [24, 72, 9] deps<pop_prev>
// CHECK-NEXT: ptc.shadd wgt 1152 code 0 basis 3 len 24
// CHECK-NEXT: ptc.shadd wgt 2304 code 0 basis 6 len 24
// CHECK-NEXT: ptc.shadd wgt 3456 code 3456 basis 0 len 24
// sd3: 10 output channels: the codes and the basis of those only (a LOAD
// per unit), and a repeat of 10 (the padded channels' multipliers are 0).
// Channel groups of 40: channel chunk 1 (channels 24..47, positions 9..17)
// is two runs per tap, the second reading the next basis block (+9).
// CHECK-LABEL: ptc.layer "sd3_2"
// CHECK:      ptc.load basis sram 0 dram {{[0-9]+}} rows 10 cols 18 stride 18
// CHECK-NEXT: ptc.load coeff_u sram 0 dram {{[0-9]+}} rows 10 cols 72 stride 72 pad [0, 0, 0, 0] bits 5
// CHECK-NEXT: ptc.load coeff_u sram 3 dram {{[0-9]+}} rows 10 cols 72 stride 72 pad [0, 0, 0, 0] bits 5
// CHECK:      ptc.shadd wgt 0 code 0 basis 0 len 24 start 0 rank 3 cols 1 round rshift {{[0-9]+}} repeat 10 strides [24, 72, 18] deps<pop_prev>
// CHECK:      ptc.shadd wgt 10368 code 10368 basis 0 len 16 start 0 rank 3 cols 1
// CHECK-NEXT: ptc.shadd wgt 10384 code 10416 basis 9 len 8 start 0 rank 3 cols 1
