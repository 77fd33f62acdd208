//===- PTCInstructions.cpp - PTC ops <-> ISA structs ----------------------===//
//
// Attribute names are the ISA field names, so both directions walk the ISA
// field list; only enums, unit flags and the optional fields (a uop load's
// elem_bits, an ALU's imm/use_imm, RECOMP's rshift) need a word of
// translation.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/PTC/IR/PTCInstructions.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mlg::ptc;
namespace ptcisa = ::mlg::ptc::isa;

// The dialect's enums are the ISA's codes.
static_assert(static_cast<int>(MemId::scale) ==
              static_cast<int>(ptcisa::MemId::Scale));
static_assert(static_cast<int>(MemId::coeff_u) ==
              static_cast<int>(ptcisa::MemId::CoeffU));
static_assert(static_cast<int>(AluOpcode::clip) ==
              static_cast<int>(ptcisa::AluOp::Clip));
static_assert(static_cast<int>(AluOpcode::shladd) ==
              static_cast<int>(ptcisa::AluOp::ShlAdd));
static_assert(static_cast<int>(CfgReg::noise_seed) ==
              static_cast<int>(ptcisa::CfgReg::NoiseSeed));
static_assert(static_cast<int>(CfgReg::adc_fs_bits) ==
              static_cast<int>(ptcisa::CfgReg::AdcFsBits));
static_assert(static_cast<int>(CfgReg::req_zp) ==
              static_cast<int>(ptcisa::CfgReg::ReqZp));
static_assert(static_cast<int>(RecompMem::wgt) ==
              static_cast<int>(ptcisa::RecompMem::Wgt));

static std::optional<ptcisa::Opcode> getOpcodeOf(Operation *op) {
  using ptcisa::Opcode;
  return llvm::TypeSwitch<Operation *, std::optional<Opcode>>(op)
      .Case([](LoadOp) { return Opcode::Load; })
      .Case([](StoreOp) { return Opcode::Store; })
      .Case([](GemmOp) { return Opcode::Gemm; })
      .Case([](FinishOp) { return Opcode::Finish; })
      .Case([](AluOp) { return Opcode::Alu; })
      .Case([](GenOp) { return Opcode::Gen; })
      .Case([](RecompOp) { return Opcode::Recomp; })
      .Case([](CfgOp) { return Opcode::Cfg; })
      .Case([](ProgOp) { return Opcode::Prog; })
      .Case([](FenceOp) { return Opcode::Fence; })
      .Case([](ShaddOp) { return Opcode::Shadd; })
      .Default([](Operation *) { return std::nullopt; });
}

bool mlir::mlg::ptc::isInstructionOp(Operation *op) {
  return getOpcodeOf(op).has_value();
}

static DepFlags getDepFlag(StringRef name) {
  return llvm::StringSwitch<DepFlags>(name)
      .Case("pop_prev", DepFlags::pop_prev)
      .Case("pop_next", DepFlags::pop_next)
      .Case("push_prev", DepFlags::push_prev)
      .Case("push_next", DepFlags::push_next)
      .Default(DepFlags::none);
}

static bool isUnitField(StringRef name) {
  return llvm::StringSwitch<bool>(name)
      .Cases({"reset", "requant", "signed_msb", "round"}, true)
      .Default(false);
}

ptcisa::Instruction mlir::mlg::ptc::toInstruction(Operation *op) {
  ptcisa::Instruction insn = ptcisa::makeInstruction(*getOpcodeOf(op));
  DepFlags deps = DepFlags::none;
  if (auto attr = op->getAttrOfType<DepFlagsAttr>("deps"))
    deps = attr.getValue();
  std::visit(
      [&](auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        T::forEachField(
            concrete, [&](const ptcisa::FieldSpec &spec, int64_t &value) {
              StringRef name = spec.name;
              if (spec.lsb < 8) { // header: dependency flags
                value = bitEnumContainsAll(deps, getDepFlag(name)) ? 1 : 0;
                return;
              }
              if (name == "use_imm") {
                value = op->getAttr("imm") ? 1 : 0;
                return;
              }
              // Absent: a unit flag that is off, a uop load's elem_bits, an
              // ALU's imm without use_imm, (RECOMP's and SHADD's) rshift,
              // SHADD's strides; all encode as 0. SHADD's absent repeat
              // count is 1.
              Attribute attr = op->getAttr(name);
              if (!attr)
                value = name == "n_rep" ? 1 : 0;
              else if (isa<UnitAttr>(attr))
                value = 1;
              else
                value = cast<IntegerAttr>(attr).getInt();
            });
      },
      insn);
  return insn;
}

Operation *mlir::mlg::ptc::buildInstructionOp(OpBuilder &builder, Location loc,
                                              const ptcisa::Instruction &insn) {
  MLIRContext *context = builder.getContext();
  ptcisa::Opcode opcode = ptcisa::getOpcode(insn);
  OperationState state(loc, ("ptc." + ptcisa::getMnemonic(opcode)).str());
  DepFlags deps = DepFlags::none;
  std::visit(
      [&](const auto &concrete) {
        using T = std::decay_t<decltype(concrete)>;
        int64_t useImm = 0;
        T::forEachField(concrete, [&](const ptcisa::FieldSpec &spec,
                                      const int64_t &value) {
          StringRef name = spec.name;
          if (spec.lsb < 8) {
            if (value)
              deps = deps | getDepFlag(name);
            return;
          }
          if (name == "use_imm") { // precedes imm in the field list
            useImm = value;
            return;
          }
          // Optional fields whose absence means 0: a uop load's elem_bits,
          // an ALU's imm without use_imm, RECOMP's rshift.
          if ((name == "imm" && !useImm) ||
              ((name == "elem_bits" || name == "rshift") && !value))
            return;
          if (isUnitField(name)) {
            if (value)
              state.addAttribute(name, builder.getUnitAttr());
            return;
          }
          Attribute attr;
          if (name == "mem_id")
            attr = MemIdAttr::get(context, static_cast<MemId>(value));
          else if (opcode == ptcisa::Opcode::Alu && name == "alu_op")
            attr = AluOpcodeAttr::get(context, static_cast<AluOpcode>(value));
          else if (opcode == ptcisa::Opcode::Cfg && name == "reg")
            attr = CfgRegAttr::get(context, static_cast<CfgReg>(value));
          else if (opcode == ptcisa::Opcode::Recomp && name == "mem")
            attr = RecompMemAttr::get(context, static_cast<RecompMem>(value));
          else
            attr = builder.getI64IntegerAttr(value);
          state.addAttribute(name, attr);
        });
      },
      insn);
  // A SHADD without a repeat (one run, zero strides) prints none of the
  // four repeat fields; otherwise all of them.
  if (opcode == ptcisa::Opcode::Shadd) {
    const auto &shadd = std::get<ptcisa::ShaddInsn>(insn);
    if (shadd.numRepeats == 1 && !shadd.dstStride && !shadd.codeStride &&
        !shadd.basisStride)
      for (StringRef name :
           {"n_rep", "dst_stride", "code_stride", "basis_stride"})
        state.attributes.erase(name);
  }
  if (deps != DepFlags::none)
    state.addAttribute("deps", DepFlagsAttr::get(context, deps));
  return builder.create(state);
}

ptcisa::Uop mlir::mlg::ptc::toUop(UopOp op) {
  ptcisa::Uop uop;
  uop.dst = op.getDst();
  uop.src = op.getSrc();
  uop.wgt = op.getWgt();
  return uop;
}
