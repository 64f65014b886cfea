import type { Expr } from "../ast.js";

/**
 * The rules' patterns, parsed at build time: build/precompile.mjs replaces this module in dist/
 * with every pattern the rule files parse, so that the command line does not parse them at each
 * start. Empty here (tests and the library from source parse them when they load).
 */
export const PRECOMPILED: Readonly<Record<string, Expr>> = {};
