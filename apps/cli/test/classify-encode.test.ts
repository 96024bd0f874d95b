import { mkdtemp, readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SHARED } from '@ortbench/tools/test-support/shared-data';
import { cliSandbox } from './cli-sandbox';

const { scratch, ortbench } = await cliSandbox('classify');


describe.skipIf(!SHARED)('ortbench classify on the shared photos', () => {
  const model = () => path.join(SHARED!, 'models/mobilenetv2/mobilenetv2-12-dequantized-fp32.onnx');

  it('classifies a folder: top-k with probabilities, as JSON', () => {
    const { code, stdout, stderr } = ortbench('classify', path.join(SHARED!, 'images'), '--model', model(), '--topk', '3', '--json');
    expect(code, stderr).toBe(0);
    const results = JSON.parse(stdout) as { file: string; top: { index: number; label: string; probability: number }[] }[];
    expect(results).toHaveLength(15);
    const panda = results.find((r) => r.file.endsWith('giant-panda.jpg'))!;
    expect(panda.top[0]).toMatchObject({ index: 388, label: 'giant panda, panda, panda bear, coon bear, Ailuropoda melanoleuca' });
    expect(panda.top).toHaveLength(3);
    expect(panda.top[0]!.probability).toBeGreaterThan(panda.top[1]!.probability);
  }, 60_000);

  it('uses a labels file (Chinese) and draws the top-5 onto each image', async () => {
    const out = path.join(scratch, 'annotated');
    const { code, stdout } = ortbench('classify', path.join(SHARED!, 'images/sports-car.jpg'), '--model', model(), '--labels', path.join(SHARED!, 'labels/imagenet_classes_zh.json'), '--annotate', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1\.\s+[\d.]+ %\s+817\s+跑车/);
    expect(await readdir(out)).toEqual(['sports-car.top5.png']);
    expect((await sharp(path.join(out, 'sports-car.top5.png')).metadata()).format).toBe('png');
  }, 60_000);

  it('shows several label sets together (English and Chinese), in the listing and on the image', async () => {
    const out = path.join(scratch, 'annotated-both');
    const zh = path.join(SHARED!, 'labels/imagenet_classes_zh.json');
    const { code, stdout } = ortbench('classify', path.join(SHARED!, 'images/sports-car.jpg'), '--model', model(), '--labels', `imagenet,${zh}`, '--topk', '2', '--annotate', out, '--json');
    expect(code).toBe(0);
    const [car] = JSON.parse(stdout);
    expect(car.top[0]).toMatchObject({ index: 817, labels: ['sports car, sport car', '跑车'], label: 'sports car, sport car / 跑车' });
    const single = ortbench('classify', path.join(SHARED!, 'images/sports-car.jpg'), '--model', model(), '--labels', zh, '--topk', '2', '--annotate', path.join(scratch, 'annotated-zh'));
    expect(single.code).toBe(0);
    // The band under the photo holds both names, so the two figures differ.
    const both = await sharp(path.join(out, 'sports-car.top2.png')).raw().toBuffer();
    expect(both.equals(await sharp(path.join(scratch, 'annotated-zh/sports-car.top2.png')).raw().toBuffer())).toBe(false);
  }, 60_000);

  it('warns that the built-in model has random weights', () => {
    const { code, stderr } = ortbench('classify', path.join(SHARED!, 'images/goldfish.jpg'), '--model', 'resnet50-tiny');
    expect(code).toBe(0);
    expect(stderr).toContain('warning: the built-in resnet50-tiny has random weights');
  }, 60_000);

  it('encodes texts with a real vocabulary: tokens, ids, shapes, pooled summary', () => {
    const { code, stdout } = ortbench('encode', 'hello world', '--vocab', path.join(SHARED!, 'vocab/bert-base-uncased/vocab.txt'), '--model', 'bert-tiny', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.inputs[0].ids).toEqual([101, 7592, 2088, 102]);
    expect(result.outputs).toEqual({ last_hidden_state: [1, 4, 64], pooler_output: [1, 64] });
    expect(result.pooled[0].head).toHaveLength(5);
  }, 60_000);
});

describe('classify and encode refuse bad input', () => {
  it('names a missing image, an empty folder, and a missing vocabulary', async () => {
    expect(ortbench('classify', path.join(scratch, 'nope.jpg'), '--model', 'resnet50-tiny').stderr).toMatch(/^ortbench: FILE_NOT_FOUND: .*nope\.jpg: no such file or folder/);
    const empty = await mkdtemp(path.join(scratch, 'empty-'));
    const folder = ortbench('classify', empty, '--model', 'resnet50-tiny');
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('no images in this folder');
    const vocab = ortbench('encode', 'hi');
    expect(vocab.code).toBe(2);
    expect(vocab.stderr).toContain('--vocab FILE (a BERT vocab.txt) or --tokenizer FILE (a tokenizer.json) is required');
  });
});
