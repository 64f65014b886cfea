// Runs derivation tasks in a worker thread, so that a derivation that takes too long is stopped
// (worker.terminate() interrupts running JavaScript) and one that crashes (stack, memory) is
// reported: the benchmark itself never hangs or crashes.
import { Worker } from "node:worker_threads";
import type { DeriveOutcome, DeriveTask, Failure } from "./tasks.js";

export interface Timeout {
  readonly ok: false;
  readonly timeout: true;
  readonly error: string;
}

export type Outcome = DeriveOutcome | Failure | Timeout;

export class Runner {
  private worker?: Worker;
  private next = 1;

  /** Run one task; a timeout terminates the worker (the next task starts a fresh one). */
  run(task: DeriveTask, timeoutMs: number): Promise<Outcome> {
    const worker = (this.worker ??= new Worker(new URL("./worker.js", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 3072, stackSizeMb: 16 },
    }));
    const id = this.next++;
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome, kill: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (kill) {
          void worker.terminate();
          if (this.worker === worker) this.worker = undefined;
        }
        resolve(outcome);
      };
      const onMessage = (m: { id: number; result: DeriveOutcome | Failure }) => {
        if (m.id === id) done(m.result, false);
      };
      const onError = (err: Error) => done({ ok: false, error: `worker failed: ${err.message}` }, true);
      const onExit = (code: number) => done({ ok: false, error: `worker exited (${code})` }, true);
      const timer = setTimeout(
        () => done({ ok: false, timeout: true, error: `timed out after ${(timeoutMs / 1000).toFixed(0)} s` }, true),
        timeoutMs,
      );
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage({ id, task });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
