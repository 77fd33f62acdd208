//===- Binary.h - PTC program file format -----------------------*- C++ -*-===//
//
// The on-disk form of a photonic tensor core program: a versioned header,
// the 128-bit instruction words, the 32-bit micro-op table, a data segment
// holding bit-packed generator tensors and a small symbol table naming them.
// docs/isa.md ("File format") gives the byte layout. The reader validates
// everything (section bounds, alignment, overlaps, every instruction) and
// reports the byte offset of the first problem.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_BINARY_H
#define MLG_TARGET_PTC_BINARY_H

#include "mlg/Target/PTC/ISA.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlg::ptc::bin {

/// "MLGPTC", a NUL, then the major format version as a byte.
inline constexpr char kMagic[8] = {'M', 'L', 'G', 'P', 'T', 'C', '\0', '\1'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint32_t kHeaderBytes = 64;
inline constexpr uint32_t kInstructionBytes = 16;
inline constexpr uint32_t kUopBytes = 4;
inline constexpr uint32_t kSymbolBytes = 40;
inline constexpr unsigned kMaxSymbolRank = 4;
/// Data symbols start at multiples of this many bytes (DMA alignment).
inline constexpr uint32_t kDataAlignment = 16;

/// A named tensor in the data segment. Its DRAM byte address is `offset`
/// (the data segment is loaded at DRAM address 0). Elements are row-major,
/// `elemBits` wide, packed LSB-first (element i occupies bits
/// [i*elemBits, (i+1)*elemBits) of the little-endian byte stream).
struct DataSymbol {
  std::string name;
  uint32_t offset = 0;
  unsigned elemBits = 8;
  bool isSigned = true;
  std::vector<uint32_t> shape;
  std::vector<uint8_t> bytes;

  uint64_t getNumElements() const;
};

struct Program {
  std::vector<isa::Instruction> instructions;
  std::vector<isa::Uop> uops;
  std::vector<DataSymbol> symbols;
};

/// Byte offsets of each section, as the writer places them.
struct Layout {
  uint32_t codeOffset = 0, uopOffset = 0, dataOffset = 0, dataBytes = 0;
  uint32_t symtabOffset = 0, strtabOffset = 0, strtabBytes = 0;
  uint32_t fileBytes = 0;
};

/// Bytes a tensor of `numElements` `elemBits`-wide elements packs into.
uint64_t getPackedBytes(uint64_t numElements, unsigned elemBits);

/// Packs values (each must fit `elemBits` bits, signed or unsigned).
llvm::Expected<std::vector<uint8_t>>
packElements(llvm::ArrayRef<int64_t> values, unsigned elemBits, bool isSigned);
/// Unpacks `count` elements; `bytes` must hold getPackedBytes(count) bytes.
std::vector<int64_t> unpackElements(llvm::ArrayRef<uint8_t> bytes,
                                    uint64_t count, unsigned elemBits,
                                    bool isSigned);

/// Validates the program (instructions, uops, symbols) and computes where
/// each section goes.
llvm::Expected<Layout> computeLayout(const Program &program);

/// Serializes a program; fails without output if anything is invalid.
llvm::Expected<std::vector<uint8_t>> writeBinary(const Program &program);

/// Parses and validates a file image. Error messages start with
/// "offset N:" naming the byte that is wrong.
llvm::Expected<Program> readBinary(llvm::ArrayRef<uint8_t> bytes);

/// Human-readable listing: header, data symbols, micro-ops and one
/// instruction per line, each with its byte offset and raw encoding.
void printAssembly(const Program &program, llvm::raw_ostream &os);

} // namespace mlg::ptc::bin

#endif // MLG_TARGET_PTC_BINARY_H
