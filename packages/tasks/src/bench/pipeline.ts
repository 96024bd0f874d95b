import type { Measurement, Session, Tensor } from '@ortbench/core';
import { pipelined } from '@ortbench/core';
import { imageFeeds, preprocessImages } from '@ortbench/preprocess';
import type { HfImageSteps } from '@ortbench/preprocess';
import { hfImageBatch, imageConfigForModel } from '../images';

/** Batches decoded and preprocessed ahead of the one being run. */
const PREPARED_AHEAD = 2;
/** Alternating passes of each figure. */
const PASSES = 2;

/**
 * `--images`: the photos' decode + preprocess of batch k+1 overlapped with inference of batch
 * k (two batches prepared ahead), next to preprocess-only throughput at the same depth, for a configuration whose inference-only throughput was
 * just measured. Efficiency is end-to-end over the slower stage (1 = perfect overlap).
 */
export async function pipelineFigures(session: Session, files: readonly string[], shape: readonly number[], inferenceItemsPerSecond: number, steps?: HfImageSteps): Promise<NonNullable<Measurement['pipeline']>> {
  // Prepared at the shape inference was measured at (or by a model folder's own
  // preprocessor_config.json), so both figures describe the same work.
  const config = steps ? undefined : imageConfigForModel(session, 'imagenet', shape);
  const batch = shape[0] ?? 1;
  // Enough stages for a steady figure: the photo set, repeated, and at least 10 batches.
  const stages = Math.max(10, Math.ceil(files.length / batch));
  const chunk = (k: number) => Array.from({ length: batch }, (_, i) => files[(k * batch + i) % files.length]!);
  const produce = (k: number) => (steps ? hfImageBatch(chunk(k), steps, session) : preprocessImages(chunk(k), config!));
  await produce(0); // warm sharp's thread pool
  // Preprocess only = the same pipeline with nothing to consume: as many batches in preparation
  // at once as end to end has, so the two figures describe the same stage and the overlap's
  // efficiency (end to end over the slower stage) cannot exceed 1 but by noise.
  // The two alternate (preprocess, end to end, preprocess, end to end) so that a machine whose
  // speed drifts shifts both alike: their ratio is what the efficiency reports.
  const pipeline = { depth: PREPARED_AHEAD, itemsPerStage: () => batch };
  const infer = async (tensor: Tensor<'float32'> | Tensor<'float16'>) => void (await session.run(imageFeeds(session.inputs, tensor)));
  const totals = { preprocess: { items: 0, ms: 0 }, endToEnd: { items: 0, ms: 0 } };
  for (let pass = 0; pass < PASSES; pass++) {
    for (const [total, consume] of [[totals.preprocess, async () => {}], [totals.endToEnd, infer]] as const) {
      const run = await pipelined(stages, produce, consume, pipeline);
      total.items += run.items;
      total.ms += run.wallMs;
    }
  }
  const preprocessItemsPerSecond = (totals.preprocess.items * 1000) / totals.preprocess.ms;
  const endToEnd = { itemsPerSecond: (totals.endToEnd.items * 1000) / totals.endToEnd.ms };
  return {
    images: files.length,
    preprocessItemsPerSecond,
    endToEndItemsPerSecond: endToEnd.itemsPerSecond,
    efficiency: endToEnd.itemsPerSecond / Math.min(preprocessItemsPerSecond, inferenceItemsPerSecond),
  };
}
