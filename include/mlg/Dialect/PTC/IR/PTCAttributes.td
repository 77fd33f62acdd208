//===- PTCAttributes.td - PTC enums and attributes ---------*- tablegen -*-===//
//
// Enum values equal the ISA codes of include/mlg/Target/PTC/ISA.h
// (static_asserts in PTCInstructions.cpp keep them in step).
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_PTC_IR_PTCATTRIBUTES_TD
#define MLG_DIALECT_PTC_IR_PTCATTRIBUTES_TD

include "mlg/Dialect/PTC/IR/PTCDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def PTC_MemId : I32EnumAttr<"MemId", "on-chip buffer of a LOAD or STORE", [
      I32EnumAttrCase<"uop", 0>,
      I32EnumAttrCase<"wgt", 1>,
      I32EnumAttrCase<"inp", 2>,
      I32EnumAttrCase<"acc", 3>,
      I32EnumAttrCase<"out", 4>,
      I32EnumAttrCase<"basis", 5>,
      I32EnumAttrCase<"coeff_u", 6>,
      I32EnumAttrCase<"coeff_v", 7>,
      I32EnumAttrCase<"scale", 8>
    ]> {
  let cppNamespace = "::mlir::mlg::ptc";
}

def PTC_AluOpcode : I32EnumAttr<"AluOpcode", "ALU operation on the accumulator", [
      I32EnumAttrCase<"min", 0>,
      I32EnumAttrCase<"max", 1>,
      I32EnumAttrCase<"add", 2>,
      I32EnumAttrCase<"shr", 3>,
      I32EnumAttrCase<"mul", 4>,
      I32EnumAttrCase<"shl", 5>,
      I32EnumAttrCase<"shladd", 6>,
      I32EnumAttrCase<"clip", 7>
    ]> {
  let cppNamespace = "::mlir::mlg::ptc";
}

def PTC_CfgReg : I32EnumAttr<"CfgReg", "configuration register", [
      I32EnumAttrCase<"in_bits", 0>,
      I32EnumAttrCase<"w_bits", 1>,
      I32EnumAttrCase<"adc_bits", 2>,
      I32EnumAttrCase<"t_acc", 3>,
      I32EnumAttrCase<"sign_mode", 4>,
      I32EnumAttrCase<"wsrc", 5>,
      I32EnumAttrCase<"req_scale", 6>,
      I32EnumAttrCase<"req_shift", 7>,
      I32EnumAttrCase<"req_zp", 8>,
      I32EnumAttrCase<"dataflow", 9>,
      I32EnumAttrCase<"noise_seed", 10>,
      I32EnumAttrCase<"adc_fs_bits", 11>
    ]> {
  let cppNamespace = "::mlir::mlg::ptc";
}

def PTC_RecompMem : I32EnumAttr<"RecompMem",
    "buffer a RECOMP reads and writes", [
      I32EnumAttrCase<"acc", 0>,
      I32EnumAttrCase<"wgt", 1>
    ]> {
  let cppNamespace = "::mlir::mlg::ptc";
}

def PTC_DepFlags : I32BitEnumAttr<"DepFlags",
    "dependency-token queue operations of an instruction", [
      I32BitEnumAttrCaseNone<"none">,
      I32BitEnumAttrCaseBit<"pop_prev", 0>,
      I32BitEnumAttrCaseBit<"pop_next", 1>,
      I32BitEnumAttrCaseBit<"push_prev", 2>,
      I32BitEnumAttrCaseBit<"push_next", 3>
    ]> {
  let cppNamespace = "::mlir::mlg::ptc";
  let genSpecializedAttr = 0;
}

def PTC_DepFlagsAttr : EnumAttr<PTC_Dialect, PTC_DepFlags, "deps"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // MLG_DIALECT_PTC_IR_PTCATTRIBUTES_TD
