// The library: everything here runs in a browser too (no Node-only API below src/cli.ts).
export { derive, simplify, contextOf, readExpression, type DeriveOptions, type DeriveResult } from "./api.js";
export { type Expr, type Statement, equal, key, withoutSpans } from "./ast.js";
export { type Context, buildContext } from "./context.js";
export { MatcalcError } from "./errors.js";
export { gradient, type Step } from "./derive/gradient.js";
export { inferShapes, shapeOf } from "./shapes/infer.js";
export { simplify as simplifyExpr, simplifyLocally, sameNormalForm } from "./simplify/simplify.js";
export { parseExpression, parseStatements } from "./syntax/parse.js";
export { formatExpr, type TextFormat } from "./print/expression.js";
export { numpyModule } from "./print/numpy.js";
export { jsonResult } from "./print/json.js";
export { evaluate, DomainError } from "./numeric/evaluate.js";
export { randomInstance, seededRng, withDomain, instanceWhereDefined, type Instance } from "./numeric/random.js";
export { centralDifference, jacobianByDifferences } from "./numeric/finiteDifference.js";
export { closeEnough, formatMatrix } from "./numeric/compare.js";
export { DERIVATIVE_RULES } from "../rules/derivatives.js";
export { SIMPLIFICATIONS } from "../rules/simplifications.js";
