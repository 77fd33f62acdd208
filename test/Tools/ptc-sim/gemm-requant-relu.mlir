// A GEMM layer (K = 12 in three intrinsic steps, T_acc = 2: two ADC
// windows), then requantization and ReLU with the ALU, against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/ptc_reference.py gen gemm %t
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: ptc-sim %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --input w=%t/w.npy --output %t/out.npy --report-json %t/report.json | FileCheck %s
// RUN: %python %S/Inputs/ptc_reference.py check gemm %t | FileCheck %s --check-prefix=NUMPY
// RUN: FileCheck %s --check-prefix=JSON < %t/report.json
// Noise (3 ADC steps): reproducible by seed, different across seeds; the
// report shows the noise-free run above matched numpy.
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --input %t/w.npy --output %t/n1.npy --noise-std 3 --seed 1
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --input %t/w.npy --output %t/n1b.npy --noise-std 3 --seed 1
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --input %t/w.npy --output %t/n2.npy --noise-std 3 --seed 2
// RUN: cmp %t/n1.npy %t/n1b.npy
// RUN: not cmp %t/n1.npy %t/n2.npy
// RUN: not cmp %t/n1.npy %t/out.npy
// The same program runs on every preset.
// RUN: ptc-sim -q %t/prog.bin --model=dptc-edge-lpddr --input %t/x.npy --input %t/w.npy
// RUN: ptc-sim -q %t/prog.bin --model=mzi-ws --input %t/x.npy --input %t/w.npy

// CHECK:      ptc-sim report: model tiny (5.0 GHz)
// CHECK-NEXT: layer insns load-cyc {{.*}} dram-B dram-wgt-B dram-act-B local-B
// DRAM bytes: 40 in all, 24 of weights, 12 of activations (+ 4 of micro-ops).
// CHECK-NEXT: gemm 5 [[#]] [[#]] 0 {{.*}} 40 24 12 [[#]]
// CHECK-NEXT: requant 6 0 [[#]] [[#]] {{.*}} 8 0 8 [[#]]
// CHECK-NEXT: total 11 {{.*}} 48 24 20 [[#]]
// CHECK-NEXT: energy by component (nJ)
// CHECK-NEXT: layer dac modulator adc receiver laser digital program dram gsram local
// DRAM energy of the gemm layer: (32 uop + 192 wgt + 96 inp) bits x 3.9 pJ/bit.
// CHECK-NEXT: gemm {{[0-9.]+}} {{[0-9.]+}} {{[0-9.]+}} {{[0-9.]+}} {{[0-9.]+}} 0.000 0.000 1.248 0.000 {{[0-9.]+}}
// The requant layer: 8-byte STORE, 64 bits x 3.9 pJ/bit.
// CHECK-NEXT: requant 0.000 0.000 0.000 0.000 0.000 {{[0-9.]+}} 0.000 0.250 0.000 {{[0-9.]+}}
// CHECK-NEXT: total
// CHECK:      by instruction class: load 3 ({{.*}}) store 1 ({{.*}}) gemm 2 ({{.*}}) finish 1 ({{.*}}) alu 4 ({{.*}})
// CHECK-NEXT: steps 8, MACs 96, makespan

// NUMPY: gemm: 8 values match

// JSON:      "model": "tiny",
// JSON:      "layers": [
// JSON:          "name": "gemm",
// JSON-NEXT:     "first_instruction": 0,
// JSON-NEXT:     "end_instruction": 5,
// JSON-NEXT:     "instructions": 5,
// JSON-NEXT:     "steps": 4,
// JSON-NEXT:     "macs": 96,
// JSON:          "traffic_bits": {
// JSON-NEXT:       "dram": 320,
// JSON:          },
// DRAM traffic by role: 192 bits of wgt, 96 of inp, 32 of micro-ops.
// JSON-NEXT:     "dram_weight_bits": 192,
// JSON-NEXT:     "dram_activation_bits": 96,
// JSON-NEXT:     "dram_uop_bits": 32,
// JSON:          "name": "requant",
// JSON:          "dram_weight_bits": 0,
// JSON-NEXT:     "dram_activation_bits": 64,
// JSON:      "total": {
// JSON-NEXT:   "instructions": 11,
// JSON:        "traffic_bits": {
// JSON-NEXT:     "dram": 384,
// JSON:        "dram_weight_bits": 192,
// JSON-NEXT:   "dram_activation_bits": 160,
// JSON-NEXT:   "dram_uop_bits": 32,

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @w offset 16 = dense<0> : tensor<3x4x4xi4> {role = "input"}
  ptc.data @y offset 48 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.layer "gemm"
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
  ptc.load wgt sram 0 dram 16 rows 3 cols 16 stride 16 pad [0, 0, 0, 0] bits 4
  ptc.load inp sram 0 dram 0 rows 3 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
  ptc.gemm uops [0, 1) iter 1 x 3 dst [0, 0] src [0, 1] wgt [0, 1]
  ptc.layer "requant"
  ptc.alu mul uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 5
  ptc.alu shr uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 3
  ptc.alu max uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 0
  ptc.alu clip uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 127 deps<push_next>
  ptc.store acc sram 0 dram 48 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
