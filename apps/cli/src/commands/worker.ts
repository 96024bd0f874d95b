import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `ortbench worker`: a fleet worker that measures configuration jobs from a Redis queue. */
export function registerWorkerCommand(program: Command, cli: CliContext): void {
  program
    .command('worker')
    .description('measure sweep configurations from a Redis queue (BullMQ), one at a time, each in a child process; results name this machine')
    .requiredOption('--queue <url>', 'redis://[user:password@]host:port[/db] or rediss://… (the password may come from ORTBENCH_QUEUE_PASSWORD instead)')
    .option('--name <name>', 'this worker, unique among the live workers of the queue (default the host name)')
    .option('--tags <list>', 'what this machine is, e.g. cpu,avx512 — for bench --each-worker --tags')
    .option('--pool <name>', 'the pool of equivalent workers whose --spread jobs this one takes (default "default")')
    .option('--queue-ca <file>', 'rediss://: a PEM CA that signed the server certificate')
    .option('--stall-timeout <s>', 'seconds without a lock renewal before a job counts as stalled and goes to another worker (default 30)')
    .option('--job-timeout <s>', 'seconds one job may take before its measurement is killed and recorded as errored (default 3600)')
    .option('--max-model-size <mib>', 'largest model file accepted from the queue, in MiB (default 256)')
    .addHelpText(
      'after',
      '\nSIGTERM (or Ctrl-C) finishes the job being measured and exits; a second one hands the job back to the queue at once.\nPlugins (--plugin) must be installed on the worker itself: the queue carries configurations, never code.\n\nExamples:\n  $ ortbench worker --queue redis://fleet.example:6379 --name gpu-01 --tags gpu,h100\n  $ ORTBENCH_QUEUE_PASSWORD=… ortbench --plugin ./my-runner.mjs worker --queue rediss://user@fleet.example:6380',
    )
    .action(async (flags: Record<string, string | undefined>) => {
      const { runWorker } = await import('../actions/worker');
      cli.setExitCode(await runWorker(flags, cli.plugins()));
    });
}
