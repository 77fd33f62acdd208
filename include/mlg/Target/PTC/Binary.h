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

#include <optional>
#include <string>
#include <vector>

namespace mlg::ptc::bin {

/// "MLGPTC", a NUL, then the major format version as a byte.
inline constexpr char kMagic[8] = {'M', 'L', 'G', 'P', 'T', 'C', '\0', '\1'};
/// The newest format version. Version 2 adds symbol roles (symbol flags
/// bits 1-2) and the optional layer table (header flag bit 0); version 3
/// the optional host view table (header flag bit 1), the activation role
/// and global SRAM symbols (symbol flags bit 3). A file is written with the
/// lowest version that holds its content; older versions stay readable.
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr uint32_t kHeaderFlagLayers = 1;
inline constexpr uint32_t kHeaderFlagHostViews = 2;
/// Layer table entry: name offset, name bytes, first and end instruction.
inline constexpr uint32_t kLayerBytes = 16;
/// Host view table entry: symbol index, layout, rank, row padding, scale,
/// dims[4] (docs/ptc-sim.md §3).
inline constexpr uint32_t kHostViewBytes = 32;
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
/// What a data symbol holds (format version 2; version-1 files hold only
/// `Data`). `Data` is a constant of the program (weights, biases, scales).
/// Inputs are written and outputs read by the host around a run (ptc-sim
/// --input/--output); their initial contents are zeros. An `Activation`
/// (format version 3) is a zero-initialised tensor the program itself
/// writes and reads, e.g. an intermediate layer result; DRAM traffic
/// reports count it with the inputs and outputs, not with the weights.
enum class SymbolRole : uint8_t {
  Data = 0,
  Input = 1,
  Output = 2,
  Activation = 3
};

/// "data", "input", "output", "activation".
llvm::StringRef getSymbolRoleName(SymbolRole role);
/// True for inputs and outputs: the symbols a host exchanges (and the only
/// ones that may have a host view).
inline bool isHostVisible(SymbolRole role) {
  return role == SymbolRole::Input || role == SymbolRole::Output;
}

/// How the host's float tensor maps onto an input/output symbol's codes
/// (format version 3).
enum class HostLayout : uint8_t {
  /// The symbol's shape is the host shape.
  Identity = 0,
  /// Host [N, C, H, W] <-> symbol [N*H*(W+2p)][C'] with C' >= C (NHWC
  /// pixel rows, each image row with p = rowPadding zero pixels left and
  /// right); a rank-2 host [N, K] is the case H = W = 1, p = 0. Columns past
  /// C and the padding pixels are zero on input and ignored on output.
  NchwPixels = 1,
};
inline constexpr unsigned kNumHostLayouts = 2;

/// The float tensor a host exchanges for an input or output symbol:
/// codes = clip(round(x / scale)) on input, x = codes * scale on output.
struct HostView {
  HostLayout layout = HostLayout::Identity;
  double scale = 1;
  std::vector<uint32_t> shape;
  /// Zero pixels stored left and right of every image row (nchw_pixels
  /// with a rank-4 host shape only; at most 65535).
  uint32_t rowPadding = 0;

  uint64_t getNumElements() const;
};

/// "identity" / "nchw_pixels", and back.
llvm::StringRef getHostLayoutName(HostLayout layout);
std::optional<HostLayout> parseHostLayout(llvm::StringRef name);

/// Checks that a host shape with `layout` and `rowPadding` describes a
/// symbol of shape `symbolShape` (rank 1 to 4, dimensions >= 1, the
/// layout's rule); the message says what the layout expects.
llvm::Error checkHostShape(HostLayout layout,
                           llvm::ArrayRef<int64_t> hostShape,
                           llvm::ArrayRef<int64_t> symbolShape,
                           int64_t rowPadding = 0);

/// Where a data symbol lives (symbol flags bit 3, format version 3).
enum class SymbolSpace : uint8_t {
  /// The data segment, loaded at DRAM address 0: `offset` is the address.
  Dram = 0,
  /// The global SRAM window: `offset` counts from isa::kGlobalSramBase.
  /// Zero-initialised; its bytes take no room in the data segment.
  GlobalSram = 1,
};
inline constexpr uint8_t kSymbolFlagGlobalSram = 8;
/// Global SRAM symbols end within this many bytes of the window (a resource
/// limit, docs/errors.md): a reader materializes their zeros, so a 100-byte
/// file must not ask for 2 GiB. Modelled accelerators have a few MiB.
inline constexpr uint64_t kMaxGlobalSramBytes = uint64_t(256) << 20;

struct DataSymbol {
  std::string name;
  /// Byte offset in its space (see SymbolSpace).
  uint32_t offset = 0;
  unsigned elemBits = 8;
  bool isSigned = true;
  SymbolRole role = SymbolRole::Data;
  SymbolSpace space = SymbolSpace::Dram;
  std::vector<uint32_t> shape;
  /// The initial contents (all zero for a GlobalSram symbol).
  std::vector<uint8_t> bytes;
  /// Only on input/output symbols (format version 3).
  std::optional<HostView> host;

  uint64_t getNumElements() const;
  /// The LOAD/STORE address of its first byte.
  uint64_t getAddress() const {
    return space == SymbolSpace::GlobalSram ? isa::kGlobalSramBase + offset
                                            : offset;
  }
};

/// A named range of instructions [first, end) for per-layer reports
/// (format version 2). Layers are in program order and do not overlap.
struct Layer {
  std::string name;
  uint32_t first = 0, end = 0;
};

struct Program {
  std::vector<isa::Instruction> instructions;
  std::vector<isa::Uop> uops;
  std::vector<DataSymbol> symbols;
  std::vector<Layer> layers;
};

/// Byte offsets of each section, as the writer places them.
struct Layout {
  uint32_t codeOffset = 0, uopOffset = 0, dataOffset = 0, dataBytes = 0;
  uint32_t symtabOffset = 0, strtabOffset = 0, strtabBytes = 0;
  uint32_t layerOffset = 0;    ///< 0 without a layer table
  uint32_t hostViewOffset = 0; ///< 0 without a host view table
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

/// 1; 2 when the program has symbol roles or layers; 3 with host views or
/// an activation symbol or global SRAM symbols.
unsigned getFormatVersion(const Program &program);

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
