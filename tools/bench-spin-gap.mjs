#!/usr/bin/env node
// Does a pause between alternated runs let ONNX Runtime keep its thread spinning (the default)
// without the idle session stealing from the next run? Alternates two sessions run by run (A = the
// fp32 file, B = its int8 file; B = A for A/A) at 2 intra-op threads, in one process, with
// spinning off, and on with gaps of 0, 2 and 10 ms between runs; reports the median latencies, the
// median per-pair ratio in windows, and the order effect (ratio when B ran second over first).
// Run after `npm ci`:  A=fp32.onnx B=int8.onnx node tools/bench-spin-gap.mjs
import os from 'node:os';
import ort from 'onnxruntime-node';

const A = process.env.A;
const B = process.env.B ?? A;
const ROUNDS = Number(process.env.ROUNDS ?? 200);
const THREADS = Number(process.env.THREADS ?? 2);
const MODES = (process.env.MODES ?? 'off:0,on:0,on:2,on:10').split(',').map((m) => ({ spin: m.split(':')[0] === 'on', gapMs: Number(m.split(':')[1]) }));
if (!A) throw new Error('A=model.onnx (and B=other.onnx) are required');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const open = (file, spin) =>
  ort.InferenceSession.create(file, {
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
    extra: spin ? {} : { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });

console.log(`alternated run by run, ${ROUNDS} rounds per mode — ${path(A)} vs ${path(B)}, ${THREADS} threads, node ${process.version}, ${os.cpus()[0]?.model}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('| spinning | gap ms | A median ms | B median ms | B/A median pair ratio | windows of 50 pairs | B second / B first |');
console.log('|---|---:|---:|---:|---:|---|---:|');
for (const mode of MODES) {
  const [a, b] = [await open(A, mode.spin), await open(B, mode.spin)];
  const feeds = (session) => {
    const meta = session.inputMetadata?.[0];
    const name = session.inputNames[0];
    const dims = meta?.shape?.map((d) => (typeof d === 'number' ? d : 1)) ?? [1, 3, 224, 224];
    return { [name]: new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((x, y) => x * y, 1) }, (_, i) => Math.sin(i)), dims) };
  };
  const [fa, fb] = [feeds(a), feeds(b)];
  for (let i = 0; i < 5; i++) {
    await a.run(fa);
    await b.run(fb);
  }
  const pairs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bFirst = round % 2 === 1;
    const times = {};
    for (const side of bFirst ? ['b', 'a'] : ['a', 'b']) {
      if (mode.gapMs > 0) await sleep(mode.gapMs);
      const t0 = performance.now();
      await (side === 'a' ? a.run(fa) : b.run(fb));
      times[side] = performance.now() - t0;
    }
    pairs.push({ ...times, bFirst });
  }
  await a.release();
  await b.release();
  const ratios = pairs.map((p) => p.b / p.a);
  const windows = [];
  for (let i = 0; i < pairs.length; i += 50) windows.push(median(ratios.slice(i, i + 50)).toFixed(3));
  const second = median(pairs.filter((p) => !p.bFirst).map((p) => p.b / p.a));
  const first = median(pairs.filter((p) => p.bFirst).map((p) => p.b / p.a));
  console.log(`| ${mode.spin ? 'on' : 'off'} | ${mode.gapMs} | ${median(pairs.map((p) => p.a)).toFixed(2)} | ${median(pairs.map((p) => p.b)).toFixed(2)} | ${median(ratios).toFixed(3)} | ${windows.join(', ')} | ${(second / first).toFixed(3)} |`);
}

function path(file) {
  return file.split('/').at(-1);
}
