// A worker thread of `matcalc check`: receives {index, file}, answers {index, outcome}.
import { parentPort, workerData } from "node:worker_threads";
import { checkFile } from "./cli.js";

const where = (workerData as { where?: string } | null)?.where;

parentPort?.on("message", (job: { index: number; file: string }) => {
  parentPort!.postMessage({ index: job.index, outcome: checkFile(job.file, where) });
});
