// The program the corrupt-*.mlir tests encode and then damage. Layout:
// header [0, 64), code [64, 112) (LOAD, GEMM, FINISH), uops [112, 116),
// data [128, 146), symbols [148, 228), strings [228, 242).
ptc.program {
  ptc.data @basis offset 0 = dense<[[1, -2, 3], [-4, 0, 2]]> : tensor<2x3xi3>
  ptc.data @coeff_v offset 16 = dense<[0, 5, 7, 1]> : tensor<4xui3>
  ptc.uop dst 0 src 0 wgt 0
  ptc.load basis sram 0 dram 0 rows 2 cols 3 stride 3 pad [0, 0, 0, 0] bits 3 deps<push_next>
  ptc.gemm reset uops [0, 1) iter 1 x 1 dst [0, 0] src [0, 0] wgt [0, 0] deps<pop_prev>
  ptc.finish
}
