import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { IMAGENET_LABELS, preprocessImages, softmax, topK } from '../src/index';
import { SHARED } from '@ortbench/tools/test-support/shared-data';

// The package's Done-when: both shared MobileNetV2 files classify every shared photo to a
// class expected.json accepts, with the imagenet preset, in real onnxruntime-node sessions.
describe.skipIf(!SHARED)('classifying the shared photos with the imagenet preset', async () => {
  const images = path.join(SHARED!, 'images');
  const expected = JSON.parse(await readFile(path.join(images, 'expected.json'), 'utf8')) as Record<string, { expect_top1_any_of?: number[] }>;
  const files = (await readdir(images)).filter((f) => expected[f]?.expect_top1_any_of).sort();
  const batch = await preprocessImages(files.map((f) => path.join(images, f)), 'imagenet');

  for (const model of ['mobilenetv2-12-dequantized-fp32.onnx', 'mobilenetv2-12-int8.onnx']) {
    it(`${model}: top-1 of all ${files.length} photos is expected`, async () => {
      expect(files).toHaveLength(15);
      const session = await ort.InferenceSession.create(path.join(SHARED!, 'models/mobilenetv2', model), { intraOpNumThreads: 2 });
      try {
        const { output } = await session.run({ input: new ort.Tensor('float32', batch.data as Float32Array, batch.dims) });
        const logits = output!.data as Float32Array;
        const results = files.map((file, i) => {
          const [best] = topK(softmax(logits.subarray(i * 1000, (i + 1) * 1000)), 1);
          return { file, top1: best!.index, label: IMAGENET_LABELS[best!.index], ok: expected[file]!.expect_top1_any_of!.includes(best!.index) };
        });
        expect(results.filter((r) => !r.ok)).toEqual([]);
      } finally {
        await session.release();
      }
    }, 60_000);
  }
});
