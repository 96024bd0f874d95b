import path from 'node:path';
import type { Tensor } from '@ortbench/core';
import { measureSession, pipelined } from '@ortbench/core';
import { writeFileAtomic } from '@ortbench/core/node';
import { imageFeeds, preprocessImages } from '@ortbench/preprocess';
import type { BenchOptions } from '../bench-options';
import { imageConfigForModel, imageFiles } from '../images';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';

/** One batch size's three throughputs, in images/s. */
interface PipelineRow {
  batch: number;
  preprocessOnly: number;
  inferenceOnly: number;
  endToEnd: number;
  /** endToEnd / inferenceOnly */
  efficiency: number;
}

/**
 * `bench <model> --images DIR`: the images' decode + preprocess of batch k+1 overlapped with
 * inference of batch k, next to preprocess-only and inference-only throughput — the part of an
 * end-to-end figure that image decoding takes.
 */
export async function runPipeline(options: BenchOptions, imagesDir: string): Promise<number> {
  const files = await imageFiles([imagesDir]);
  const model = await resolveModel(options.model);
  const runner = await (await createDefaultRegistry()).resolve(options.runner[0]!);
  const session = await runner.load(model.path);
  const rows: PipelineRow[] = [];
  try {
    const config = imageConfigForModel(session, 'imagenet');
    for (const batch of options.batch) {
      // Enough stages for a steady measurement: the photo set, repeated.
      const stages = Math.max(options.iterations, Math.ceil(files.length / batch));
      const chunk = (k: number) => Array.from({ length: batch }, (_, i) => files[(k * batch + i) % files.length]!);
      const produce = (k: number) => preprocessImages(chunk(k), config);
      process.stderr.write(`batch ${batch}: ${stages} batches of ${batch} from ${files.length} images\n`);
      await session.run(imageFeeds(session.inputs, await produce(0))); // warm
      let start = performance.now();
      for (let k = 0; k < stages; k++) await produce(k);
      const preprocessOnly = (stages * batch) / ((performance.now() - start) / 1000);
      const measured = await measureSession(session, {
        feeds: imageFeeds(session.inputs, await produce(0)),
        itemsPerRun: batch,
        warmup: { minIterations: 2 },
        stop: { minIterations: stages, minDurationMs: options.duration * 1000 },
      });
      start = performance.now();
      const endToEnd = await pipelined(stages, produce, async (tensor: Tensor<'float32'> | Tensor<'float16'>) => void (await session.run(imageFeeds(session.inputs, tensor))), {
        depth: 2,
        itemsPerStage: () => batch,
      });
      const row = { batch, preprocessOnly, inferenceOnly: measured.throughput.itemsPerSecond, endToEnd: endToEnd.itemsPerSecond, efficiency: endToEnd.itemsPerSecond / measured.throughput.itemsPerSecond };
      rows.push(row);
    }
  } finally {
    await session.dispose();
  }
  const text = table([
    ['batch', 'preprocess only', 'inference only', 'end to end (pipelined)', 'end to end / inference'],
    ...rows.map((r) => [String(r.batch), `${r.preprocessOnly.toFixed(1)}/s`, `${r.inferenceOnly.toFixed(1)}/s`, `${r.endToEnd.toFixed(1)}/s`, `${(r.efficiency * 100).toFixed(1)} %`]),
  ]);
  if (options.json) process.stdout.write(`${JSON.stringify({ model: options.model, runner: session.info.runner, images: files.length, rows }, null, 2)}\n`);
  else process.stdout.write(`${text}\n`);
  if (options.out) await writeFileAtomic(path.join(path.resolve(options.out), 'pipeline.json'), JSON.stringify({ model: options.model, runner: session.info.runner, images: files.length, rows }, null, 2));
  return 0;
}
