import type { Measurement, Session, Tensor } from '@ortbench/core';
import { pipelined } from '@ortbench/core';
import { imageFeeds, preprocessImages } from '@ortbench/preprocess';
import { imageConfigForModel, imageFiles } from '../images';

/**
 * `--images`: the photos' decode + preprocess of batch k+1 overlapped with inference of batch
 * k, next to preprocess-only throughput, for a configuration whose inference-only throughput was
 * just measured. Efficiency is end-to-end over the slower stage (1 = perfect overlap).
 */
export async function pipelineFigures(session: Session, directory: string, batch: number, inferenceItemsPerSecond: number): Promise<NonNullable<Measurement['pipeline']>> {
  const files = await imageFiles([directory]);
  const config = imageConfigForModel(session, 'imagenet');
  // Enough stages for a steady figure: the photo set, repeated, and at least 10 batches.
  const stages = Math.max(10, Math.ceil(files.length / batch));
  const chunk = (k: number) => Array.from({ length: batch }, (_, i) => files[(k * batch + i) % files.length]!);
  const produce = (k: number) => preprocessImages(chunk(k), config);
  await produce(0); // warm sharp's thread pool
  const start = performance.now();
  for (let k = 0; k < stages; k++) await produce(k);
  const preprocessItemsPerSecond = (stages * batch) / ((performance.now() - start) / 1000);
  const endToEnd = await pipelined(stages, produce, async (tensor: Tensor<'float32'> | Tensor<'float16'>) => void (await session.run(imageFeeds(session.inputs, tensor))), {
    depth: 2,
    itemsPerStage: () => batch,
  });
  return {
    images: files.length,
    preprocessItemsPerSecond,
    endToEndItemsPerSecond: endToEnd.itemsPerSecond,
    efficiency: endToEnd.itemsPerSecond / Math.min(preprocessItemsPerSecond, inferenceItemsPerSecond),
  };
}
