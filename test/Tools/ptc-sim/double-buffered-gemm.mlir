// A double-buffered tiled GEMM on the default dptc-hbm geometry (BATCH 12,
// BLOCK_IN 24, BLOCK_OUT 48): four output tiles whose LOADs alternate two
// inp/wgt slots and two acc rows under load/compute/store tokens. The
// outputs equal numpy's emulation of the ADC windows (Inputs/tiled_gemm.py),
// and the report shows the DMA overlapping the compute: the makespan is
// below the sum of the module busy times.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/tiled_gemm.py program %t
// RUN: mlg-translate --ptc-to-binary %t/prog.mlir -o %t/prog.bin
// RUN: ptc-sim %t/prog.bin --input %t/x.npy --input %t/w.npy --output %t/y.npy | FileCheck %s
// RUN: %python %S/Inputs/tiled_gemm.py check %t | FileCheck %s --check-prefix=NUMPY
// The overlap is measured with serialized DMA (a dptc-hbm variant without
// memory.dram.outstanding_requests: 1), where busy times are whole
// instruction durations; pipelined DMA shrinks the load module's busy time.
// RUN: ptc-sim -q %t/prog.bin --model=%S/../../Conversion/MLGToPTC/Inputs/dptc-hbm-adc16.json --input %t/x.npy --input %t/w.npy --report-json %t/r.json
// RUN: %python -c "import json; t = json.load(open('%t/r.json'))['total']; b = t['busy_cycles']; print('overlap', t['latency_ns'] * 5 < b['load'] + b['compute'] + b['store'])" | FileCheck %s --check-prefix=OVERLAP

// CHECK: ptc-sim report: model dptc-hbm (5.0 GHz)
// CHECK: tiles 39
// 4 tiles x 3 steps x 12 x 24 x 48 MACs; plus 4 reset steps.
// CHECK: steps 16, MACs 165888,

// NUMPY: tiled gemm: 2304 values match
// OVERLAP: overlap True
