import { positiveNumber } from '@ortbench/core';
import { startFleetWorker } from '@ortbench/tasks';
import { EXIT } from '../exit-codes';

/** Runs a fleet worker until SIGTERM/SIGINT: the first finishes the current job, a second hands it back. */
export async function runWorker(flags: Record<string, string | undefined>, plugins: string[]): Promise<number> {
  const worker = await startFleetWorker(
    {
      queue: flags.queue!,
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.tags ? { tags: flags.tags.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
      ...(flags.pool ? { pool: flags.pool } : {}),
      ...(flags.queueCa ? { caFile: flags.queueCa } : {}),
      ...(process.env.ORTBENCH_QUEUE_PASSWORD ? { password: process.env.ORTBENCH_QUEUE_PASSWORD } : {}),
      ...(flags.stallTimeout ? { stallTimeout: positiveNumber(flags.stallTimeout, '--stall-timeout') } : {}),
      ...(flags.jobTimeout ? { jobTimeout: positiveNumber(flags.jobTimeout, '--job-timeout') } : {}),
      ...(flags.maxModelSize ? { maxModelBytes: Math.round(positiveNumber(flags.maxModelSize, '--max-model-size') * 2 ** 20) } : {}),
    },
    { plugins, onLog: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) },
  );
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: string) => {
      signals++;
      const handBack = signals > 1;
      process.stderr.write(`${signal}: ${handBack ? 'handing the current job back to the queue' : 'finishing the current job, then exiting (again to hand it back now)'}\n`);
      void worker.stop({ handBack }).then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  process.stderr.write(`worker ${worker.identity.worker} stopped\n`);
  // A queue client still retrying a Redis that went away must not keep a stopped worker alive.
  setTimeout(() => process.exit(EXIT.ok), 1000).unref();
  return EXIT.ok;
}
