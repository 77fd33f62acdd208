// DRAM traffic by role (docs/ptc-sim.md §2, §3): an ALU layer that LOADs an
// earlier layer's result (a residual operand) counts it as activation
// traffic when the result has the activation role, and as weights when it
// is a plain data symbol (the only constants here are the 16-bit biases).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[-3, 5, 0, 7], [2, -8, 1, -1]], np.float32))"
// RUN: mlg-translate --ptc-to-binary %s -o %t/prog.bin
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py header %t/prog.bin | FileCheck %s --check-prefix=HEADER
// RUN: ptc-sim %t/prog.bin --model=%S/Inputs/tiny.json --input %t/x.npy --output %t/y.npy --report-json %t/report.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t/report.json
// RUN: %python -c "import numpy as np; print(np.load('%t/y.npy').astype(int).tolist())" | FileCheck %s --check-prefix=VALUES
// Without the role, the intermediate result looks like a constant.
// RUN: sed 's/{role = "activation"}//' %s > %t/plain.mlir
// RUN: mlg-translate --ptc-to-binary %t/plain.mlir -o %t/plain.bin
// RUN: ptc-sim -q %t/plain.bin --model=%S/Inputs/tiny.json --input %t/x.npy --report-json %t/plain.json
// RUN: FileCheck %s --check-prefix=PLAIN < %t/plain.json

// The activation role needs format version 3.
// HEADER: version 3

// y = relu(x) + bias (bias = 1 in every lane).
// VALUES: {{\[\[}}1, 6, 1, 8], [3, 1, 2, 1]]

// Bytes: relu loads 8 of x and stores 8 of h (+ 8 of micro-ops); residual
// loads 8 of h (activation) and 16 of bias (weights), stores 8 of y.
// CHECK:      layer insns load-cyc {{.*}} dram-B dram-wgt-B dram-act-B local-B
// CHECK-NEXT: relu 4 {{.*}} 24 0 16 [[#]]
// CHECK-NEXT: residual 5 {{.*}} 32 16 16 [[#]]
// CHECK-NEXT: total 9 {{.*}} 56 16 32 [[#]]

// JSON:          "name": "relu",
// JSON:          "dram_weight_bits": 0,
// JSON-NEXT:     "dram_activation_bits": 128,
// JSON-NEXT:     "dram_uop_bits": 64,
// JSON:          "name": "residual",
// JSON:          "dram_weight_bits": 128,
// JSON-NEXT:     "dram_activation_bits": 128,
// JSON-NEXT:     "dram_uop_bits": 0,
// JSON:      "total": {
// JSON:        "dram_weight_bits": 128,
// JSON-NEXT:   "dram_activation_bits": 256,

// PLAIN:          "name": "residual",
// PLAIN:          "dram_weight_bits": 192,
// PLAIN-NEXT:     "dram_activation_bits": 64,
// PLAIN:      "total": {
// PLAIN:        "dram_weight_bits": 192,
// PLAIN-NEXT:   "dram_activation_bits": 192,

ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<2x4xi8> {role = "input"}
  ptc.data @bias offset 16 = dense<1> : tensor<8xi16>
  ptc.data @h offset 32 = dense<0> : tensor<2x4xi8> {role = "activation"}
  ptc.data @y offset 48 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 1 src 2 wgt 0
  ptc.layer "relu"
  ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]
  ptc.load acc sram 0 dram 0 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 8
  ptc.alu max uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 0 deps<push_next>
  ptc.store acc sram 0 dram 32 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.layer "residual"
  ptc.load acc sram 1 dram 32 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_next>
  ptc.load acc sram 2 dram 16 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 16
  ptc.alu add uops [1, 2) iter 1 x 1 dst [0, 0] src [0, 0] deps<push_next>
  ptc.store acc sram 1 dram 48 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}
