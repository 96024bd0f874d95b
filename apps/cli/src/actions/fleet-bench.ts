import path from 'node:path';
import { InvalidArgumentError, positiveNumber } from '@ortbench/core';
import type { FleetOptions } from '@ortbench/tasks';
import { fleetBench, installedVersion } from '@ortbench/tasks';
import { EXIT } from '../exit-codes';
import { warn } from '../output';
import { defaultDirectory, reportBench } from './bench';

/**
 * `ortbench bench --queue`: the sweep submitted to fleet workers, progress until every job is
 * back, then the same reports as a local sweep. Ctrl-C stops waiting (the workers go on) and
 * writes what finished; `--resume SWEEP_ID` collects the rest later.
 */
export async function runFleetBench(model: string | undefined, flags: Record<string, unknown>, command: string): Promise<number> {
  if (flags.spread && flags.eachWorker) throw new InvalidArgumentError('--spread and --each-worker exclude each other');
  if (flags.tags !== undefined && !flags.eachWorker) throw new InvalidArgumentError('--tags selects workers for --each-worker; --spread jobs go to a --pool');
  const resume = flags.resume === undefined ? undefined : String(flags.resume);
  if (resume && model !== undefined) throw new InvalidArgumentError('--resume SWEEP_ID reattaches to a submitted sweep: give no model (it is the sweep\'s)');
  const fleet: FleetOptions = {
    queue: String(flags.queue),
    mode: flags.eachWorker ? 'each-worker' : 'spread',
    ...(flags.tags ? { tags: String(flags.tags).split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    ...(flags.pool ? { pool: String(flags.pool) } : {}),
    ...(flags.queueCa ? { caFile: String(flags.queueCa) } : {}),
    ...(process.env.ORTBENCH_QUEUE_PASSWORD ? { password: process.env.ORTBENCH_QUEUE_PASSWORD } : {}),
    ...(resume ? { resume } : {}),
    ...(flags.maxModelSize ? { maxModelBytes: Math.round(positiveNumber(flags.maxModelSize, '--max-model-size') * 2 ** 20) } : {}),
  };
  const { resume: _resume, queue: _queue, spread: _spread, eachWorker: _each, tags: _tags, pool: _pool, queueCa: _ca, maxModelSize: _max, ...benchFlags } = flags;
  const controller = new AbortController();
  let sweep = '';
  const interrupt = () => {
    process.stderr.write(`\ninterrupted: writing what finished; the workers go on — collect the rest with --resume ${sweep}\n`);
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let last = '';
  let outcome;
  try {
    outcome = await fleetBench(resume ? undefined : { ...benchFlags, ...(model === undefined ? {} : { model }) }, fleet, {
      signal: controller.signal,
      command: `ortbench ${command.replace(/(rediss?:\/\/[^:@/\s]*:)[^@\s]*@/g, '$1***@')}`,
      tool: { name: 'ortbench', version: installedVersion('ortbench') ?? '0.0.0' },
      onSubmitted: (sweepId, jobs, workers) => {
        sweep = sweepId;
        process.stderr.write(`sweep ${sweepId}: ${jobs} job(s) on the queue; workers alive: ${workers.join(', ') || 'none yet (jobs wait for one)'}\n`);
      },
      onProgress: (p) => {
        const line = `jobs: ${p.waiting} waiting, ${p.active} active, ${p.done} done, ${p.failed} failed of ${p.total} · workers: ${p.workers.join(', ') || 'none'}`;
        if (line !== last) process.stderr.write(`${line}\n`);
        last = line;
      },
      onWarning: warn,
    });
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  const { document, options } = outcome;
  // On --resume the options come from the queue; where the reports go is still this command's.
  const out = flags.out === undefined ? options.out : String(flags.out);
  await reportBench(document, path.resolve(out ?? defaultDirectory(options.model)), Boolean(flags.json) || options.json, { per1000Runs: Boolean(flags.per1000Runs) || Boolean(options.per1000Runs) });
  if (outcome.interrupted) return 130;
  return document.results.some((r) => r.status === 'errored') ? EXIT.runtime : EXIT.ok;
}
