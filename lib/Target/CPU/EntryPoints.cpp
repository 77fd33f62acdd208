//===- EntryPoints.cpp - The C ABI of compiled MLG libraries --------------===//

#include "mlg/Target/CPU/EntryPoints.h"
#include "mlg/Target/CPU/CABITypes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::mlg;

/// The text of include/mlg/Target/CPU/CABITypes.h.
static constexpr const char *kCABITypes =
#include "CABITypes.inc"
    ;

static_assert(MLG_ABI_VERSION == kCABIVersion,
              "CABITypes.h and kCABIVersion disagree");
static_assert(MLG_DTYPE_F32 == static_cast<int32_t>(CABIDType::F32),
              "CABITypes.h and CABIDType disagree");
// The LLVM struct types built below assume natural alignment (LP64 here).
static_assert(sizeof(void *) != 8 ||
                  (sizeof(mlg_tensor_t) == 16 && sizeof(mlg_entry_t) == 40 &&
                   sizeof(mlg_model_t) == 16),
              "unexpected layout of the C ABI structs");

int64_t CABITensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Name of the memref-level wrapper of entry point `name`.
static std::string implName(StringRef name) {
  return ("_mlg_impl_" + name).str();
}

static bool isCIdentifier(StringRef name) {
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// The ABI carries statically shaped f32 tensors only.
static FailureOr<CABITensor> toCABITensor(func::FuncOp func, Type type,
                                          StringRef what, unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.getElementType().isF32()) {
    return func.emitError() << "entry point '" << func.getSymName() << "': "
                            << what << " #" << index << " has type " << type
                            << "; the C ABI passes only ranked tensors of f32";
  }
  if (!tensor.hasStaticShape()) {
    return func.emitError() << "entry point '" << func.getSymName() << "': "
                            << what << " #" << index << " has type " << type
                            << "; dynamic shapes are not supported by the C "
                               "ABI yet";
  }
  CABITensor result;
  result.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return result;
}

FailureOr<SmallVector<CABIEntryPoint>>
mlir::mlg::addEntryPointWrappers(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  ctx->getOrLoadDialect<bufferization::BufferizationDialect>();
  ctx->getOrLoadDialect<func::FuncDialect>();
  ctx->getOrLoadDialect<memref::MemRefDialect>();
  SmallVector<CABIEntryPoint> entryPoints;
  SymbolTable symbols(module);
  SmallVector<func::FuncOp> publicFuncs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      publicFuncs.push_back(func);

  for (func::FuncOp func : publicFuncs) {
    StringRef name = func.getSymName();
    if (!isCIdentifier(name))
      return func.emitError() << "entry point '" << name
                              << "' is not a C identifier; rename it or make "
                                 "it private";
    // mlg_model is the model description's accessor.
    if (name == "model")
      return func.emitError()
             << "entry point name 'model' is reserved (mlg_model() returns "
                "the model description)";
    if (symbols.lookup(implName(name)))
      return func.emitError() << "symbol '" << implName(name)
                              << "' is reserved for the entry point wrapper";

    CABIEntryPoint entry;
    entry.name = name.str();
    FunctionType type = func.getFunctionType();
    for (auto [i, t] : llvm::enumerate(type.getInputs())) {
      FailureOr<CABITensor> tensor = toCABITensor(func, t, "argument", i);
      if (failed(tensor))
        return failure();
      entry.inputs.push_back(*tensor);
    }
    for (auto [i, t] : llvm::enumerate(type.getResults())) {
      FailureOr<CABITensor> tensor = toCABITensor(func, t, "result", i);
      if (failed(tensor))
        return failure();
      entry.outputs.push_back(*tensor);
    }

    // wrapper(in memrefs..., out memrefs...): results are materialized in
    // the caller's buffers; inputs are read-only (to_tensor is not writable,
    // so bufferization copies before any in-place update).
    Location loc = func.getLoc();
    OpBuilder b(module.getContext());
    b.setInsertionPointAfter(func);
    Type f32 = b.getF32Type();
    SmallVector<Type> argTypes;
    for (const CABITensor &t : entry.inputs)
      argTypes.push_back(MemRefType::get(t.shape, f32));
    for (const CABITensor &t : entry.outputs)
      argTypes.push_back(MemRefType::get(t.shape, f32));
    auto wrapper = func::FuncOp::create(b, loc, implName(name),
                                        b.getFunctionType(argTypes, {}));
    Block *body = wrapper.addEntryBlock();
    b.setInsertionPointToStart(body);
    SmallVector<Value> operands;
    for (auto [i, t] : llvm::enumerate(type.getInputs()))
      operands.push_back(bufferization::ToTensorOp::create(
          b, loc, t, body->getArgument(i), /*restrict=*/true,
          /*writable=*/false));
    auto call = func::CallOp::create(b, loc, func, operands);
    for (auto [i, result] : llvm::enumerate(call.getResults())) {
      Value dest = body->getArgument(entry.inputs.size() + i);
      bufferization::MaterializeInDestinationOp::create(
          b, loc, /*result=*/Type(), result, dest, b.getUnitAttr(),
          b.getUnitAttr());
    }
    func::ReturnOp::create(b, loc);
    func.setPrivate();
    entryPoints.push_back(std::move(entry));
  }
  return entryPoints;
}

namespace {
/// Builds the LLVM-dialect exports of one module.
class CABIExportBuilder {
public:
  explicit CABIExportBuilder(ModuleOp module)
      : module(module), ctx(module.getContext()), b(ctx),
        loc(module.getLoc()), ptrTy(LLVM::LLVMPointerType::get(ctx)),
        i32(IntegerType::get(ctx, 32)), i64(IntegerType::get(ctx, 64)) {
    b.setInsertionPointToEnd(module.getBody());
    // Field order and types match mlg_tensor_t, mlg_entry_t and mlg_model_t
    // in the generated header (natural alignment on both sides).
    tensorTy = LLVM::LLVMStructType::getLiteral(ctx, {i32, i32, ptrTy});
    entryTy = LLVM::LLVMStructType::getLiteral(
        ctx, {ptrTy, i32, i32, ptrTy, ptrTy, ptrTy});
    modelTy = LLVM::LLVMStructType::getLiteral(ctx, {i32, i32, ptrTy});
  }

  LogicalResult build(ArrayRef<CABIEntryPoint> entryPoints);

private:
  Value i32Const(int64_t v) {
    return LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(v));
  }
  Value i64Const(int64_t v) {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  }
  FailureOr<LLVM::LLVMFuncOp> buildExport(const CABIEntryPoint &entry);
  LLVM::LLVMFuncOp buildInvoke(const CABIEntryPoint &entry,
                               LLVM::LLVMFuncOp exported);
  LLVM::GlobalOp buildString(StringRef symName, StringRef value);
  LLVM::GlobalOp buildTensorArray(StringRef symName,
                                  ArrayRef<CABITensor> tensors);
  /// A constant global whose initializer region `fill` builds.
  LLVM::GlobalOp
  buildAggregate(StringRef symName, Type type,
                 function_ref<Value(Value undef)> fill);
  Value addressOrNull(LLVM::GlobalOp global) {
    if (!global)
      return LLVM::ZeroOp::create(b, loc, ptrTy);
    return LLVM::AddressOfOp::create(b, loc, global);
  }

  ModuleOp module;
  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
  Type ptrTy, i32, i64;
  Type tensorTy, entryTy, modelTy;
};
} // namespace

FailureOr<LLVM::LLVMFuncOp>
CABIExportBuilder::buildExport(const CABIEntryPoint &entry) {
  auto impl = module.lookupSymbol<LLVM::LLVMFuncOp>(implName(entry.name));
  if (!impl)
    return module.emitError() << "entry point '" << entry.name
                              << "': the lowering dropped its wrapper '"
                              << implName(entry.name) << "'";

  SmallVector<const CABITensor *> buffers;
  for (const CABITensor &t : entry.inputs)
    buffers.push_back(&t);
  for (const CABITensor &t : entry.outputs)
    buffers.push_back(&t);

  // The lowering passes a memref either as a bare pointer or expanded as
  // (allocated, aligned, offset, sizes..., strides...).
  unsigned numParams = impl.getFunctionType().getNumParams();
  unsigned expanded = 0;
  for (const CABITensor *t : buffers)
    expanded += 3 + 2 * t->shape.size();
  bool barePointers = numParams == buffers.size();
  if (!barePointers && numParams != expanded)
    return impl.emitError() << "entry point '" << entry.name
                            << "': unexpected lowered signature with "
                            << numParams << " parameters for "
                            << buffers.size() << " memrefs";

  auto type = LLVM::LLVMFunctionType::get(
      i32, SmallVector<Type>(buffers.size(), ptrTy));
  b.setInsertionPointToEnd(module.getBody());
  auto exported = LLVM::LLVMFuncOp::create(b, loc, entry.symbol(), type);
  // Buffers must not overlap (docs/c-abi.md), and inputs are only read.
  for (unsigned i = 0; i < buffers.size(); ++i) {
    exported.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                        b.getUnitAttr());
    if (i < entry.inputs.size())
      exported.setArgAttr(i, LLVM::LLVMDialect::getReadonlyAttrName(),
                          b.getUnitAttr());
  }
  Block *body = exported.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  SmallVector<Value> args;
  for (auto [i, t] : llvm::enumerate(buffers)) {
    Value ptr = body->getArgument(i);
    args.push_back(ptr);
    if (barePointers)
      continue;
    args.push_back(ptr);
    args.push_back(i64Const(0));
    for (int64_t d : t->shape)
      args.push_back(i64Const(d));
    SmallVector<int64_t> strides(t->shape.size());
    int64_t stride = 1;
    for (int64_t d = t->shape.size() - 1; d >= 0; --d) {
      strides[d] = stride;
      stride *= t->shape[d];
    }
    for (int64_t s : strides)
      args.push_back(i64Const(s));
  }
  LLVM::CallOp::create(b, loc, impl, args);
  LLVM::ReturnOp::create(b, loc, i32Const(0));
  return exported;
}

LLVM::LLVMFuncOp CABIExportBuilder::buildInvoke(const CABIEntryPoint &entry,
                                                LLVM::LLVMFuncOp exported) {
  auto type = LLVM::LLVMFunctionType::get(i32, {ptrTy, ptrTy});
  b.setInsertionPointToEnd(module.getBody());
  auto invoke = LLVM::LLVMFuncOp::create(b, loc, "_mlg_invoke_" + entry.name,
                                         type, LLVM::Linkage::Internal);
  Block *body = invoke.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  SmallVector<Value> args;
  auto loadPointers = [&](Value array, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      Value slot = LLVM::GEPOp::create(
          b, loc, ptrTy, ptrTy, array,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      args.push_back(LLVM::LoadOp::create(b, loc, ptrTy, slot));
    }
  };
  loadPointers(body->getArgument(0), entry.inputs.size());
  loadPointers(body->getArgument(1), entry.outputs.size());
  auto call = LLVM::CallOp::create(b, loc, exported, args);
  LLVM::ReturnOp::create(b, loc, call.getResult());
  return invoke;
}

LLVM::GlobalOp CABIExportBuilder::buildString(StringRef symName,
                                              StringRef value) {
  b.setInsertionPointToEnd(module.getBody());
  std::string bytes = value.str();
  bytes.push_back('\0');
  auto type = LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), bytes.size());
  return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                LLVM::Linkage::Internal, symName,
                                b.getStringAttr(bytes));
}

LLVM::GlobalOp
CABIExportBuilder::buildAggregate(StringRef symName, Type type,
                                  function_ref<Value(Value)> fill) {
  b.setInsertionPointToEnd(module.getBody());
  auto global = LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                       LLVM::Linkage::Internal, symName,
                                       Attribute());
  Block *init = b.createBlock(&global.getInitializerRegion());
  b.setInsertionPointToStart(init);
  Value value = fill(LLVM::UndefOp::create(b, loc, type));
  LLVM::ReturnOp::create(b, loc, value);
  b.setInsertionPointToEnd(module.getBody());
  return global;
}

LLVM::GlobalOp
CABIExportBuilder::buildTensorArray(StringRef symName,
                                    ArrayRef<CABITensor> tensors) {
  if (tensors.empty())
    return nullptr;
  SmallVector<LLVM::GlobalOp> shapes;
  for (auto [i, t] : llvm::enumerate(tensors)) {
    if (t.shape.empty()) {
      shapes.push_back(nullptr);
      continue;
    }
    b.setInsertionPointToEnd(module.getBody());
    auto type = LLVM::LLVMArrayType::get(i64, t.shape.size());
    auto value = DenseIntElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(t.shape.size())}, i64),
        ArrayRef<int64_t>(t.shape));
    shapes.push_back(LLVM::GlobalOp::create(
        b, loc, type, /*isConstant=*/true, LLVM::Linkage::Internal,
        (symName + "_shape" + Twine(i)).str(), value));
  }
  auto arrayTy = LLVM::LLVMArrayType::get(tensorTy, tensors.size());
  return buildAggregate(symName, arrayTy, [&](Value array) {
    for (auto [i, t] : llvm::enumerate(tensors)) {
      int64_t idx = i;
      array = LLVM::InsertValueOp::create(
          b, loc, array, i32Const(static_cast<int32_t>(CABIDType::F32)),
          ArrayRef<int64_t>{idx, 0});
      array = LLVM::InsertValueOp::create(b, loc, array,
                                          i32Const(t.shape.size()),
                                          ArrayRef<int64_t>{idx, 1});
      array = LLVM::InsertValueOp::create(
          b, loc, array, addressOrNull(shapes[i]), ArrayRef<int64_t>{idx, 2});
    }
    return array;
  });
}

LogicalResult
CABIExportBuilder::build(ArrayRef<CABIEntryPoint> entryPoints) {
  llvm::StringSet<> exportedNames;
  struct EntryGlobals {
    LLVM::GlobalOp name, inputs, outputs;
    LLVM::LLVMFuncOp invoke;
  };
  SmallVector<EntryGlobals> globals;
  for (const CABIEntryPoint &entry : entryPoints) {
    FailureOr<LLVM::LLVMFuncOp> exported = buildExport(entry);
    if (failed(exported))
      return failure();
    exportedNames.insert(entry.symbol());
    std::string prefix = "__mlg_entry_" + entry.name;
    globals.push_back({buildString(prefix + "_name", entry.name),
                       buildTensorArray(prefix + "_inputs", entry.inputs),
                       buildTensorArray(prefix + "_outputs", entry.outputs),
                       buildInvoke(entry, *exported)});
  }

  LLVM::GlobalOp entries;
  if (!entryPoints.empty()) {
    auto arrayTy = LLVM::LLVMArrayType::get(entryTy, entryPoints.size());
    entries = buildAggregate("__mlg_entries", arrayTy, [&](Value array) {
      for (auto [i, entry] : llvm::enumerate(entryPoints)) {
        int64_t idx = i;
        const EntryGlobals &g = globals[i];
        Value fields[] = {
            addressOrNull(g.name),
            i32Const(entry.inputs.size()),
            i32Const(entry.outputs.size()),
            addressOrNull(g.inputs),
            addressOrNull(g.outputs),
            LLVM::AddressOfOp::create(b, loc, g.invoke)};
        for (auto [f, value] : llvm::enumerate(fields))
          array = LLVM::InsertValueOp::create(
              b, loc, array, value,
              ArrayRef<int64_t>{idx, static_cast<int64_t>(f)});
      }
      return array;
    });
  }
  LLVM::GlobalOp model =
      buildAggregate("__mlg_model", modelTy, [&](Value value) {
        value = LLVM::InsertValueOp::create(b, loc, value,
                                            i32Const(kCABIVersion),
                                            ArrayRef<int64_t>{0});
        value = LLVM::InsertValueOp::create(b, loc, value,
                                            i32Const(entryPoints.size()),
                                            ArrayRef<int64_t>{1});
        return LLVM::InsertValueOp::create(b, loc, value,
                                           addressOrNull(entries),
                                           ArrayRef<int64_t>{2})
            .getResult();
      });

  b.setInsertionPointToEnd(module.getBody());
  auto accessor = LLVM::LLVMFuncOp::create(
      b, loc, "mlg_model", LLVM::LLVMFunctionType::get(ptrTy, {}));
  b.setInsertionPointToStart(accessor.addEntryBlock(b));
  LLVM::ReturnOp::create(b, loc,
                         LLVM::AddressOfOp::create(b, loc, model).getResult());
  exportedNames.insert("mlg_model");

  // Only the C ABI is exported; everything else may be inlined or dropped.
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal() && !exportedNames.contains(func.getSymName()))
      func.setLinkage(LLVM::Linkage::Internal);
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    bool isDefinition =
        global.getValue() || !global.getInitializerRegion().empty();
    if (isDefinition && global.getLinkage() == LLVM::Linkage::External)
      global.setLinkage(LLVM::Linkage::Internal);
  }
  return success();
}

LogicalResult
mlir::mlg::addCABIExports(ModuleOp module,
                          ArrayRef<CABIEntryPoint> entryPoints) {
  module.getContext()->getOrLoadDialect<LLVM::LLVMDialect>();
  for (const CABIEntryPoint &entry : entryPoints)
    if (module.lookupSymbol(entry.symbol()))
      return module.emitError()
             << "symbol '" << entry.symbol()
             << "' already exists; it is reserved for the C ABI export";
  if (module.lookupSymbol("mlg_model"))
    return module.emitError()
           << "symbol 'mlg_model' already exists; it is reserved for the "
              "model description";
  return CABIExportBuilder(module).build(entryPoints);
}

static std::string shapeText(const CABITensor &t, StringRef sep) {
  if (t.shape.empty())
    return "";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(t.shape, os, sep);
  return s;
}

void mlir::mlg::writeCABIHeader(raw_ostream &os,
                                ArrayRef<CABIEntryPoint> entryPoints,
                                StringRef guardName, StringRef sourceName) {
  os << "/* Generated by mlgc from " << sourceName
     << ". Do not edit.\n"
        " * MLG C ABI version "
     << kCABIVersion
     << " (docs/c-abi.md): buffers are caller-owned, contiguous,\n"
        " * row-major float32 arrays that must not overlap; entry points "
        "return 0 on success. */\n";
  os << "#ifndef " << guardName << "\n#define " << guardName << "\n\n";
  os << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  // Shared by every generated header of this ABI version.
  os << kCABITypes << "\n";
  os << R"(/* The model description of this library (static storage). */
const mlg_model_t *mlg_model(void);
)";
  for (const CABIEntryPoint &entry : entryPoints) {
    std::string upper = StringRef(entry.name).upper();
    os << "\n/* " << entry.name << "\n";
    auto describe = [&](StringRef kind, ArrayRef<CABITensor> tensors) {
      for (auto [i, t] : llvm::enumerate(tensors))
        os << " *   " << kind << i << ": f32[" << shapeText(t, "x") << "]\n";
    };
    describe("in", entry.inputs);
    describe("out", entry.outputs);
    os << " */\n";
    auto macros = [&](StringRef kind, ArrayRef<CABITensor> tensors) {
      for (auto [i, t] : llvm::enumerate(tensors)) {
        std::string prefix =
            ("MLG_" + upper + "_" + kind + Twine(i) + "_").str();
        os << "#define " << prefix << "RANK " << t.shape.size() << "\n";
        if (!t.shape.empty())
          os << "#define " << prefix << "SHAPE {" << shapeText(t, ", ")
             << "}\n";
        os << "#define " << prefix << "SIZE " << t.numElements() << "\n";
      }
    };
    macros("IN", entry.inputs);
    macros("OUT", entry.outputs);
    os << "int32_t " << entry.symbol() << "(";
    SmallVector<std::string> params;
    for (size_t i = 0; i < entry.inputs.size(); ++i)
      params.push_back("const float *in" + std::to_string(i));
    for (size_t i = 0; i < entry.outputs.size(); ++i)
      params.push_back("float *out" + std::to_string(i));
    if (params.empty())
      os << "void";
    llvm::interleaveComma(params, os);
    os << ");\n";
  }
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guardName
     << " */\n";
}
