// Diagnostics of layer markers and roles (driven by ../layers-roles.mlir).

// CHECK: error: 'ptc.data' op 'role' must be "input", "output" or "activation", got "weights"
ptc.program {
  ptc.data @x offset 0 = dense<0> : tensor<2xi8> {role = "weights"}
  ptc.finish
}

// -----

// CHECK: error: 'ptc.layer' op needs a non-empty layer name
ptc.program {
  ptc.layer ""
  ptc.finish
}

// -----

// CHECK: error: 'ptc.layer' op layer holds no instruction
ptc.program {
  ptc.layer "empty"
  ptc.layer "full"
  ptc.finish
}

// -----

// CHECK: error: 'ptc.end_layer' op without an open ptc.layer
ptc.program {
  ptc.finish
  ptc.end_layer
}
