/**
 * The embedded Rego engine's public door. Compile modules once with `compileModules`, then evaluate queries or
 * document paths many times. Parse and compile problems throw `RegoCompileError` (every problem, file:row:col);
 * evaluation problems come back in `QueryResult.error` with OPA's codes.
 */
export { compileModules } from './policy.ts';
export type { CompiledPolicy, QueryOptions, QueryResult, RuleInfo } from './policy.ts';
export { parseModule, parseQuery, parseTerm } from './ast/parser.ts';
export type { Module, Term, Body, Rule } from './ast/types.ts';
export { termToValue } from './term-value.ts';
export { RegoError, RegoCompileError, formatRegoError, formatRegoErrorWithColumn } from './errors.ts';
export type { RegoErrorCode, Location } from './errors.ts';
export type { Builtin, BuiltinContext } from './builtins/types.ts';
export { BuiltinError } from './builtins/types.ts';
export { createBuiltinRegistry } from './builtins/index.ts';
export { BUILTIN_DECLS, DEPRECATED_BUILTINS, OUTSIDE_BUILTINS } from './builtins/decls.ts';
export type { BuiltinDecl } from './builtins/decls.ts';
export * from './value.ts';
export { runPolicyTests, formatPolicyTestReport } from './tester.ts';
export type { PolicyTestReport, PolicyTestResult } from './tester.ts';
export { runConformance, formatConformanceReport, OUT_OF_SCOPE_BUILTINS, KNOWN_FAILURES } from './conformance.ts';
export { explainQuery, formatExplanation, jsonText } from './explain.ts';
export type { Explanation, ExplainMode, RuleExplanation, FailedExpr } from './explain.ts';
export type { ConformanceReport, FolderReport, ConformanceFailure } from './conformance.ts';
