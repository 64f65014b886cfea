// A benchmark worker: runs tasks sent by bench/pool.ts, one at a time.
import { parentPort } from "node:worker_threads";
import { type DeriveTask, runDerive } from "./tasks.js";

// runDerive reports its own failures as results.
parentPort!.on("message", (message: { id: number; task: DeriveTask }) => {
  parentPort!.postMessage({ id: message.id, result: runDerive(message.task) });
});
