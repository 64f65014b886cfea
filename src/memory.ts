// The memory one derivation may take. A few inputs grow without bound (a polynomial nested a
// thousand deep, a network of a hundred sigmoids written inline): past this much heap they are
// refused, "not supported", with exit status 2, before the process runs out of memory, which
// would end it with a native stack dump. The heap is read every few thousand steps of the
// stages that build expressions (a read asks the system for the process's memory: tens of
// microseconds, so rarely).
import { MatcalcError } from "./errors.js";

/** Bytes of JavaScript heap in use past which a derivation is refused. */
export const HEAP_LIMIT = 1.5 * 2 ** 30;
const STEPS_BETWEEN_READS = 65536;

// Node's; the browser (the playground) has none, and is not guarded
const node = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
const heapUsed: (() => number) | undefined = typeof node?.memoryUsage === "function" ? () => node.memoryUsage!().heapUsed : undefined;
let steps = 0;

/** Called at each step of a stage that builds expressions: throws once the heap is past HEAP_LIMIT. */
export function withinMemory(): void {
  if (heapUsed === undefined || ++steps % STEPS_BETWEEN_READS !== 0) return;
  if (heapUsed() > HEAP_LIMIT)
    throw new MatcalcError(`not supported: this input needs more than ${HEAP_LIMIT / 2 ** 30} GB of memory to derive (it grows without bound as it nests deeper)`, undefined, undefined, "unsupported");
}
