// The network of ptc-vs-cpu.mlir (two 3x3 convolutions, W4A4 on the
// presets' 4-bit cores) on each preset with its own 8-bit ADC. The compiler
// sets each layer's ADC full scale (CFG adc_fs_bits) from the statistics of
// its window sums (lib/Conversion/MLGToPTC/AdcCalibration.h); with the
// worst-case full scale of the operand widths the error was 0.74 (dptc-*)
// and 0.49 (mzi-ws) of max|y|, with the calibrated one 0.30-0.31, the
// W4A4 format's own error on this network (0.24-0.34 with an exact ADC,
// docs/ptc-lowering.md).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../Conversion/MLGToPTC/Inputs/convs.py model %t
// RUN: mlgc -q %t/model.mlir -o %t/model.so
// RUN: mlg-run %t/model.so --input %t/x.npy --output %t/cpu.npy
// RUN: mlgc -q %t/model.mlir --target=ptc --calibration=%t/x.npy --ptc-model=dptc-hbm -o %t/hbm.ptc
// RUN: ptc-sim -q %t/hbm.ptc --model=dptc-hbm --input %t/x.npy --output %t/hbm.npy
// RUN: mlgc -q %t/model.mlir --target=ptc --calibration=%t/x.npy --ptc-model=mzi-ws -o %t/ws.ptc
// RUN: ptc-sim -q %t/ws.ptc --model=mzi-ws --input %t/x.npy --output %t/ws.npy
// RUN: %python %S/../Inputs/ptc_vs_cpu.py error %t hbm 0.4 | FileCheck %s
// RUN: %python %S/../Inputs/ptc_vs_cpu.py error %t ws 0.4 | FileCheck %s --check-prefix=WS

// CHECK: hbm: max error / max|y| vs the CPU build: {{0\.[0-9]+}} (tolerance 0.4): ok
// WS: ws: max error / max|y| vs the CPU build: {{0\.[0-9]+}} (tolerance 0.4): ok
