// The command line (NOTATION.md), started by cli.ts: derive, simplify, check, example. Exit 0 done, 1 a check
// failed, 2 the input cannot be read — with a positioned message, never a stack trace.
import { readFileSync } from "node:fs";
import { derive, simplify, workedSolution, type DeriveResult } from "./api.js";
import { printSolution } from "./steps/print.js";
import { MatcalcError } from "./errors.js";
import { formatExpr } from "./print/expression.js";
import { jsonResult } from "./print/json.js";
import { numpyModule } from "./print/numpy.js";
import { formatAnswer } from "./print/sharing.js";
import { EXAMPLES } from "./examples.js";

const USAGE = `usage:
  matcalc derive EXPR --wrt X [--where DECLS] [--order 1|2] [--format unicode|latex|ascii|numpy|json] [--steps]
                                       # gradient, Jacobian, vec–Kronecker form; --order 2: Hessian
  matcalc simplify EXPR [--where DECLS] [--format unicode|latex|ascii|json]
  matcalc check FILE... [--where DECLS] [--json]   # verify derivations step by step (.tex, .md, plain)
  matcalc example                      # the seed homework's problems, derived and printed
  matcalc --version
EXPR or DECLS may be - to read standard input.`;

const FORMATS = ["unicode", "latex", "ascii", "numpy", "json"] as const;
type OutputFormat = (typeof FORMATS)[number];

interface Options {
  positional: string[];
  wrt?: string;
  where?: string;
  format: OutputFormat;
  steps: boolean;
  order?: string;
  json: boolean;
}

function usageError(message: string): MatcalcError {
  return new MatcalcError(`${message}\n${USAGE}`, undefined, undefined, "syntax");
}

function parseArgs(args: string[]): Options {
  const o: Options = { positional: [], format: "unicode", steps: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw usageError(`${a} needs a value`);
      return v;
    };
    if (a === "--wrt") o.wrt = value();
    else if (a === "--where") o.where = value();
    else if (a === "--order") o.order = value();
    else if (a === "--steps") o.steps = true;
    else if (a === "--json") o.json = true;
    else if (a === "--format") {
      const f = value();
      if (!(FORMATS as readonly string[]).includes(f)) throw usageError(`unknown format \`${f}\`: use one of ${FORMATS.join(", ")}`);
      o.format = f as OutputFormat;
    } else if (a.startsWith("--") && a.length > 2) throw usageError(`unknown option \`${a}\``);
    else o.positional.push(a);
  }
  return o;
}

const readStdinIfDash = (s: string) => (s === "-" ? readFileSync(0, "utf8") : s);

function printDerivation(r: DeriveResult, o: Options, text: string): string {
  if (o.steps) {
    if (o.format === "numpy") throw usageError("--steps prints unicode, ascii, latex or json");
    return printSolution(workedSolution(r), o.format);
  }
  if (o.format === "json") return jsonResult(r);
  if (o.format === "numpy") return numpyModule(r.expression, r.gradient, r.wrt, r.ctx, text.trim(), { shape: r.shape, order: r.order });
  return formatAnswer(r.gradient, o.format, r.ctx);
}

/** An error in the text of --where or --wrt is said to be that argument's (`--where 1:6: …`). */
function aboutArguments<T>(o: Options, where: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof MatcalcError && err.source !== undefined && err.argument === undefined) {
      if (where !== undefined && err.source === where) throw err.about("--where");
      if (o.wrt !== undefined && err.source === o.wrt) throw err.about("--wrt");
    }
    throw err;
  }
}

/** Loads the checker, a module apart: cli.ts passes the import, which must be its own (see there). */
export type LoadChecker = () => Promise<typeof import("./check/cli.js")>;

function run(argv: string[], loadChecker: LoadChecker): number {
  const [command, ...rest] = argv;
  const o = parseArgs(rest);
  switch (command) {
    case "derive": {
      if (o.positional.length !== 1) throw usageError("derive takes one expression");
      if (!o.wrt) throw usageError("derive needs --wrt (the variable)");
      if (o.order !== undefined && o.order !== "1" && o.order !== "2")
        throw new MatcalcError(`not supported: --order ${o.order}: matcalc derives first derivatives and Hessians (--order 2)`, undefined, undefined, "unsupported");
      const text = readStdinIfDash(o.positional[0]!);
      const where = o.where === undefined ? undefined : readStdinIfDash(o.where);
      const r = aboutArguments(o, where, () => derive(text, { wrt: o.wrt!, where, order: o.order === "2" ? 2 : 1, verify: true }));
      process.stdout.write(printDerivation(r, o, text) + "\n");
      for (const note of r.notes) process.stderr.write(`note: ${note}\n`);
      return 0;
    }
    case "simplify": {
      if (o.positional.length !== 1) throw usageError("simplify takes one expression");
      if (o.format === "numpy") throw usageError("simplify prints unicode, latex, ascii or json");
      const r = aboutArguments(o, o.where, () => simplify(readStdinIfDash(o.positional[0]!), o.where, { verify: true }));
      const printed =
        o.format === "json"
          ? JSON.stringify({ expression: formatExpr(r.simplified, "ascii", r.ctx), latex: formatExpr(r.simplified, "latex", r.ctx), unicode: formatExpr(r.simplified, "unicode", r.ctx) })
          : formatExpr(r.simplified, o.format, r.ctx);
      process.stdout.write(printed + "\n");
      for (const note of r.notes) process.stderr.write(`note: ${note}\n`);
      return 0;
    }
    case "check":
      // asynchronous (many files go to worker threads): it sets the exit status when done. Loaded
      // only for this command (build/bundle.mjs keeps it out of the bundled command line).
      void loadChecker()
        .then(({ runCheck }) => runCheck(o.positional, { where: o.where, json: o.json }))
        .then((code) => {
          process.exitCode = code;
        });
      return 0;
    case "example": {
      for (const ex of EXAMPLES) {
        const r = derive(ex.expression, { wrt: ex.wrt, where: ex.where, verify: true });
        process.stdout.write(
          [
            `# ${ex.title}`,
            `$ matcalc derive '${ex.expression}' --wrt ${ex.wrt} --where '${ex.where}'`,
            `∂/∂${ex.wrt} = ${formatAnswer(r.gradient, "unicode", r.ctx)}`,
            `LaTeX: ${formatAnswer(r.gradient, "latex", r.ctx)}`,
            "",
          ].join("\n") + "\n",
        );
      }
      return 0;
    }
    case "--version": {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
      process.stdout.write(`matcalc ${pkg.version}\n`);
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(USAGE + "\n");
      return 0;
    default:
      throw usageError(`unknown command \`${command}\``);
  }
}

/** Runs one command line (the arguments after the script's name) and sets the exit status. */
export function main(argv: string[], loadChecker: LoadChecker): void {
  // A reader that stops early (`matcalc check … | head -1`) is not an error worth a stack trace, nor a
  // reason to exit 0 before the check has decided its status: the rest of the output is dropped and
  // the command finishes with the status it reaches.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
  try {
    process.exitCode = run(argv, loadChecker);
  } catch (err) {
    if (err instanceof MatcalcError) process.stderr.write(err.format() + "\n");
    else if (err instanceof RangeError && /call stack/i.test(err.message))
      process.stderr.write("not supported: the expression is too deeply nested\n");
    else process.stderr.write(`internal error: ${err instanceof Error ? err.message : String(err)} (please report this input)\n`);
    process.exitCode = 2;
  }
}
