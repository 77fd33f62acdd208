#!/usr/bin/env python3
"""Depthwise, dilated and grouped convolutions for the photonic target
(ptc-vs-cpu-depthwise.mlir).

Input 2x8x9x9:
  expand  3x3, padding 1, 8 -> 24, + bias, relu           -> 24x9x9
  dw      depthwise 3x3, dilation 2, padding 2, relu      -> 24x9x9
  dws2    depthwise 3x3, stride 2, padding 1              -> 24x5x5
  grouped 3x3, padding 1, 3 groups of 8 -> 8, relu        -> 24x5x5
          (NGCHW views: tensor.expand_shape / collapse_shape)
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
                              "wp": ((16, 24, 1, 1), 0.25),
                              "wg": ((3, 8, 8, 3, 3), 0.2)})


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
  %h3p = {pad("%h3", small, (n, 24, 7, 7), 1, 1)}
  %h3g = tensor.expand_shape %h3p [[0], [1, 2], [3], [4]] output_shape [{n}, 3, 8, 7, 7] : {ttype((n, 24, 7, 7))} into {ttype((n, 3, 8, 7, 7))}
  %ge = tensor.empty() : {ttype((n, 3, 8, 5, 5))}
  %gacc = linalg.fill ins(%zero : f32) outs(%ge : {ttype((n, 3, 8, 5, 5))}) -> {ttype((n, 3, 8, 5, 5))}
  %cg = linalg.conv_2d_ngchw_gfchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h3g, %wg : {ttype((n, 3, 8, 7, 7))}, {ttype((3, 8, 8, 3, 3))}) outs(%gacc : {ttype((n, 3, 8, 5, 5))}) -> {ttype((n, 3, 8, 5, 5))} loc("grouped")
  %cgf = tensor.collapse_shape %cg [[0], [1, 2], [3], [4]] : {ttype((n, 3, 8, 5, 5))} into {ttype(small)}
{relu("%h4", "%cgf", small, "%se")}
  %pe = tensor.empty() : {ttype(out)}
  %pacc = linalg.fill ins(%zero : f32) outs(%pe : {ttype(out)}) -> {ttype(out)}
  %y = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h4, %wp : {ttype(small)}, {ttype((16, 24, 1, 1))}) outs(%pacc : {ttype(out)}) -> {ttype(out)} loc("project")
  return %y : {ttype(out)}
}}
"""



if __name__ == "__main__":
    sys.exit(main(sys.modules[__name__]))
