// Every convolution variant of the CPU end-to-end tests on the photonic core
// (test/Tools/Inputs/variants_net.py, as end-to-end-variants.mlir: stride 2
// with padding, depthwise with dilation 2, grouped with a residual add, 1x1,
// 2x2 average pooling, flatten and a classifier) and its two results: the
// logits and the pooled features, which the classifier also reads. mlgc
// --target=ptc writes them as @output0 and @output1 in the function's order
// (the pooled features keep the 8-bit codes the classifier reads; the
// logits, read by no layer, get 16-bit codes). With 8-bit codes and an exact
// ADC both are within 0.05 of max|y| of the CPU build (measured 0.023 and
// 0.014).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/variants_net.py write %t
// RUN: sed 's/"input_bits": 6/"input_bits": 8/; s/"weight_bits": 6/"weight_bits": 8/' %S/../Inputs/dptc-hbm-w6a6.json > %t/w8a8.json
// RUN: mlgc -q %t/net.mlir -o %t/model.so
// RUN: mlg-run %t/model.so --input %t/x.npy --output %t/cpu_logits.npy --output %t/cpu_pooled.npy
// RUN: mlgc -q %t/net.mlir --target=ptc --calibration=%t/x.npy --ptc-model=%t/w8a8.json -o %t/prog.ptc
// RUN: ptc-sim -q %t/prog.ptc --model=%t/w8a8.json --input %t/x.npy --output %t/logits.npy --output %t/pooled.npy
// RUN: %python %S/../Inputs/ptc_vs_cpu.py error %t logits 0.05 cpu_logits | FileCheck %s --check-prefix=LOGITS
// RUN: %python %S/../Inputs/ptc_vs_cpu.py error %t pooled 0.05 cpu_pooled | FileCheck %s --check-prefix=POOLED
// Named bindings in the other order give the same files.
// RUN: ptc-sim -q %t/prog.ptc --model=%t/w8a8.json --input %t/x.npy --output output1=%t/pooled2.npy --output output0=%t/logits2.npy
// RUN: cmp %t/logits.npy %t/logits2.npy
// RUN: cmp %t/pooled.npy %t/pooled2.npy
// RUN: mlg-translate --binary-to-ptc %t/prog.ptc | FileCheck %s

// CHECK: ptc.data @output0 offset {{[0-9]+}} = dense<0> : tensor<1x48xi16> {host_layout = "nchw_pixels", host_shape = array<i64: 1, 10>, role = "output"
// CHECK: ptc.data @output1 offset {{[0-9]+}} = dense<0> : tensor<9x48xi8> {host_layout = "nchw_pixels", host_shape = array<i64: 1, 24, 3, 3>, role = "output"
// CHECK: ptc.layer "conv_s2_0"
// CHECK: ptc.layer "dw_1"
// CHECK: ptc.layer "grouped_2"
// CHECK: ptc.layer "pw_4"
// CHECK: ptc.layer "fc_6"

// LOGITS: logits: max error / max|y| vs the CPU build: {{0\.0[0-4][0-9]*}} (tolerance 0.05): ok
// POOLED: pooled: max error / max|y| vs the CPU build: {{0\.0[0-4][0-9]*}} (tolerance 0.05): ok
