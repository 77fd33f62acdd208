// RUN: mlg-opt %s --mlg-memory-report="json=%t.json" -o /dev/null | FileCheck %s
// RUN: cat %t.json | FileCheck %s --check-prefix=JSON
// RUN: mlg-opt %s --mlg-memory-report="table=%t.txt qw=4 linear-bits=32" -o /dev/null && FileCheck %s --check-prefix=OPTS < %t.txt
// Generators fused into their layer are reported exactly as the chains were.
// RUN: mlg-opt %s --mlg-memory-report="json=%t.chains.json table=%t.chains.txt" -o /dev/null
// RUN: mlg-opt %s --mlg-fuse-generation --mlg-memory-report="json=%t.fused.json table=%t.fused.txt" -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=FUSED < %t.fused.mlir
// RUN: diff %t.chains.txt %t.fused.txt
// RUN: diff %t.chains.json %t.fused.json
// FUSED: mlg.generated_conv2d
// FUSED-NOT: mlg.generate_cross
// RUN: not mlg-opt %s --mlg-memory-report="qw=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not mlg-opt %s --mlg-memory-report="json=%t.missing/dir/r.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOFILE

// Every figure below is worked out by hand (method.md §3.1):
// conv: W [8,4,3,3] = 288 dense parameters from basis [2,2,3,3] at 3 bits
//   (36 values, 108 bits), U [2,4,2] at 6 bits (16, 96) and V [8,2] at
//   3 bits (16, 48): 68 parameters, 252 code bits + 3 fp32 scales = 348
//   bits = 44 B; parameter ratio 68/288 = 0.2361; Eq. 4: 252/9216 = 0.0273.
//   MACs: 8*4*4 outputs * 36 = 4608; generation 2*4*2*9 + 8*2*4*9 = 720.
// fc: dense [8,3] f32 = 24 parameters, 768 bits (official: 8 bits each),
//   and its bias [1,3] (the constant added to its result), 96 bits (official:
//   fp32 too).
// other: batch-norm scale and shift [8], 16 parameters, 512 bits; the splat
//   zero and the scalar are not parameters.
// total: 331 dense, 111 stored (0.3353); stored bits 348 + 768 + 608 = 1724
//   = 216 B; Eq. 4 over conv/linear weights (252 + 768) / (312 * 32) =
//   0.1022, vs q_w = 8: 1020 / 2496 = 0.4087; official (252 + 24*8 + 3*32
//   + 16*32) / (331 * 32) = 1052 / 10592 = 0.0993.

// CHECK:      layer kind weight Bi Bc bits
// CHECK-NEXT: conv1 conv2d 8x4x3x3 2 2 3/6/3 68 44 1,152 0.2361 0.0273 0.15625 0.0123
// CHECK-NEXT: fc linear 3x8 - - dense 24 108 108 1.0000 1.0000 0.00000 -
// CHECK-NEXT: total: 2 layers; parameters 331 dense, 111 stored (of which 3 layer biases and 16 other parameters)
// CHECK-NEXT: memory: dense 1,324 B fp32, 331 B at q_w = 8 bits; stored 216 B (codes bit-packed + fp32 scales)
// CHECK-NEXT: parameter ratio: 0.3353
// CHECK-NEXT: memory ratio: Eq. 4 (conv/linear weights vs fp32) 0.1022, vs q_w 0.4087; official (all parameters) 0.0993
// CHECK-NEXT: generation MACs: 720 (0.15544 of 4,632 layer MACs)
// CHECK-NEXT: relative error: rms 0.0123, max 0.0123

// JSON:      "name": "conv1",
// JSON-NEXT: "kind": "conv2d",
// JSON:      "generated": true,
// JSON-NEXT: "family": "mlg",
// JSON-NEXT: "bi": 2,
// JSON-NEXT: "bc": 2,
// JSON:      "role": "basis",
// JSON:      "bits": 3,
// JSON-NEXT: "scales": 1,
// JSON-NEXT: "quantized": true,
// JSON-NEXT: "packed_bits": 108
// JSON:      "params_dense": 288,
// JSON-NEXT: "params_stored": 68,
// JSON-NEXT: "bias_params": 0,
// JSON-NEXT: "dense_bits_fp32": 9216,
// JSON-NEXT: "dense_bits_qw": 2304,
// JSON-NEXT: "code_bits": 252,
// JSON-NEXT: "stored_bits": 348,
// JSON:      "layer_macs": 4608,
// JSON-NEXT: "generation_macs": 720,
// JSON-NEXT: "rel_error": 0.0123,
// JSON-NEXT: "quant_rel_error": null
// JSON:      "name": "fc",
// JSON:      "generated": false,
// JSON:      "params_dense": 24,
// JSON-NEXT: "params_stored": 24,
// JSON-NEXT: "bias_params": 3,
// JSON:      "bias_params": 3,
// JSON-NEXT: "other": {
// JSON-NEXT:   "params": 16,
// JSON-NEXT:   "bits": 512
// JSON:      "total": {
// JSON:        "params_dense": 331,
// JSON-NEXT:   "params_stored": 111,
// JSON-NEXT:   "dense_bits_fp32": 10592,
// JSON-NEXT:   "dense_bits_qw": 2648,
// JSON-NEXT:   "stored_bits": 1724,
// JSON-NEXT:   "official_bits": 1052,
// JSON-NEXT:   "param_ratio": 0.33534743202416917,
// JSON-NEXT:   "memory_ratio_eq4": 0.10216346153846154,
// JSON-NEXT:   "memory_ratio_eq4_qw": 0.40865384615384615,
// JSON-NEXT:   "memory_ratio_official": 0.0993202416918429{{[0-9]*}},

// q_w and the classifier's width are options: at linear-bits=32 the official
// numerator is 252 + 24*32 + 3*32 + 16*32 = 1628.
// OPTS: memory: dense 1,324 B fp32, 166 B at q_w = 4 bits
// OPTS: memory ratio: Eq. 4 (conv/linear weights vs fp32) 0.1022, vs q_w 0.8173; official (all parameters) 0.1537

// BAD: error: mlg-memory-report: options 'qw' and 'linear-bits' must be in [1, 64]
// NOFILE: error: mlg-memory-report: cannot write '{{.*}}r.json'

#map_c = affine_map<(n, c, h, w) -> (c)>
#map_x = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @net(%x: tensor<1x4x6x6xf32>) -> tensor<1x3xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<1x8x4x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %bc = arith.constant dense<1> : tensor<2x2x3x3xi3>
  %uc = arith.constant dense<-3> : tensor<2x4x2xi6>
  %vc = arith.constant dense<2> : tensor<8x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x2x3x3xi3> -> tensor<2x2x3x3xf32>
  %u = mlg.dequantize %uc as midrise<scale = 0.125> : tensor<2x4x2xi6> -> tensor<2x4x2xf32>
  %v = mlg.dequantize %vc as midrise<scale = 0.5> : tensor<8x2xi3> -> tensor<8x2xf32>
  %wc = mlg.generate_intra %u, %b : tensor<2x4x2xf32>, tensor<2x2x3x3xf32> -> tensor<2x4x3x3xf32>
  %w = mlg.generate_cross %v, %wc {mlg.layer = "conv1", mlg.rel_error = 0.0123 : f64} : tensor<8x2xf32>, tensor<2x4x3x3xf32> -> tensor<8x4x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %scale = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %shift = arith.constant dense<[0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25]> : tensor<8xf32>
  %bn_init = tensor.empty() : tensor<1x8x4x4xf32>
  %bn = linalg.generic {indexing_maps = [#map_x, #map_c, #map_c, #map_x], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %scale, %shift : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) outs(%bn_init : tensor<1x8x4x4xf32>) {
  ^bb0(%in: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %in, %s : f32
    %a = arith.addf %m, %t : f32
    linalg.yield %a : f32
  } -> tensor<1x8x4x4xf32>
  %pool_init = tensor.empty() : tensor<1x8xf32>
  %pool_acc = linalg.fill ins(%zero : f32) outs(%pool_init : tensor<1x8xf32>) -> tensor<1x8xf32>
  %pooled = linalg.reduce ins(%bn : tensor<1x8x4x4xf32>) outs(%pool_acc : tensor<1x8xf32>) dimensions = [2, 3]
    (%in: f32, %acc2: f32) {
      %s = arith.addf %in, %acc2 : f32
      linalg.yield %s : f32
    }
  %fcw = arith.constant dense<[[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]]> : tensor<8x3xf32>
  %fc_zero = arith.constant dense<0.0> : tensor<1x3xf32>
  %fc = linalg.matmul ins(%pooled, %fcw : tensor<1x8xf32>, tensor<8x3xf32>) outs(%fc_zero : tensor<1x3xf32>) -> tensor<1x3xf32> loc("fc")
  %bias = arith.constant dense<[[0.1, 0.2, 0.3]]> : tensor<1x3xf32>
  %out = linalg.add ins(%fc, %bias : tensor<1x3xf32>, tensor<1x3xf32>) outs(%fc_zero : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %out : tensor<1x3xf32>
}
