// The page's side of the engine's worker. One request runs at a time; of those waiting, only the
// latest of each kind is kept (typing makes many), and an answer to a request that a newer one
// of its kind has replaced is dropped. One that runs longer than LIMIT_MS is stopped (the worker
// is replaced) and answered with a failure saying so.
import type { Request, Response } from "./protocol.js";

const LIMIT_MS = 20_000;

type Kind = Request["kind"];

interface Job {
  readonly id: number;
  readonly request: Request;
  readonly resolve: (r: Response | undefined) => void;
}

export class Engine {
  private worker = this.start();
  private next = 0;
  private readonly latest = new Map<Kind, number>();
  private readonly waiting = new Map<Kind, Job>();
  private running?: Job & { readonly timer: ReturnType<typeof setTimeout> };

  /** The answer, or undefined when a newer request of the same kind was made meanwhile. */
  ask(request: Request): Promise<Response | undefined> {
    const id = ++this.next;
    this.latest.set(request.kind, id);
    this.waiting.get(request.kind)?.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting.set(request.kind, { id, request, resolve });
      this.pump();
    });
  }

  /** Answers still to come to requests of this kind are no longer wanted. */
  forget(kind: Kind): void {
    this.latest.set(kind, ++this.next);
    this.waiting.get(kind)?.resolve(undefined);
    this.waiting.delete(kind);
  }

  private pump(): void {
    if (this.running) return;
    const [kind, job] = this.waiting.entries().next().value ?? [];
    if (!kind || !job) return;
    this.waiting.delete(kind);
    this.running = { ...job, timer: setTimeout(() => this.stop(), LIMIT_MS) };
    this.worker.postMessage({ id: job.id, request: job.request });
  }

  private start(): Worker {
    const worker = new Worker(new URL("./engine.worker.ts", import.meta.url), { type: "module" });
    worker.addEventListener("message", (e: MessageEvent<{ id: number; response: Response }>) => {
      if (this.running?.id === e.data.id) this.finish(e.data.response);
    });
    return worker;
  }

  private finish(response: Response): void {
    const job = this.running!;
    clearTimeout(job.timer);
    this.running = undefined;
    job.resolve(this.latest.get(job.request.kind) === job.id ? response : undefined);
    this.pump();
  }

  private stop(): void {
    this.worker.terminate();
    this.worker = this.start();
    this.finish({ kind: "failure", message: `1:1: not supported: this took longer than ${LIMIT_MS / 1000} s and was stopped` });
  }
}
