// A residual network as a graph, through mlg-to-ptc, mlg-translate and
// ptc-sim: Inputs/residual.py variant a (a ResNet stem with a folded
// BatchNorm, max pooling 3x3/2 with -inf padding, a basic block whose add
// (+ ReLU in the same generic) reads the pooled tensor, pooling_nchw_sum +
// a mean generic, collapse_shape, matmul + bias; 60 channels, so every add
// and pooling tile runs for two BLOCK_OUT blocks). The output codes match
// its numpy emulation of the integer program bit-exactly (GEMMs as
// convs.py; adds and pooling with the program's per-tensor multipliers and
// shift); with an exact ADC the dequantized output is within 0.35 of
// max|y| of the float network (measured 0.26: the int4 format); with
// dptc-hbm's 8-bit ADC the error is ADC-bound (0.50), as for GEMM chains.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/residual.py model %t a
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/residual.py quantize %t a
// RUN: ptc-sim --raw-codes -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t a 3 16 0.35 | FileCheck %s --check-prefix=EXACT-A
// RUN: FileCheck %s --input-file=%t/prog.mlir --check-prefix=SRAM
// The listing below (and the run after it) is of the all-DRAM layout.
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="calibration=%t/x.npy global-sram=false" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim --raw-codes -q %t/prog.bin --input input=%t/xq.npy --output output=%t/y.npy
// RUN: %python %S/Inputs/residual.py check %t a 3 8 | FileCheck %s --check-prefix=EMULATION-A

// Global SRAM placement (first fit over live ranges): the input is copied
// into bytes [0, 1536) first (the stem reads it 2 x 9 times), live until the
// stem; the stem's result goes beside it. The pooled tensor (live from layer
// 1 to the add, 4) takes the input's dead bytes and keeps them across the
// block, while the stem's dead bytes are reused by conv1, then the add;
// conv2 sits beside conv1 (both live at layer 3), the mean in the pooled
// tensor's dead bytes.
// SRAM:      ptc.data @input_staged offset 0 = dense<0> : tensor<128x24xi4> {role = "activation", scale = {{.*}} : f64, space = "global_sram"}
// SRAM:      ptc.data @stem_0_result offset 1536 = dense<0> : tensor<128x96xi4> {role = "activation", scale = {{.*}} : f64, space = "global_sram"}
// SRAM:      ptc.data @pool_1_result offset 0 = {{.*}}space = "global_sram"}
// SRAM:      ptc.data @conv1_2_result offset 1536 = {{.*}}space = "global_sram"}
// SRAM:      ptc.data @conv2_3_result offset 3072 = {{.*}}space = "global_sram"}
// SRAM:      ptc.data @add_4_result offset 1536 = {{.*}}space = "global_sram"}
// SRAM:      ptc.data @avgpool_5_result offset 0 = {{.*}}space = "global_sram"}
// SRAM:      ptc.data @output offset {{[0-9]+}} = dense<0> : tensor<2x48xi16> {{.*}}role = "output"
// The copy: 128 x 24 = 3072 codes in tiles of 12 x 48 through acc rows 0
// and 1 (5 tiles and one of 4 rows), with the token scheme of the ALU layers.
// SRAM:      ptc.layer "input_staging"
// SRAM:      ptc.load acc sram 0 dram 0 rows 12 cols 48 stride 48 pad [0, 0, 0, 0] bits 4 deps<push_next>
// SRAM-NEXT: ptc.store acc sram 0 dram 2147483648 rows 12 cols 48 stride 48 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
// SRAM:      ptc.load acc sram 1 dram 1440 rows 4 cols 48 stride 48 pad [0, 0, 0, 0] bits 4 deps<pop_next|push_next>
// SRAM-NEXT: ptc.store acc sram 1 dram 2147485088 rows 4 cols 48 stride 48 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
// SRAM:      ptc.layer "stem_0"
// SRAM-NEXT: ptc.cfg in_bits = 4 deps<pop_next|push_prev>

// EXACT-A:      residual a: 96 codes match the emulation (gemm maxpool gemm gemm add avgpool matmul); padding columns zero: True
// EXACT-A-NEXT: max error / max|y| vs float: 0.
// EXACT-A-NEXT: tolerance 0.35: ok
// EMULATION-A:  residual a: 96 codes match the emulation

// Max pooling keeps its input's scale: no arithmetic. The add and the
// mean carry per-tensor multipliers.
// CHECK:      ptc.data @pool_1_result offset {{[0-9]+}} = dense<0> : tensor<32x96xi4> {multipliers = array<i64: 1>, role = "activation", scale = {{[-0-9.eE+]+}} : f64, shift = 0 : i64}
// CHECK:      ptc.data @add_4_result offset {{[0-9]+}} = dense<0> : tensor<32x96xi4> {multipliers = array<i64: {{[0-9]+}}, {{[0-9]+}}>, role = "activation", scale = {{[-0-9.eE+]+}} : f64, shift = {{[0-9]+}} : i64}
// CHECK:      ptc.data @avgpool_5_result offset {{[0-9]+}} = dense<0> : tensor<2x96xi4> {multipliers = array<i64: {{[0-9]+}}>, role = "activation", scale = {{[-0-9.eE+]+}} : f64, shift = {{[0-9]+}} : i64}
// CHECK:      ptc.data @output offset {{[0-9]+}} = dense<0> : tensor<2x48xi16> {{.*}}role = "output"
// The max pooling layer: the compute module pops the stem's last store
// token and hands the load module none (it reads with LOAD acc). Output
// row 0 (4 pixels): taps of input rows 0 and 1 (row -1 is skipped), the
// first into acc row 0, the others into row 2 and max-ed into it; x
// stride 2 pixels x 96 columns; the pixel left of the image is a zero row.
// CHECK:      ptc.layer "pool_1"
// CHECK-NEXT: ptc.cfg in_bits = 4 deps<pop_next>
// CHECK-NEXT: ptc.load acc sram 0 dram {{[0-9]+}} rows 3 cols 48 stride 192 pad [1, 8, 0, 0] bits 4
// CHECK-NEXT: ptc.load acc sram 2 dram {{[0-9]+}} rows 4 cols 48 stride 192 pad [0, 8, 0, 0] bits 4
// CHECK-NEXT: ptc.alu max
// CHECK:      ptc.alu clip {{.*}} deps<push_next>
// CHECK-NEXT: ptc.store acc sram 0
// The next GEMM layer's CFG lets the load module read the pooled tensor.
// CHECK:      ptc.layer "conv1_2"
// CHECK-NEXT: ptc.cfg in_bits = 4 deps<pop_next|push_prev>
// The add: both operands into acc rows, scaled, summed, requantized, ReLU.
// CHECK:      ptc.layer "add_4"
// CHECK-NEXT: ptc.cfg in_bits = 4 deps<pop_next>
// CHECK-NEXT: ptc.load acc sram 0 dram {{[0-9]+}} rows 12 cols 48 stride 96 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.load acc sram 2 dram {{[0-9]+}} rows 12 cols 48 stride 96 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.alu mul
// CHECK-NEXT: ptc.alu mul
// CHECK-NEXT: ptc.alu add
// CHECK:      ptc.alu shr
// CHECK-NEXT: ptc.alu max
// CHECK-NEXT: ptc.alu clip
// Global average pooling: 16 pixels into acc rows 2..17, one ALU add over
// them.
// CHECK:      ptc.layer "avgpool_5"
// CHECK-COUNT-16: ptc.load acc sram {{[0-9]+}} dram {{[0-9]+}} rows 1 cols 48
// CHECK-NEXT: ptc.alu add uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 16 dst [0, 0] src [0, 1]
// CHECK:      ptc.layer "fc_6"
// CHECK:      ptc.finish deps<pop_next>
