import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { BIN, cliSandbox } from './cli-sandbox';
import type { RedisServer } from './redis-server';
import { freePort, redisMissing, selfSignedCertificate, startRedis } from './redis-server';

// Fleet sweeps against a real redis-server with real worker processes (ortbench worker).
const missing = redisMissing();
if (missing && process.env.CI) throw new Error(`fleet tests cannot run in CI, which installs redis-server: ${missing}`);
if (missing) console.warn(`fleet tests skipped: ${missing}`);
const MOBILENET = fileURLToPath(new URL('../../../../shared/models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx', import.meta.url));
const { scratch, env } = await cliSandbox('fleet');
// Short stall timeout so a killed worker's job moves on within seconds.
const WORKER = ['--stall-timeout', '3'];
const QUICK = ['--duration', '0.5', '--warmup', '1'];

interface Process {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
const running: Process[] = [];

/** The built CLI as a background process, its stdout and stderr gathered. */
function launch(args: string[], extraEnv: Record<string, string> = {}): Process {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, cwd: scratch });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const entry = { child, output: () => output, exited };
  running.push(entry);
  return entry;
}

// Bounded waits, not timings: beside two busy loops a worker took over 30 s to start (it imports torch to list its runners).
async function until(check: () => boolean, what: string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function worker(redis: RedisServer, name: string, extra: string[] = []): Promise<Process> {
  const started = launch(['worker', '--queue', redis.url, '--name', name, ...WORKER, ...extra]);
  await until(() => started.output().includes('waiting for jobs'), `worker ${name} to start`);
  return started;
}

async function submit(args: string[], extraEnv: Record<string, string> = {}) {
  const run = launch(['bench', ...args], extraEnv);
  const { code } = await run.exited;
  return { code, output: run.output() };
}

async function resultsIn(dir: string) {
  return parseResults(await readFile(path.join(scratch, dir, 'results.json'), 'utf8'));
}

// Workers are stopped as an operator would (SIGTERM releases their name at once), then killed if need be.
afterEach(async () => {
  const left = running.splice(0).filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  for (const p of left) p.child.kill('SIGTERM');
  await Promise.all(left.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 10_000))])));
  for (const p of left) p.child.kill('SIGKILL');
});

describe.skipIf(missing)('ortbench bench --queue with ortbench worker (real redis-server)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis({ persistent: true });
  });
  afterAll(() => redis?.stop());

  it.skipIf(!existsSync(MOBILENET))('completes a MobileNetV2 sweep on two workers although one is SIGKILLed mid-job; every result names its worker', async () => {
    const w1 = await worker(redis, 'w1');
    const w2 = await worker(redis, 'w2');
    const sweep = launch(['bench', MOBILENET, '--batch', '1,2,4,8', '--duration', '1.5', '--warmup', '1', '--queue', redis.url, '--out', 'killed']);
    await until(() => /job \S+: runner=/.test(w1.output()), 'w1 to take a job');
    const job = /job (\S+): runner=/.exec(w1.output())![1]!;
    w1.child.kill('SIGKILL');
    const { code } = await sweep.exited;
    expect(code, sweep.output()).toBe(0);
    const document = await resultsIn('killed');
    expect(document.results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(document.results.map((r) => r.configuration.batchSize)).toEqual([1, 2, 4, 8]);
    for (const result of document.results) expect(['w1', 'w2']).toContain(result.measuredBy?.worker);
    // The job w1 was measuring when it died was measured again, by w2.
    expect(w2.output()).toContain(`job ${job}: completed`);
    expect(document.fleet).toMatchObject({ mode: 'spread', queue: `${redis.url}/0` });
    expect(document.fleet?.workers).toContain('w2');
    // The model travelled by hash and was cleaned up with the sweep.
    expect(redis.cli('keys', 'ortbench:model:*')).toBe('');
  });

  it('runs every configuration on every worker with --each-worker, and only on tagged ones with --tags', async () => {
    await worker(redis, 'cpu-a', ['--tags', 'cpu']);
    await worker(redis, 'cpu-b', ['--tags', 'cpu,fast']);
    const all = await submit(['resnet50-tiny', '--batch', '1,2', ...QUICK, '--queue', redis.url, '--each-worker', '--out', 'each']);
    expect(all.code, all.output).toBe(0);
    const document = await resultsIn('each');
    expect(document.results.map((r) => `${r.configuration.batchSize}@${r.measuredBy?.worker}`).sort()).toEqual(['1@cpu-a', '1@cpu-b', '2@cpu-a', '2@cpu-b']);
    // The machine is an axis: distinct ids, and the table gets a machine column.
    for (const r of document.results) expect(r.configuration.options.machine).toBe(r.measuredBy?.worker);
    expect(new Set(document.results.map((r) => r.configuration.id)).size).toBe(4);
    expect(all.output).toMatch(/batch\s+machine\s+node-cpu/);
    // Two workers on one machine: the verdicts are noise, so the gate is opened wide; the pairing is what is tested.
    const machines = launch(['compare', path.join(scratch, 'each', 'results.json'), '--machines', 'cpu-a,cpu-b', '--fail-above', '1000%']);
    expect((await machines.exited).code, machines.output()).toBe(0);
    expect(machines.output()).toMatch(/runner=node-cpu model=resnet50-tiny batch=1 .*×/);
    const tagged = await submit(['resnet50-tiny', '--batch', '1', ...QUICK, '--queue', redis.url, '--each-worker', '--tags', 'fast', '--out', 'tagged']);
    expect(tagged.code, tagged.output).toBe(0);
    expect((await resultsIn('tagged')).results.map((r) => r.measuredBy?.worker)).toEqual(['cpu-b']);
    const none = await submit(['resnet50-tiny', '--queue', redis.url, '--each-worker', '--tags', 'gpu', '--out', 'none']);
    expect(none.code).toBe(2);
    expect(none.output).toContain('no live worker has the tags gpu');
    expect(existsSync(path.join(scratch, 'none'))).toBe(false);
  });

  it('completes a sweep while Redis is restarted in the middle of it (append-only persistence)', async () => {
    await worker(redis, 'r1');
    const sweep = launch(['bench', 'resnet50-tiny', '--batch', '1,2,4', '--duration', '1', '--warmup', '1', '--queue', redis.url, '--out', 'restart']);
    await until(() => /1 active/.test(sweep.output()), 'a job to be active');
    await redis.restart();
    const { code } = await sweep.exited;
    expect(code, sweep.output()).toBe(0);
    expect((await resultsIn('restart')).results.map((r) => [r.status, r.measuredBy?.worker])).toEqual([
      ['completed', 'r1'],
      ['completed', 'r1'],
      ['completed', 'r1'],
    ]);
  });

  it('fails a job that is not an ortbench configuration, without retries, and the worker goes on', async () => {
    await worker(redis, 'm1');
    const queue = new Queue('fleet-default', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'ortbench' });
    try {
      const junk = await queue.add('configuration', { command: 'rm -rf /' }, { attempts: 3 });
      const future = await queue.add('configuration', { schema: 'ortbench.fleet-job', version: 99 }, { attempts: 3 });
      for (const job of [junk, future]) {
        let state = '';
        for (let i = 0; i < 200 && (state = await queue.getJobState(job.id!)) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
        expect(state).toBe('failed');
      }
      expect((await queue.getJob(junk.id!))?.failedReason).toContain('not an ortbench configuration job');
      expect((await queue.getJob(junk.id!))?.attemptsMade).toBe(1);
      expect((await queue.getJob(future.id!))?.failedReason).toContain('job schema version 99');
    } finally {
      await queue.close();
    }
    const after = await submit(['resnet50-tiny', '--batch', '1', ...QUICK, '--queue', redis.url, '--out', 'after-junk']);
    expect(after.code, after.output).toBe(0);
    expect((await resultsIn('after-junk')).results[0]?.measuredBy?.worker).toBe('m1');
  });

  it('stops waiting on Ctrl-C with the sweep id, and --resume SWEEP_ID collects what the workers finished meanwhile', async () => {
    await worker(redis, 's1');
    const sweep = launch(['bench', 'resnet50-tiny', '--batch', '1,2,4', '--duration', '1', '--warmup', '1', '--queue', redis.url, '--out', 'first']);
    await until(() => /1 done/.test(sweep.output()), 'one result');
    sweep.child.kill('SIGINT');
    const { code } = await sweep.exited;
    expect(code).toBe(130);
    const id = /sweep ([0-9a-f]{16})/.exec(sweep.output())![1]!;
    expect(sweep.output()).toContain(`--resume ${id}`);
    expect((await resultsIn('first')).partial).toBe(true);
    const resumed = await submit(['--queue', redis.url, '--resume', id, '--out', 'resumed']);
    expect(resumed.code, resumed.output).toBe(0);
    const document = await resultsIn('resumed');
    expect(document.partial).toBe(false);
    expect(document.results.map((r) => [r.configuration.batchSize, r.status])).toEqual([
      [1, 'completed'],
      [2, 'completed'],
      [4, 'completed'],
    ]);
    // Collected: the sweep's keys are gone, so resuming again is a clear error.
    const again = await submit(['--queue', redis.url, '--resume', id]);
    expect(again.code).toBe(2);
    expect(again.output).toContain(`--resume ${id}: no such sweep`);
  });

  it('records a job whose workers keep dying as errored with the reason, after bounded attempts', async () => {
    const sweep = launch(['bench', 'resnet50-tiny', '--batch', '1', '--duration', '20', '--warmup', '1', '--queue', redis.url, '--out', 'doomed']);
    await until(() => /sweep [0-9a-f]{16}/.test(sweep.output()), 'the submission');
    // Each worker takes the job and is killed mid-measurement; the next one finds it stalled.
    for (const name of ['d1', 'd2', 'd3']) {
      const w = await worker(redis, name, ['--stall-timeout', '1']);
      await until(() => /job \S+: runner=/.test(w.output()), `${name} to take the job`);
      w.child.kill('SIGKILL');
    }
    await worker(redis, 'd4', ['--stall-timeout', '1']);
    const { code } = await sweep.exited;
    expect(code, sweep.output()).toBe(3);
    const [result] = (await resultsIn('doomed')).results;
    expect(result?.status).toBe('errored');
    expect(result?.status === 'errored' && result.error.message).toMatch(/^the job failed on the queue: .*stalled/);
  });

  it('finishes the job in hand on SIGTERM and exits 0', async () => {
    const w = await worker(redis, 't1');
    const sweep = launch(['bench', 'resnet50-tiny', '--batch', '1', '--duration', '2', '--warmup', '1', '--queue', redis.url, '--out', 'term']);
    await until(() => /job \S+: runner=/.test(w.output()), 't1 to take the job');
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(w.output()).toMatch(/job \S+: completed/);
    expect((await sweep.exited).code, sweep.output()).toBe(0);
    expect(redis.cli('get', 'ortbench:worker:t1:alive')).toBe('');
  });
});

describe.skipIf(missing)('fleet: a worker whose Redis has gone away', () => {
  it('still stops on SIGTERM, within seconds, and says what became of a job in hand', async () => {
    const gone = await startRedis();
    const w = await worker(gone, 'orphan');
    await gone.stop();
    const stopped = Date.now();
    w.child.kill('SIGTERM');
    const { code } = await w.exited;
    expect(Date.now() - stopped).toBeLessThan(20_000); // it ignored SIGTERM for 1 h 43 min
    expect(code, w.output()).toBe(0);
    expect(w.output()).toContain("stopping without it; a job in hand is left to BullMQ's stalled-job recovery");
  }, 60_000);
});

describe.skipIf(missing)('fleet: credentials and reachability', () => {
  const PASSWORD = 'hunter2-Secret';
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
  });
  afterAll(() => redis?.stop());

  it('refuses a wrong password in one line, exit 2, nothing written, the password never printed', async () => {
    const url = `redis://:not-${PASSWORD}@127.0.0.1:${redis.port}`;
    const bench = await submit(['resnet50-tiny', '--queue', url, '--out', 'wrong']);
    expect(bench.code).toBe(2);
    expect(bench.output.trim().split('\n')).toHaveLength(1);
    expect(bench.output).toContain(`ortbench: QUEUE_AUTH_FAILED: redis://:***@127.0.0.1:${redis.port}/0: the queue refused the credentials`);
    expect(bench.output).not.toContain(PASSWORD);
    expect(existsSync(path.join(scratch, 'wrong'))).toBe(false);
    const w = launch(['worker', '--queue', url, '--name', 'x']);
    expect((await w.exited).code).toBe(2);
    expect(w.output()).toContain('QUEUE_AUTH_FAILED');
  });

  it('runs with the password from ORTBENCH_QUEUE_PASSWORD and keeps it out of results, reports and logs', async () => {
    const refused = launch(['worker', '--queue', redis.url, '--name', 'p1']);
    expect((await refused.exited).code).toBe(2); // no password given
    const withPassword = { ORTBENCH_QUEUE_PASSWORD: PASSWORD };
    const started = launch(['worker', '--queue', redis.url, '--name', 'p1', ...WORKER], withPassword);
    await until(() => started.output().includes('waiting for jobs'), 'p1 to start');
    const bench = await submit(['resnet50-tiny', '--batch', '1', ...QUICK, '--queue', `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, '--out', 'secret']);
    expect(bench.code, bench.output).toBe(0);
    for (const file of ['results.json', 'results.csv', 'results.md', 'report.html']) {
      expect(await readFile(path.join(scratch, 'secret', file), 'utf8'), file).not.toContain(PASSWORD);
    }
    expect(bench.output + started.output()).not.toContain(PASSWORD);
    expect((await resultsIn('secret')).command).toContain(':***@');
  });

  it('names an unreachable queue within seconds, exit 3, nothing written', async () => {
    const port = await freePort();
    const started = Date.now();
    const bench = await submit(['resnet50-tiny', '--queue', `redis://127.0.0.1:${port}`, '--out', 'unreachable']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(bench.code).toBe(3);
    expect(bench.output).toContain(`ortbench: QUEUE_UNAVAILABLE: redis://127.0.0.1:${port}/0: cannot reach the queue`);
    expect(existsSync(path.join(scratch, 'unreachable'))).toBe(false);
  });

  it('refuses a malformed queue URL and options that cannot travel', async () => {
    const bad = await submit(['resnet50-tiny', '--queue', 'http://127.0.0.1:1']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--queue: http:// is not a Redis URL');
    const images = await submit(['resnet50-tiny', '--queue', redis.url, '--images', scratch]);
    expect(images.code).toBe(2);
    expect(images.output).toContain('--images cannot be used with --queue');
    const noQueue = await submit(['resnet50-tiny', '--each-worker']);
    expect(noQueue.code).toBe(2);
    expect(noQueue.output).toContain('--each-worker needs --queue');
  });
});

describe.skipIf(missing)('fleet: rediss:// (TLS)', () => {
  const certificate = selfSignedCertificate(scratch);
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    if (certificate) redis = await startRedis({ tls: certificate });
  });
  afterAll(() => redis?.stop());

  it.skipIf(!certificate)('runs a sweep over TLS with --queue-ca, and names an untrusted certificate', async () => {
    const url = redis!.url.replace('127.0.0.1', 'localhost');
    const untrusted = await submit(['resnet50-tiny', '--queue', url, '--out', 'untrusted']);
    expect(untrusted.code).toBe(2);
    expect(untrusted.output).toContain(`ortbench: QUEUE_AUTH_FAILED: ${url}/0: TLS failed (self-signed certificate); for a private CA pass --queue-ca FILE`);
    const started = launch(['worker', '--queue', redis!.url, '--queue-ca', certificate!.cert, '--name', 'tls1', ...WORKER]);
    await until(() => started.output().includes('waiting for jobs'), 'tls1 to start');
    const bench = await submit(['resnet50-tiny', '--batch', '1', ...QUICK, '--queue', url, '--queue-ca', certificate!.cert, '--out', 'tls']);
    expect(bench.code, bench.output).toBe(0);
    expect((await resultsIn('tls')).results[0]?.measuredBy?.worker).toBe('tls1');
    expect(started.output()).not.toContain('DeprecationWarning');
  });
});
