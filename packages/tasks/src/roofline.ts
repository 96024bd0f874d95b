import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Runner, RunnerOptions } from '@ortbench/core';
import { createTensor, fixedIterations, measureSession } from '@ortbench/core';
import { writeFileAtomic } from '@ortbench/core/node';
import { buildMatMul, encodeModel, modelCacheDir } from '@ortbench/models';

// The shape that ran fastest of those tried (BERT's feed-forward at 512 tokens): square MatMuls
// of 1024–2048 fall out of cache and reached 65–184 GFLOP/s against this one's 199.
const [M, K, N] = [512, 768, 3072];
const FLOPS = 2 * M * K * N;

/**
 * The achievable GFLOP/s of a runner with these options: a float32 MatMul through the same
 * runner, at the median of 20 runs — the statistic every configuration's GFLOP/s uses, so their
 * ratio compares like with like. Cached per machine, runner, runtime and options, since the
 * ceiling does not move between benchmarks; `refresh` measures it again (a cached figure taken while
 * the machine ran slow reads as a ceiling below what a model then reaches).
 */
export async function peakGflops(runner: Runner, options: RunnerOptions, control: { refresh?: boolean } = {}): Promise<number> {
  const file = path.join(modelCacheDir(), 'roofline.json');
  const cache = (await readFile(file, 'utf8').then((text) => JSON.parse(text) as Record<string, number>).catch(() => ({}))) as Record<string, number>;
  const session = await runner.load(encodeModel(buildMatMul({ m: M, k: K, n: N })).model, options);
  try {
    const key = JSON.stringify([M, K, N, 'median', os.cpus()[0]?.model, os.availableParallelism(), session.info.runner, session.info.runtime, session.info.settings]);
    if (cache[key] && !control.refresh) return cache[key];
    const measurement = await measureSession(session, {
      feeds: { a: createTensor('float32', new Float32Array(M * K).fill(0.5), [M, K]) },
      warmup: { minIterations: 3 },
      stop: fixedIterations(20),
    });
    const peak = FLOPS / (measurement.latencyMs.median / 1000) / 1e9;
    await writeFileAtomic(file, JSON.stringify({ ...cache, [key]: peak }, null, 2));
    return peak;
  } finally {
    await session.dispose();
  }
}
