// `matcalc check FILE… [--where DECLS] [--json]` (Node only: files, worker threads, terminal).
//
// One file: its full report (or one JSON line). Several files: each file's problems as it is
// checked, then a table; with --json one JSON line per file, in the order given. Many files are
// checked in parallel worker threads (MATCALC_JOBS sets how many; 0 checks in this thread).
// A progress line is drawn on standard error when it is a terminal.
// Exit status: 2 when a file cannot be read at all (or --where cannot), else 1 when a step is
// wrong or a line could not be read, else 0.
import { existsSync, readFileSync, readSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { MatcalcError } from "../errors.js";
import { parseStatements } from "../syntax/parse.js";
import { checkText } from "./check.js";
import { type FileOutcome, fileReport, isError, jsonLine, summaryTable } from "./report.js";

export interface CheckCommandOptions {
  readonly where?: string;
  readonly json: boolean;
}

/** Below this many files the worker threads cost more than they save. */
const PARALLEL_FROM = 4;

/** Files larger than this are refused unread (a derivation is a few kB; checking is ~2 s per 10 kB). */
export const LARGEST_FILE = 1_000_000;

/**
 * The text of a derivation file, or why it cannot be read: only regular files (a FIFO or
 * /dev/zero would block or never end), at most LARGEST_FILE bytes, UTF-8 (a byte-order mark
 * dropped) or UTF-16 with its byte-order mark; a binary file (a NUL, or bytes that are not
 * UTF-8) is refused with the position of the first bad byte.
 */
export function readDocument(file: string): { text: string } | { error: string } {
  let bytes: Buffer;
  try {
    if (file === "-") bytes = readStdin();
    else {
      const stat = statSync(file);
      if (stat.isDirectory()) return { error: `1:1: cannot read ${file}: it is a directory` };
      if (!stat.isFile()) return { error: `1:1: cannot read ${file}: not a regular file (a pipe, a device or a socket)` };
      if (stat.size > LARGEST_FILE) return { error: `1:1: not supported: ${file} has ${stat.size.toLocaleString("en")} bytes, more than ${LARGEST_FILE.toLocaleString("en")}` };
      bytes = readFileSync(file);
    }
  } catch (err) {
    if (err instanceof RangeError) return { error: `1:1: not supported: standard input has more than ${LARGEST_FILE.toLocaleString("en")} bytes` };
    const code = (err as NodeJS.ErrnoException).code;
    return { error: `1:1: cannot read ${file}${code === "ENOENT" ? ": no such file" : code === "EISDIR" ? ": it is a directory" : code ? ` (${code})` : ""}` };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const nul = body.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { error: `${positionOfByte(body, firstInvalidUtf8(body))}: not a text file: ${file} is binary or not UTF-8 (save it as UTF-8)` };
  }
  if (nul >= 0) return { error: `${positionOfByte(body, nul)}: not a text file: ${file} has a NUL byte` };
  return { text };
}

/** Standard input, at most LARGEST_FILE bytes (a RangeError past that). */
function readStdin(): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((err as NodeJS.ErrnoException).code === "EOF") break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > LARGEST_FILE) throw new RangeError("too large");
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** The offset of the first byte that does not decode as UTF-8. */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by halving (a prefix may only end inside a character near its end).
  const valid = (end: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** "line:column" of a byte offset (columns in characters of the decodable text before it). */
function positionOfByte(bytes: Buffer, offset: number): string {
  const before = bytes.subarray(0, offset).toString("utf8");
  const lines = before.split("\n");
  return `${lines.length}:${[...lines[lines.length - 1]!].length + 1}`;
}

/** Check one file (read from disk, or standard input for `-`); never throws. */
export function checkFile(file: string, where: string | undefined): FileOutcome {
  const read = readDocument(file);
  if ("error" in read) return { file, error: read.error };
  try {
    return checkText(read.text, { file: file === "-" ? "<stdin>" : file, where });
  } catch (err) {
    if (err instanceof MatcalcError) return { file, error: err.format() };
    if (err instanceof RangeError && /call stack/i.test(err.message)) return { file, error: "1:1: not supported: the input is too deeply nested" };
    return { file, error: `1:1: internal error: ${err instanceof Error ? err.message : String(err)} (please report this input)` };
  }
}

export async function runCheck(files: readonly string[], options: CheckCommandOptions): Promise<number> {
  const out = process.stdout;
  const err = process.stderr;
  if (files.length === 0) {
    err.write("1:1: check takes one or more derivation files: matcalc check FILE... [--where DECLS] [--json]\n");
    return 2;
  }
  let where = options.where;
  if (where === "-") where = readFileSync(0, "utf8");
  if (where !== undefined) {
    try {
      parseStatements(where);
    } catch (e) {
      if (!(e instanceof MatcalcError)) throw e;
      err.write(`${e.format()}\n  (in --where)\n`);
      return 2;
    }
  }

  const outcomes: FileOutcome[] = new Array(files.length);
  const single = files.length === 1;
  const progress = !single && err.isTTY === true;
  let printed = 0;
  let done = 0;
  let notOk = 0;
  // reports are printed in the order the files were given, as soon as they can be
  const flush = () => {
    while (printed < files.length && outcomes[printed] !== undefined) {
      const o = outcomes[printed]!;
      if (progress) err.write("\r\x1b[K");
      if (options.json) out.write(jsonLine(o) + "\n");
      else if (isError(o)) err.write(single ? `${o.error}\n  (in ${o.file})\n` : `${o.file}:${o.error}\n`);
      else out.write(fileReport(o, { onlyProblems: !single }) + "\n" + (single ? "" : "\n"));
      printed++;
    }
    if (progress) err.write(`\rchecked ${done}/${files.length} files, ${notOk} not ok`);
  };
  const record = (i: number, o: FileOutcome) => {
    outcomes[i] = o;
    done++;
    if (!isError(o) && !o.ok) notOk++;
    flush();
  };

  const jobs = workerCount(files.length);
  if (jobs === 0) files.forEach((f, i) => record(i, checkFile(f, where)));
  else await inWorkers(files, where, jobs, record);

  if (progress) err.write("\r\x1b[K");
  if (!single && !options.json) out.write(summaryTable(outcomes) + "\n");
  if (outcomes.some(isError)) return 2;
  return outcomes.some((o) => !isError(o) && !o.ok) ? 1 : 0;
}

function workerCount(files: number): number {
  const asked = process.env.MATCALC_JOBS;
  if (asked !== undefined && /^\d+$/.test(asked)) return Math.min(Number(asked), files);
  if (files < PARALLEL_FROM) return 0;
  return Math.max(1, Math.min(availableParallelism(), files));
}

/** The compiled worker (dist/src/check/worker.cli.js), also when this module runs from source. */
function workerUrl(): URL {
  const here = new URL("./worker.cli.js", import.meta.url);
  if (existsSync(here)) return here;
  return new URL("../../dist/src/check/worker.cli.js", import.meta.url);
}

interface Job {
  readonly index: number;
  readonly file: string;
}

function inWorkers(files: readonly string[], where: string | undefined, jobs: number, record: (i: number, o: FileOutcome) => void): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;
    let alive = jobs;
    const url = workerUrl();
    const take = (): Job | undefined => (next < files.length ? { index: next, file: files[next++]! } : undefined);
    const settle = (job: Job, o: FileOutcome) => {
      record(job.index, o);
      finished++;
    };
    for (let w = 0; w < jobs; w++) {
      const worker = new Worker(url, { workerData: { where } });
      let current: Job | undefined;
      const feed = () => {
        current = take();
        if (current) worker.postMessage(current);
        else void worker.terminate();
      };
      worker.on("message", (m: { index: number; outcome: FileOutcome }) => {
        if (current && m.index === current.index) settle(current, m.outcome);
        feed();
      });
      worker.on("error", (e) => {
        // a crashed worker: its file gets the error, the others go on (in this thread if none is left)
        if (current) settle(current, { file: current.file, error: `1:1: internal error: ${e.message} (please report this input)` });
        current = undefined;
      });
      worker.on("exit", () => {
        alive--;
        if (alive === 0) {
          for (let job = take(); job; job = take()) settle(job, checkFile(job.file, where));
          if (finished === files.length) resolve();
        }
      });
      feed();
    }
  });
}
