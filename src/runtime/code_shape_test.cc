#include "runtime/code_shape.h"

#include <gtest/gtest.h>

namespace parley::runtime {
namespace {

TEST(CodeShape, RecognisesModules) {
  EXPECT_TRUE(looksLikeEsModule("import { Toolbelt } from 'core-functions-toolbelt';\n"));
  EXPECT_TRUE(looksLikeEsModule("  export async function lambda(input) {}"));
  EXPECT_TRUE(looksLikeEsModule("// hello\nexport default (input) => 1;"));
  EXPECT_TRUE(looksLikeEsModule("import _ from \"lodash\""));
  EXPECT_TRUE(looksLikeEsModule("import*as x from 'lodash'"));
}

TEST(CodeShape, ScriptsAreNotModules) {
  EXPECT_FALSE(looksLikeEsModule("function lambda(input, callback) { callback(null, 1) }"));
  EXPECT_FALSE(looksLikeEsModule("const m = await import('lodash');"));
  EXPECT_FALSE(looksLikeEsModule("import('lodash').then(() => {})"));
  EXPECT_FALSE(looksLikeEsModule("const important = 1; // export later"));
  EXPECT_FALSE(looksLikeEsModule("/*\nimport x from 'y'\n*/\nfunction lambda() {}"));
  EXPECT_FALSE(looksLikeEsModule("module.exports = (input, cb) => cb(null, 'exported')"));
}

TEST(CodeShape, FindsLambdaDeclarations) {
  EXPECT_TRUE(declaresLambda("async function lambda(input) {}"));
  EXPECT_TRUE(declaresLambda("const lambda = async () => 1"));
  EXPECT_TRUE(declaresLambda("let   lambda=1"));
  EXPECT_TRUE(declaresLambda("function* lambda() {}"));
  EXPECT_FALSE(declaresLambda("export default async function handler() { lambda() }"));
  EXPECT_FALSE(declaresLambda("const lambdaX = 1; const xlambda = 2;"));
  EXPECT_FALSE(declaresLambda("callLambda(lambda)"));
}

}  // namespace
}  // namespace parley::runtime
