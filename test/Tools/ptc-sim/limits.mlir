// Resource and time limits (docs/errors.md): a program that would run for
// hours, one that asks for more steps or instructions than allowed, and a
// file whose few bytes claim gigabytes are refused with an error naming the
// instruction or the byte, exit code 1, and no output file.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: mlg-translate --ptc-to-binary slow.mlir -o slow.bin

// 2·10^9 GEMM steps of 13824 multiply-accumulates (hours): within the step
// limit, stopped by the wall-clock limit.
// RUN: not ptc-sim -q slow.bin --time-limit=0.2 --output y.npy 2>&1 | FileCheck %s --check-prefix=TIME
// RUN: not test -e y.npy
// TIME: ptc-sim: error: slow.bin: instruction #4 (offset 128): gemm: time limit of 0.20 s reached (--time-limit): refusing to continue

// Loop nests over the step limit are refused before they run; the default
// limit (4·10^9) refuses 3.3·10^10 steps.
// RUN: not ptc-sim -q slow.bin --max-steps=1000000 2>&1 | FileCheck %s --check-prefix=STEPS
// STEPS: ptc-sim: error: slow.bin: instruction #4 (offset 128): gemm: more than 1000000 intrinsic steps (--max-steps): refusing to continue
// RUN: sed 's/iter 1000 x 1000/iter 4000 x 4000/' slow.mlir > huge.mlir
// RUN: mlg-translate --ptc-to-binary huge.mlir -o huge.bin
// RUN: not ptc-sim -q huge.bin --output y.npy 2>&1 | FileCheck %s --check-prefix=DEFAULT-STEPS
// RUN: not test -e y.npy
// DEFAULT-STEPS: ptc-sim: error: huge.bin: instruction #4 (offset 128): gemm: more than 4000000000 intrinsic steps (--max-steps): refusing to continue

// Instruction count and file size (a 10^9-instruction program is a 16 GB
// file: refused before it is read).
// RUN: not ptc-sim -q slow.bin --max-instructions=5 2>&1 | FileCheck %s --check-prefix=INSNS
// INSNS: ptc-sim: error: slow.bin: program of 11 instructions exceeds the limit of 5 (--max-instructions)
// RUN: not ptc-sim -q slow.bin --max-dram-mib=0 2>&1 | FileCheck %s --check-prefix=FILE
// FILE: ptc-sim: error: slow.bin: {{[0-9]+}} bytes exceed the simulated memory of 0 MiB (--max-dram-mib)

// A global SRAM symbol is zeros the reader materializes: a 122-byte file
// claiming a 512 MiB one (dimension and size patched) is refused.
// RUN: mlg-translate --ptc-to-binary sram.mlir -o sram.bin
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py header sram.bin | FileCheck %s --check-prefix=HEADER
// HEADER: symtab_offset 80
// RUN: %python %S/../../Target/PTC/Inputs/ptcbin.py corrupt sram.bin big.bin u32=100:0x20000000 u32=92:0x20000000
// RUN: not ptc-sim -q big.bin 2>&1 | FileCheck %s --check-prefix=SRAM
// RUN: not mlg-translate --binary-to-ptc big.bin 2>&1 | FileCheck %s --check-prefix=SRAM
// SRAM: offset 88: symbol #0: global SRAM bytes [0, 536870912) extend past the first 256 MiB of the window (the file format's limit)

// An .npy header claiming 10^12 elements, or a shape whose product
// overflows 64 bits, is truncated data, never an allocation.
// RUN: %python -c "h = b\"{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }\n\"; open('huge.npy', 'wb').write(b'\x93NUMPY\x01\x00' + len(h).to_bytes(2, 'little') + h + bytes(8))"
// RUN: not ptc-sim -q slow.bin --input huge.npy --output y.npy 2>&1 | FileCheck %s --check-prefix=NPY
// NPY: ptc-sim: error: huge.npy: truncated data: shape (1000000, 1000000) of float32 needs 4000000000000 bytes, the file has 8
// RUN: %python -c "h = b\"{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 2), }\n\"; open('wrap.npy', 'wb').write(b'\x93NUMPY\x01\x00' + len(h).to_bytes(2, 'little') + h)"
// RUN: not ptc-sim -q slow.bin --input wrap.npy --output y.npy 2>&1 | FileCheck %s --check-prefix=WRAP
// RUN: not test -e y.npy
// WRAP: ptc-sim: error: wrap.npy: truncated data: shape (4611686018427387904, 2) of float32 needs 18446744073709551615 bytes, the file has 0

// The same from the text side: `dense<0>` of 1 GiB is a few bytes of
// ptc dialect; mlg-translate refuses it before unpacking the elements (it
// took minutes and 9 GB of memory).
// RUN: not mlg-translate --ptc-to-binary giant.mlir -o giant.bin 2>&1 | FileCheck %s --check-prefix=GIANT
// RUN: not test -e giant.bin
// GIANT: giant.mlir:2:3: error: 'ptc.data' op holds 1073741824 bytes from offset 0, past the 256 MiB its space has in the file format

// Bad limit values.
// RUN: not ptc-sim -q slow.bin --time-limit=-1 2>&1 | FileCheck %s --check-prefix=BAD-TIME
// BAD-TIME: ptc-sim: error: --time-limit must be a finite value >= 0

//--- slow.mlir
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<3x2x4xi4> {role = "input"}
  ptc.data @w offset 16 = dense<0> : tensor<3x4x4xi4> {role = "input"}
  ptc.data @y offset 48 = dense<0> : tensor<2x4xi8> {role = "output"}
  ptc.uop dst 0 src 0 wgt 0
  ptc.load uop sram 0 dram 0 rows 1 cols 1 stride 1 pad [0, 0, 0, 0]
  ptc.load wgt sram 0 dram 16 rows 3 cols 16 stride 16 pad [0, 0, 0, 0] bits 4
  ptc.load inp sram 0 dram 0 rows 768 cols 8 stride 8 pad [0, 0, 0, 0] bits 4 deps<push_next>
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
  ptc.gemm uops [0, 2049) iter 1000 x 1000 dst [0, 0] src [0, 1] wgt [0, 1]
  ptc.alu mul uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 5
  ptc.alu shr uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 3
  ptc.alu max uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 0
  ptc.alu clip uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] imm 127 deps<push_next>
  ptc.store acc sram 0 dram 48 rows 1 cols 8 stride 8 pad [0, 0, 0, 0] bits 8 deps<pop_prev|push_prev>
  ptc.finish deps<pop_next>
}

//--- sram.mlir
ptc.program {
  ptc.data @t offset 0 = dense<0> : tensor<16xi8> {role = "activation", space = "global_sram"}
  ptc.finish
}

//--- giant.mlir
ptc.program {
  ptc.data @t offset 0 = dense<0> : tensor<32768x32768xi8> {role = "activation", space = "global_sram"}
  ptc.finish
}
