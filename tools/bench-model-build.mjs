#!/usr/bin/env node
// Times building the full-size models (build + protobuf encode + atomic write), as
// `ortbench` does on first use. Run after `npm run build`:  node tools/bench-model-build.mjs
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildModel, encodeModel, presetSpec, saveModel } from '@ortbench/models';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-build-bench-'));
const rounds = Number(process.env.ROUNDS ?? 3);
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.availableParallelism()} CPUs, ${rounds} rounds (best and median)`);
try {
  for (const name of (process.env.MODELS ?? 'resnet50,bert,alexnet,vgg16,inception-v3,mobilenet-v2').split(',')) {
    const phases = { build: [], encode: [], write: [] };
    let bytes = 0;
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      const model = buildModel(presetSpec(name));
      phases.build.push(performance.now() - start);
      start = performance.now();
      bytes = encodeModel(model).model.byteLength;
      phases.encode.push(performance.now() - start);
      start = performance.now();
      const file = path.join(directory, `${name}-${round}.onnx`);
      await saveModel(file, model); // encodes again: the total is what a user waits for
      phases.write.push(performance.now() - start);
      await stat(file);
    }
    const fmt = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      return `${(s[0] / 1000).toFixed(2)} / ${(s[Math.floor(s.length / 2)] / 1000).toFixed(2)} s`;
    };
    console.log(`${name.padEnd(8)} ${(bytes / 2 ** 20).toFixed(0)} MiB  build ${fmt(phases.build)}  encode ${fmt(phases.encode)}  encode+write ${fmt(phases.write)}`);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
