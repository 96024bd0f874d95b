#!/usr/bin/env node
// What does running a sweep through the queue cost? A real redis-server and one `ortbench worker`
// on this machine; the shared MobileNetV2 at batch 1, 2, 4, 8 with a fixed number of runs, swept
// (a) locally with --isolate (the same child-process measurement a worker does) and (b) through
// the queue, alternately, REPS times. Also the bare queue round trip of a no-op BullMQ job.
// Run after `npm ci` with redis-server installed:  node tools/bench-fleet-overhead.mjs
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';

const MODEL = process.env.MODEL ?? fileURLToPath(new URL('../../shared/models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx', import.meta.url));
const REPS = Number(process.env.REPS ?? 3);
const ITERATIONS = process.env.ITERATIONS ?? '100';
if (!existsSync(MODEL)) {
  console.log(`skipped: ${MODEL} is absent (set MODEL=… to another .onnx file)`);
  process.exit(0);
}
const bin = fileURLToPath(new URL('../apps/cli/bin/ortbench.js', import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ortbench-fleet-overhead-'));
const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', scratch, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' });
const url = `redis://127.0.0.1:${port}`;
await new Promise((r) => setTimeout(r, 500));
const worker = spawn(process.execPath, [bin, 'worker', '--queue', url, '--name', 'bench'], { stdio: ['ignore', 'ignore', 'pipe'] });
let workerLog = '';
worker.stderr.on('data', (d) => (workerLog += d));
while (!workerLog.includes('waiting for jobs')) await new Promise((r) => setTimeout(r, 100));

const sweep = ['bench', MODEL, '--batch', '1,2,4,8', '--iterations', ITERATIONS, '--warmup', '5', '--json'];
function timed(args) {
  const start = performance.now();
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, cwd: scratch });
  if (run.status !== 0) throw new Error(run.stderr);
  return { seconds: (performance.now() - start) / 1000, document: JSON.parse(run.stdout) };
}
const rows = [];
for (let rep = 0; rep < REPS; rep++) {
  const local = timed([...sweep, '--isolate', '--rounds', '1', '--out', path.join(scratch, `local-${rep}`)]);
  const before = workerLog.length;
  const fleet = timed([...sweep, '--queue', url, '--out', path.join(scratch, `fleet-${rep}`)]);
  await new Promise((r) => setTimeout(r, 300)); // spawnSync blocked the loop: let the worker's log lines in
  const jobs = [...workerLog.slice(before).matchAll(/completed in ([\d.]+) s/g)].map((m) => Number(m[1]));
  const jobSeconds = jobs.reduce((sum, s) => sum + s, 0);
  const steady = fleet.document.results.reduce((sum, r) => sum + r.measurement.phases.steadyMs / 1000, 0);
  rows.push({ local: local.seconds, fleet: fleet.seconds, jobs, jobSeconds, steady });
}

// The bare queue: a no-op job added and its completion seen, one at a time.
const connection = { host: '127.0.0.1', port };
const queue = new Queue('roundtrip', { connection, prefix: 'ortbench-bench' });
const noop = new Worker('roundtrip', async () => 'ok', { connection, prefix: 'ortbench-bench' });
await noop.waitUntilReady();
const trips = [];
for (let i = 0; i < 200; i++) {
  const start = performance.now();
  const job = await queue.add('noop', { i });
  while ((await queue.getJobState(job.id)) !== 'completed') await new Promise((r) => setImmediate(r));
  trips.push(performance.now() - start);
}
await noop.close();
await queue.close();
worker.kill('SIGTERM');
await new Promise((r) => worker.once('exit', r));
redis.kill('SIGTERM');
await new Promise((r) => redis.once('exit', r));
rmSync(scratch, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${path.basename(MODEL)} --batch 1,2,4,8 --iterations ${ITERATIONS}; ${REPS} alternating reps — node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, redis-server on 127.0.0.1`);
console.log('| rep | local --isolate (s) | via the queue (s) | difference per job (s) | worker job times (s) | timed runs, sum (s) |');
console.log('|---|---|---|---|---|---|');
rows.forEach((r, i) => console.log(`| ${i + 1} | ${r.local.toFixed(2)} | ${r.fleet.toFixed(2)} | ${((r.fleet - r.local) / 4).toFixed(3)} | ${r.jobs.join(' + ')} | ${r.steady.toFixed(2)} |`));
const perJob = median(rows.map((r) => (r.fleet - r.local) / 4));
const jobMedian = median(rows.map((r) => r.jobSeconds / 4));
console.log(`median difference per job: ${perJob.toFixed(3)} s against a median job of ${jobMedian.toFixed(2)} s (${((perJob / jobMedian) * 100).toFixed(1)} %)`);
console.log(`bare queue round trip (add → completed seen), 200 no-op jobs: median ${median(trips).toFixed(2)} ms, p90 ${[...trips].sort((a, b) => a - b)[179].toFixed(2)} ms`);
