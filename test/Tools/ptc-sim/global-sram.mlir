// The global SRAM window (docs/ptc-sim.md §1.3): a LOAD/STORE whose
// extent lies in [0x80000000, 0x80000000 + global_sram.size) moves data
// between the global SRAM and a local buffer, costed at the global SRAM's
// bandwidth and energy; symbols there are zero at start and --input /
// --output reach them like DRAM symbols. The program: t = x + 3 (stored to
// the window), y = t + s (t loaded back from the window, s a window input).
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: %python check.py gen
// RUN: mlg-translate --ptc-to-binary ok.mlir -o ok.bin
// RUN: mlg-translate --ptc-to-asm ok.mlir | FileCheck %s --check-prefix=ASM
// RUN: mlg-translate --binary-to-ptc ok.bin -o back.mlir
// RUN: FileCheck %s --check-prefix=BACK < back.mlir
// RUN: mlg-translate --ptc-to-binary back.mlir -o back.bin
// RUN: cmp ok.bin back.bin
// RUN: ptc-sim ok.bin --model=%S/Inputs/tiny.json --input x=x.npy --input s=s.npy --output y=y.npy --output t=t.npy --report-json r.json | FileCheck %s
// RUN: %python check.py check | FileCheck %s --check-prefix=NUMPY
// RUN: FileCheck %s --check-prefix=JSON < r.json
// Without a write the window symbol reads back as zeros.
// RUN: ptc-sim -q ok.bin --model=%S/Inputs/tiny.json --input x=x.npy --input s=s.npy --output u=u.npy
// RUN: %python check.py zeros | FileCheck %s --check-prefix=ZEROS
// Accesses leaving the window or straddling its edge, and a symbol beyond
// the model's global SRAM, are errors naming the instruction.
// RUN: sed -e 's/dram 2147483664 rows 2/dram 2149580792 rows 2/' ok.mlir > edge.mlir
// RUN: mlg-translate --ptc-to-binary edge.mlir -o edge.bin
// RUN: not ptc-sim -q edge.bin --model=%S/Inputs/tiny.json 2>&1 | FileCheck %s --check-prefix=EDGE
// RUN: sed -e 's/dram 0 rows 2 cols 8/dram 2147483640 rows 2 cols 8/' ok.mlir > straddle.mlir
// RUN: mlg-translate --ptc-to-binary straddle.mlir -o straddle.bin
// RUN: not ptc-sim -q straddle.bin --model=%S/Inputs/tiny.json 2>&1 | FileCheck %s --check-prefix=STRADDLE
// RUN: sed -e 's/@u offset 32/@u offset 2097152/' ok.mlir > big.mlir
// RUN: mlg-translate --ptc-to-binary big.mlir -o big.bin
// RUN: not ptc-sim -q big.bin --model=%S/Inputs/tiny.json 2>&1 | FileCheck %s --check-prefix=BIG

// ASM:      ; MLG PTC program, format version 3
// ASM:      ; data    @0x{{[0-9a-f]+}}  32 bytes
// ASM:      dram 0x00000000  @x  i8[2x8]  16 bytes  input
// ASM-NEXT: dram 0x00000010  @y  i8[2x8]  16 bytes  output
// ASM-NEXT: --------  gsram 0x80000000  @t  i8[2x8]  16 bytes  output
// ASM-NEXT: --------  gsram 0x80000010  @s  i8[2x8]  16 bytes  input
// ASM-NEXT: --------  gsram 0x80000020  @u  i8[2x8]  16 bytes  output
// BACK: ptc.data @t offset 0 = dense<0> : tensor<2x8xi8> {role = "output", space = "global_sram"}
// BACK: ptc.data @u offset 32 = dense<0> : tensor<2x8xi8> {role = "output", space = "global_sram"}

// Off-core bytes: DRAM 8 (uops) + 16 (x) + 16 (y); global SRAM 16 (s) +
// 16 (t stored) + 16 (t loaded) + 16 (u loaded).
// CHECK:      layer insns
// CHECK-NEXT: program 10 {{.*}} 40 0 32 [[#]] 64{{$}}
// CHECK:      layer dac modulator adc receiver laser digital program dram gsram local
// 320 DRAM bits x 3.9 pJ = 1.248 nJ; 512 global SRAM bits x 0.103 pJ = 0.053 nJ.
// CHECK-NEXT: program {{.*}} 1.248 0.053 {{[0-9.]+}}

// NUMPY: t = x + 3: True
// NUMPY: y = t + s: True

// JSON:      "energy_pj": {
// JSON:        "dram": 1248,
// JSON-NEXT:   "global_sram": 52.73
// JSON:      "traffic_bits": {
// JSON-NEXT:   "dram": 320,
// JSON-NEXT:   "global_sram": 512,

// ZEROS: u: all zero True

// EDGE:     ptc-sim: error: {{.*}}instruction #5 (offset {{[0-9]+}}): load: global SRAM access [2097144, 2097160) (address 0x801ffff8) exceeds the 2097152-byte global SRAM
// STRADDLE: ptc-sim: error: {{.*}}instruction #1 (offset {{[0-9]+}}): load: DRAM access from byte 2147483640 up to byte 2147483656 straddles the global SRAM window at 0x80000000
// BIG:      ptc-sim: error: {{.*}}data symbol 'u' occupies global SRAM bytes [2097152, 2097168), beyond the model's 2097152-byte global SRAM

//--- ok.mlir
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<2x8xi8> {role = "input"}
  ptc.data @y offset 16 = dense<0> : tensor<2x8xi8> {role = "output"}
  ptc.data @t offset 0 = dense<0> : tensor<2x8xi8> {role = "output", space = "global_sram"}
  ptc.data @s offset 16 = dense<0> : tensor<2x8xi8> {role = "input", space = "global_sram"}
  ptc.data @u offset 32 = dense<0> : tensor<2x8xi8> {role = "output", space = "global_sram"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.uop dst 2 src 4 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 2 stride 2 pad [0, 0, 0, 0]
  ptc.load acc sram 0 dram 0 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 8
  ptc.alu add uops [0, 1) iter 1 x 2 dst [0, 1] src [0, 1] imm 3 deps<push_next>
  ptc.store acc sram 0 dram 2147483648 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.load acc sram 2 dram 2147483648 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_next>
  ptc.load acc sram 4 dram 2147483664 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 8
  ptc.alu add uops [1, 2) iter 1 x 2 dst [0, 1] src [0, 1] deps<push_next>
  ptc.store acc sram 2 dram 16 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.load acc sram 6 dram 2147483680 rows 2 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_next>
  ptc.finish
}

//--- check.py
import sys
import numpy as np
mode = sys.argv[1]
x = np.arange(-8, 8, dtype=np.float32).reshape(2, 8)
s = (np.arange(16, dtype=np.float32).reshape(2, 8) % 5) - 2
if mode == "gen":
    np.save("x.npy", x)
    np.save("s.npy", s)
elif mode == "check":
    t = np.load("t.npy")
    y = np.load("y.npy")
    print("t = x + 3:", np.array_equal(t, x + 3))
    print("y = t + s:", np.array_equal(y, x + 3 + s))
else:
    print("u: all zero", not np.load("u.npy").any())
