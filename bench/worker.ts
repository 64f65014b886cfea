// A benchmark worker: runs tasks sent by bench/pool.ts, one at a time.
import { parentPort } from "node:worker_threads";
import { type DeriveTask, failure, runDerive } from "./tasks.js";

parentPort!.on("message", (message: { id: number; task: DeriveTask }) => {
  let result;
  try {
    result = runDerive(message.task);
  } catch (err) {
    result = failure(err);
  }
  parentPort!.postMessage({ id: message.id, result });
});
