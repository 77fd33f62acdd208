//===- Execute.h - Functional semantics of each instruction -----*- C++ -*-===//

#ifndef MLG_LIB_TARGET_PTC_SIM_EXECUTE_H
#define MLG_LIB_TARGET_PTC_SIM_EXECUTE_H

#include "Machine.h"

#include <functional>
#include <optional>
#include <string>

namespace mlg::ptc::sim {

/// Work one instruction did, for the cost model and the traffic report.
struct ExecStats {
  uint64_t steps = 0, resetSteps = 0, macs = 0, adcConversions = 0;
  /// Off-core bits a LOAD/STORE moved: DRAM or global SRAM, by address.
  uint64_t dramBits = 0, globalSramBits = 0, localBits = 0;
};

std::optional<std::string> executeLoad(Machine &m, const isa::LoadInsn &insn,
                                       const bin::Program &program,
                                       ExecStats &stats);
std::optional<std::string> executeStore(Machine &m, const isa::StoreInsn &insn,
                                        ExecStats &stats);
std::optional<std::string> executeGemm(Machine &m, const isa::GemmInsn &insn,
                                       ExecStats &stats);
std::optional<std::string> executeAlu(Machine &m, const isa::AluInsn &insn,
                                      ExecStats &stats);
std::optional<std::string> executeGen(Machine &m, const isa::GenInsn &insn,
                                      ExecStats &stats);
std::optional<std::string> executeRecomp(Machine &m,
                                         const isa::RecompInsn &insn,
                                         ExecStats &stats);
std::optional<std::string> executeShadd(Machine &m, const isa::ShaddInsn &insn,
                                        ExecStats &stats);

} // namespace mlg::ptc::sim

#endif // MLG_LIB_TARGET_PTC_SIM_EXECUTE_H
