// The network input copied into the global SRAM before the first layer
// (input_staging): conv1 reads each input pixel 9 times per output block,
// so the copy's one DRAM read replaces them. Inputs/convs.py --odd: one
// 5x5 image of 20 channels, stored in 24 columns: 600 codes, copied as one
// tile of 12 x 48 codes through acc row 0 and a 24-code remainder through
// acc row 2, with the token scheme of the ALU layers; the first layer then
// pops the last STORE's token and reads the copy. Bit-exact against the
// numpy emulation; without the global SRAM nothing is copied. The zero row
// source of padded taps is the last 16 bytes of the global SRAM.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/convs.py model %t --odd
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy model=%S/Inputs/dptc-hbm-adc16.json" --mlir-print-elementsattrs-with-hex-if-larger=-1 -o %t/prog.mlir
// RUN: FileCheck %s --input-file=%t/prog.mlir
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: %python %S/Inputs/convs.py quantize %t --odd
// RUN: ptc-sim -q %t/prog.bin --model=%S/Inputs/dptc-hbm-adc16.json --input input=%t/xq.npy --raw-codes --output output=%t/y.npy
// RUN: %python %S/Inputs/convs.py check %t 3 16 2 --odd | FileCheck %s --check-prefix=EXACT
// RUN: mlg-opt %t/model.mlir --mlg-to-ptc="activation-range=max calibration=%t/x.npy global-sram=false" | FileCheck %s --check-prefix=DRAM

// EXACT: convs: 432 codes match the emulation; padding columns zero: True

// CHECK:      ptc.data @input offset 0 = dense<0> : tensor<25x24xi4>
// CHECK:      ptc.data @zeros offset 2097136 = dense<0> : tensor<24xi4> {space = "global_sram"}
// CHECK:      ptc.data @input_staged offset 0 = dense<0> : tensor<25x24xi4> {role = "activation", scale = {{.*}} : f64, space = "global_sram"}
// CHECK:      ptc.layer "input_staging"
// CHECK:      ptc.load acc sram 0 dram 0 rows 12 cols 48 stride 48 pad [0, 0, 0, 0] bits 4 deps<push_next>
// CHECK-NEXT: ptc.store acc sram 0 dram 2147483648 rows 12 cols 48 stride 48 pad [0, 0, 0, 0] bits 4 deps<pop_prev>
// CHECK-NEXT: ptc.load acc sram 2 dram 288 rows 1 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<push_next>
// CHECK-NEXT: ptc.store acc sram 2 dram 2147483936 rows 1 cols 24 stride 24 pad [0, 0, 0, 0] bits 4 deps<pop_prev|push_prev>
// CHECK-NEXT: ptc.layer "conv1_0"
// CHECK-NEXT: ptc.cfg in_bits = 4 deps<pop_next|push_prev>
// CHECK:      ptc.load wgt sram 0 dram {{[0-9]+}} {{.*}} deps<pop_next>
// CHECK:      ptc.load inp {{.*}} dram 2147483648 rows

// Without the global SRAM the zero row source is in DRAM as well.
// DRAM:     ptc.data @zeros offset {{[0-9]+}} = dense<0> : tensor<24xi4>{{$}}
// DRAM-NOT: input_staged
// DRAM-NOT: input_staging
// DRAM:     ptc.layer "conv1_0"
