#!/usr/bin/env python3
"""A MobileNet-style block for the photonic target (ptc-vs-cpu-depthwise.mlir).

Input 2x8x9x9:
  expand  3x3, padding 1, 8 -> 24, + bias, relu           -> 24x9x9
  dw      depthwise 3x3, dilation 2, padding 2, relu      -> 24x9x9
  dws2    depthwise 3x3, stride 2, padding 1              -> 24x5x5
  project 1x1, 24 -> 16                                   -> 16x5x5

  depthwise_net.py write DIR   DIR/net.mlir and DIR/x.npy (NCHW float32; e2e_net.main)
"""
import sys

from e2e_net import bias_relu, constants, main, pad, random_weights, relu, ttype

INPUT_SEED = 3
INPUT_SHAPE = (2, 8, 9, 9)


def weights():
    return random_weights(5, {"we": ((24, 8, 3, 3), 0.2), "be": ((24,), 0.1),
                              "wd": ((24, 3, 3), 0.4), "ws": ((24, 3, 3), 0.4),
                              "wp": ((16, 24, 1, 1), 0.25)})


def module_text(w):
    n = INPUT_SHAPE[0]
    act, small, out = (n, 24, 9, 9), (n, 24, 5, 5), (n, 16, 5, 5)
    return f"""#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
func.func @block(%x: {ttype(INPUT_SHAPE)}) -> {ttype(out)} {{
  %zero = arith.constant 0.0 : f32
{constants(w)}
  %e = tensor.empty() : {ttype(act)}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(act)}) -> {ttype(act)}
  %xp = {pad("%x", INPUT_SHAPE, (n, 8, 11, 11), 1, 1)}
  %c1 = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%xp, %we : {ttype((n, 8, 11, 11))}, {ttype((24, 8, 3, 3))}) outs(%acc : {ttype(act)}) -> {ttype(act)} loc("expand")
{bias_relu("%h1", "%c1", "%be", act)}
  %h1p = {pad("%h1", act, (n, 24, 13, 13), 2, 2)}
  %cd = linalg.depthwise_conv_2d_nchw_chw {{dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h1p, %wd : {ttype((n, 24, 13, 13))}, {ttype((24, 3, 3))}) outs(%acc : {ttype(act)}) -> {ttype(act)} loc("dw")
{relu("%h2", "%cd", act)}
  %h2p = {pad("%h2", act, (n, 24, 11, 11), 1, 1)}
  %se = tensor.empty() : {ttype(small)}
  %sacc = linalg.fill ins(%zero : f32) outs(%se : {ttype(small)}) -> {ttype(small)}
  %h3 = linalg.depthwise_conv_2d_nchw_chw {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%h2p, %ws : {ttype((n, 24, 11, 11))}, {ttype((24, 3, 3))}) outs(%sacc : {ttype(small)}) -> {ttype(small)} loc("dws2")
  %pe = tensor.empty() : {ttype(out)}
  %pacc = linalg.fill ins(%zero : f32) outs(%pe : {ttype(out)}) -> {ttype(out)}
  %y = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h3, %wp : {ttype(small)}, {ttype((16, 24, 1, 1))}) outs(%pacc : {ttype(out)}) -> {ttype(out)} loc("project")
  return %y : {ttype(out)}
}}
"""



if __name__ == "__main__":
    sys.exit(main(sys.modules[__name__]))
