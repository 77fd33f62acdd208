// A two-layer MLP (linalg.matmul + bias + ReLU, then linalg.matmul + bias;
// 20 rows, 40 -> 60 -> 10) through mlg-to-ptc, mlg-translate and ptc-sim.
// Inputs/mlp.py checks the simulator's output codes:
//  * always: equal to a numpy emulation of the integer program built from
//    the program's constants (tiling, zero padding, ADC windows, bias,
//    fixed-point requantization, ReLU, clipping) — bit-exact;
//  * with an exact ADC (Inputs/dptc-hbm-adc16.json): within 2 hidden-code
//    steps of an independent float W4A4 fake quantization of the network
//    (int and float round near-tie hidden values differently; the reasoning
//    is in mlp.py). The error against the unquantized float network is
//    printed (0.32 of max|y|: int4 weights and 3-bit post-ReLU activations).
// Calibration uses the same 20 rows that are run, with activation-range=max:
// the float reference implements the max rule.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/mlp.py model %t dense
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/mlp.py quantize %t dense
// RUN: ptc-sim %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --raw-codes --output output=%t/y.npy | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/mlp.py check %t dense 3 16 2 | FileCheck %s --check-prefix=EXACT
// The default model (8-bit ADC over a 14-bit full scale): bit-exact against
// the emulation; the ADC dominates the error (printed, not bounded).
// The listing below (and the run after it) is of the all-DRAM layout; the
// run above kept the hidden result in the global SRAM.
// RUN: FileCheck %s --input-file=%t/prog.mlir --check-prefix=SRAM
// SRAM: ptc.data @fc1_0_result offset 0 = dense<0> : tensor<20x96xi4> {role = "activation", scale = {{.*}} : f64, space = "global_sram"}
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy global-sram=false" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t dense 3 8 | FileCheck %s --check-prefix=EMULATION
// Double buffering: the modules overlap (makespan below the sum of their busy
// cycles at 5 GHz). Checked with serialized DMA (Inputs/dptc-hbm-adc16.json
// sets no memory.dram.outstanding_requests: 1), where a module's busy
// cycles are its instructions' whole durations.
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --raw-codes --report-json %t/r.json
// RUN: %python -c "import json; t = json.load(open('%t/r.json'))['total']; b = t['busy_cycles']; print('overlap', t['latency_ns'] * 5 < b['load'] + b['compute'] + b['store'])" | FileCheck %s --check-prefix=OVERLAP
// The same with one ADC conversion per GEMM step.
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy t-acc=1" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t dense 1 8 | FileCheck %s --check-prefix=EMULATION
// The other presets: dptc-edge-lpddr (same geometry, LPDDR) and the
// weight-stationary mzi-ws (BATCH 1: one pixel per tile, T_acc 1).
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=dptc-edge-lpddr" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --model=dptc-edge-lpddr --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t dense 3 8 | FileCheck %s --check-prefix=EMULATION
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=mzi-ws" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --model=mzi-ws --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t dense 1 8 | FileCheck %s --check-prefix=EMULATION
// Dense weights at 8 bits (weight-bits=8): two signed 4-bit digits per
// weight (_weight, _weight_high), a GEMM per digit, recombined by
// shladd; bit-exact on the exact-ADC model and on dptc-hbm, and closer to
// the float network than 4-bit weights (0.32).
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json weight-bits=8" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --check-prefix=DIGITS --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t dense 3 16 | FileCheck %s --check-prefix=DIGITS8
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy weight-bits=8" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim -q %t/prog.bin --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/mlp.py check %t dense 3 8 | FileCheck %s --check-prefix=EMULATION
// RUN: not mlg-opt %t/model.mlir --mlg-to-ptc="weight-bits=6" 2>&1 | FileCheck %s --check-prefix=BITS

// DIGITS:      ptc.data @fc1_0_weight offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x48xi4> {adc_fs_bits
// DIGITS-NEXT: ptc.data @fc1_0_weight_high offset {{[0-9]+}} = dense<{{.*}}> : tensor<96x48xi4>{{$}}
// DIGITS:      ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 2 dst
// DIGITS-NEXT: ptc.gemm uops [{{[0-9]+}}, {{[0-9]+}}) iter 1 x 2 dst
// DIGITS:      ptc.alu shladd {{.*}} imm 4
// DIGITS8:      mlp: 960 codes match the emulation; padding columns zero: True
// DIGITS8-NEXT: max error / max|y|: vs float 0.2{{[0-9]+}},
// BITS: error: PTC lowering: weight-bits must be the model's weight bits (4) or twice that, got 6

// SIM:      ptc-sim report: model dptc-hbm-adc16
// SIM-NEXT: layer
// SIM-NEXT: fc1_0 57
// SIM-NEXT: fc2_1 30
// SIM-NEXT: total 87

// EXACT:      mlp: 960 codes match the emulation; padding columns zero: True
// EXACT-NEXT: max error / max|y|: vs float 0.3
// EXACT-NEXT: vs fake quantization: {{[01]\.[0-9]+}} hidden-code flips (tolerance 2): ok

// EMULATION: mlp: 960 codes match the emulation; padding columns zero: True
// OVERLAP: overlap True

// Data: the input in the host layout [20][40 padded to 48], weights as
// [out padded][in padded] codes, 16-bit per-channel constants, the hidden
// result (4-bit codes, 60 channels padded to 96), the 16-bit output.
// CHECK:      ptc.program {
// CHECK-NEXT: ptc.data @input offset 0 = dense<0> : tensor<20x48xi4> {host_layout = "nchw_pixels", host_shape = array<i64: 20, 40>, role = "input", scale = {{.*}} : f64}
// CHECK-NEXT: ptc.data @fc1_0_weight offset 480 = dense<{{.*}}> : tensor<96x48xi4>
// CHECK-NEXT: ptc.data @fc1_0_multiplier offset 2784 = dense<{{.*}}> : tensor<96xi16> {shift = [[SHIFT1:[0-9]+]] : i64}
// CHECK-NEXT: ptc.data @fc1_0_bias offset 2976 = dense<{{.*}}> : tensor<96xi16>
// CHECK-NEXT: ptc.data @fc1_0_result offset 3168 = dense<0> : tensor<20x96xi4>
// CHECK-NEXT: ptc.data @fc2_1_weight offset 4128 = dense<{{.*}}> : tensor<48x72xi4>
// CHECK-NEXT: ptc.data @fc2_1_multiplier offset 5856 = dense<{{.*}}> : tensor<48xi16> {shift = [[SHIFT2:[0-9]+]] : i64}
// CHECK-NEXT: ptc.data @fc2_1_bias offset 5952 = dense<{{.*}}> : tensor<48xi16>
// CHECK-NEXT: ptc.data @output offset 6048 = dense<0> : tensor<20x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 20, 10>, role = "output", scale = {{.*}} : f64}
// Micro-ops: (acc slot, inp/const row, wgt row).
// CHECK-NEXT: ptc.uop dst 0 src 0 wgt 0
// CHECK-NEXT: ptc.uop dst 0 src 3 wgt 0
// CHECK-NEXT: ptc.uop dst 0 src 2 wgt 0
// CHECK-NEXT: ptc.uop dst 1 src 0 wgt 0
// CHECK-NEXT: ptc.uop dst 1 src 2 wgt 0
// CHECK-NEXT: ptc.uop dst 1 src 3 wgt 0
// CHECK-NEXT: ptc.uop dst 0 src 0 wgt 2
// CHECK-NEXT: ptc.uop dst 1 src 2 wgt 2
// CHECK-NEXT: ptc.layer "fc1_0"
// CHECK-NEXT: ptc.cfg in_bits = 4
// CHECK-NEXT: ptc.cfg w_bits = 4
// CHECK-NEXT: ptc.cfg t_acc = 3
// CHECK-NEXT: ptc.load uop sram 0 dram 0 rows 1 cols 8 stride 8
// The ADC's full scale for this layer's windows (AdcCalibration.h).
// CHECK-NEXT: ptc.cfg adc_fs_bits = {{[0-9]+}}
// Tile 0 (channels 0-47, rows 0-11): the block's two weight rows, then two
// input rows; the constants; reset + one 2-step GEMM run; requantization.
// CHECK-NEXT: ptc.load wgt sram 0 dram 480 rows 48 cols 24 stride 48 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.load wgt sram 1 dram 492 rows 48 cols 24 stride 48 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 0 dram 0 rows 12 cols 24 stride 48 pad [0, 0, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 1 dram 12 rows 12 cols 24 stride 48 pad [0, 0, 0, 0] bits 4 deps<push_next>
// CHECK-NEXT: ptc.load acc sram 2 dram 2784 rows 12 cols 48 stride 0 pad [0, 0, 0, 0] bits 16
// CHECK-NEXT: ptc.load acc sram 3 dram 2976 rows 12 cols 48 stride 0 pad [0, 0, 0, 0] bits 16
// CHECK-NEXT: ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
// CHECK-NEXT: ptc.gemm uops [0, 1) iter 1 x 2 dst [0, 0] src [0, 1] wgt [0, 1] deps<push_prev>
// CHECK-NEXT: ptc.alu add uops [1, 2) iter 1 x 1 dst [0, 0] src [0, 0]{{$}}
// CHECK-NEXT: ptc.alu mul uops [2, 3) iter 1 x 1 dst [0, 0] src [0, 0]{{$}}
// CHECK-NEXT: ptc.alu add uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm
// CHECK-NEXT: ptc.alu shr uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm [[SHIFT1]]{{$}}
// CHECK-NEXT: ptc.alu max uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 0{{$}}
// CHECK-NEXT: ptc.alu clip uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 7 deps<push_next>
// CHECK-NEXT: ptc.store acc sram 0 dram 3168 rows 12 cols 48 stride 96 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
// Tile 1 (rows 12-19): the weights stay; 8 rows + 4 padding rows in the
// other inp slot and acc row.
// CHECK-NEXT: ptc.load inp sram 2 dram 288 rows 8 cols 24 stride 48 pad [0, 4, 0, 0] bits 4
// CHECK-NEXT: ptc.load inp sram 3 dram 300 rows 8 cols 24 stride 48 pad [0, 4, 0, 0] bits 4 deps<push_next>
// CHECK-NEXT: ptc.gemm reset uops [3, 4) {{.*}} deps<pop_prev>
// CHECK-NEXT: ptc.gemm uops [4, 5) iter 1 x 2 {{.*}} deps<push_prev>
// CHECK:      ptc.store acc sram 1 dram 3744 rows 8 cols 48 stride 96 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
// Tile 2 (channels 48-95): the next block's weights in the other wgt slot,
// once the compute module has freed tile 0's slots.
// CHECK-NEXT: ptc.load wgt sram 2 dram 1632 rows 48 cols 24 stride 48 pad [0, 0, 0, 0] bits 4 deps<pop_next>
// CHECK:      ptc.gemm reset uops [0, 1) {{.*}} deps<pop_prev|pop_next>
// CHECK:      ptc.store acc sram 0 dram 3192 {{.*}} deps<pop_prev>{{$}}
// CHECK:      ptc.store acc sram 1 dram 3768 {{.*}} deps<pop_prev|push_prev>
// Layer 2 starts after layer 1's last store, reading its result: the
// reduction covers the 72 of its 96 stored columns that hold the 60 channels
// rounded up to BLOCK_IN.
// CHECK-NEXT: ptc.layer "fc2_1"
// CHECK-NEXT: ptc.cfg in_bits = 4 deps<pop_next|push_prev>
// CHECK-NEXT: ptc.cfg adc_fs_bits = {{[0-9]+}}
// CHECK-NEXT: ptc.load wgt sram 0 dram 4128 rows 48 cols 24 stride 72 pad [0, 0, 0, 0] bits 4 deps<pop_next>
// CHECK-COUNT-2: ptc.load wgt
// CHECK-NEXT: ptc.load inp sram 0 dram 3168 rows 12 cols 24 stride 96
// CHECK:      ptc.gemm uops [0, 1) iter 1 x 3 dst [0, 0] src [0, 1] wgt [0, 1]{{$}}
// CHECK-NOT:  ptc.alu max
// CHECK:      ptc.alu clip {{.*}} imm 32767 deps<push_next>
// CHECK-NEXT: ptc.store acc sram 0 dram 6048 rows 12 cols 48 stride 48 pad [0, 0, 0, 0] bits 16 deps<pop_prev>{{$}}
// CHECK:      ptc.store acc sram 1 dram 7200 rows 8 cols 48 stride 48 pad [0, 0, 0, 0] bits 16 deps<pop_prev|push_prev>
// CHECK-NEXT: ptc.finish deps<pop_next>
