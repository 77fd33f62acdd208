//===- ShapeInferenceTest.cpp - Builders infer result types ---------------===//
//
// Passes build mlg ops from C++ without spelling result types; these tests
// pin the inferred types and check that inconsistent operands are refused.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/IR/MLGDialect.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::mlg;

namespace {

class ShapeInferenceTest : public ::testing::Test {
protected:
  ShapeInferenceTest() : builder(&context) {
    context.loadDialect<MLGDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A function whose arguments have `types`; the builder is left in its body.
  ValueRange arguments(ArrayRef<Type> types) {
    auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                     builder.getFunctionType(types, {}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToEnd(body);
    return body->getArguments();
  }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(ShapeInferenceTest, TwoLevelGeneration) {
  ValueRange args = arguments({f32({44, 64, 2}), f32({44, 2, 3, 3}),
                               f32({128, 44})});
  Location loc = builder.getUnknownLoc();
  auto intra = GenerateIntraOp::create(builder, loc, args[0], args[1]);
  EXPECT_EQ(intra.getType(), f32({44, 64, 3, 3}));
  auto cross = GenerateCrossOp::create(builder, loc, args[2], intra);
  EXPECT_EQ(cross.getType(), f32({128, 64, 3, 3}));
}

TEST_F(ShapeInferenceTest, FusedConvolution) {
  ValueRange args =
      arguments({f32({8, 56, 56, 64}), f32({44, 2, 3, 3}), f32({44, 64, 2}),
                 f32({128, 44}), f32({128})});
  Location loc = builder.getUnknownLoc();
  auto conv = GeneratedConv2DOp::create(
      builder, loc, args[0], args[1], args[2], args[3], args[4],
      ConvLayout::nhwc_hwcf, /*strides=*/{2, 2}, /*padding=*/{1, 1, 1, 1},
      /*dilations=*/{1, 1}, /*groups=*/1);
  EXPECT_EQ(conv.getType(), f32({8, 28, 28, 128}));
  EXPECT_TRUE(succeeded(verify(conv)));
}

TEST_F(ShapeInferenceTest, DynamicBatchPropagates) {
  ValueRange args = arguments({f32({ShapedType::kDynamic, 512}),
                               f32({64, 512}), f32({10, 64})});
  auto matmul = GeneratedMatmulOp::create(
      builder, builder.getUnknownLoc(), args[0], args[1], Value(), args[2],
      Value(), ExecutionStrategy::automatic);
  EXPECT_EQ(matmul.getType(), f32({ShapedType::kDynamic, 10}));
}

TEST_F(ShapeInferenceTest, InconsistentOperandsAreRefused) {
  ValueRange args = arguments({f32({44, 64, 2}), f32({43, 2, 3, 3})});
  SmallVector<Type> inferred;
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  GenerateIntraOp::Adaptor adaptor(ValueRange{args[0], args[1]});
  EXPECT_TRUE(failed(GenerateIntraOp::inferReturnTypes(
      &context, builder.getUnknownLoc(), adaptor, inferred)));
  EXPECT_EQ(message, "'mlg.generate_intra' op 'basis' dimension 0 (Bc) "
                     "must be 44 like 'coeff' "
                     "dimension 0, got 43");
}

} // namespace
