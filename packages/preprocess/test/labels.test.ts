import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { IMAGENET_LABELS, loadLabels, parseLabels } from '../src/index';
import { SHARED } from '@ortbench/tools/test-support/shared-data';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-labels-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('labels', () => {
  it('ships the 1000 English ImageNet classes', () => {
    expect(IMAGENET_LABELS).toHaveLength(1000);
    expect(IMAGENET_LABELS[0]).toBe('tench, Tinca tinca');
    expect(IMAGENET_LABELS[999]).toBe('toilet tissue, toilet paper, bathroom tissue');
  });

  it('parses text with or without a final newline, and CRLF', () => {
    expect(parseLabels('cat\ndog')).toEqual(['cat', 'dog']);
    expect(parseLabels('cat\ndog\n')).toEqual(['cat', 'dog']);
    expect(parseLabels('\uFEFFcat\r\ndog\r\n')).toEqual(['cat', 'dog']);
  });

  it('parses a JSON array, a Keras class index and a JSON map, keeping UTF-8', () => {
    expect(parseLabels('["猫", "狗"]')).toEqual(['猫', '狗']);
    expect(parseLabels('{"0": ["n01440764", "tench"], "1": ["n01443537", "goldfish"]}')).toEqual(['tench', 'goldfish']);
    expect(parseLabels('{"1": "狗", "0": "猫", "3": "鱼"}')).toEqual(['猫', '狗', '#2', '鱼']);
  });

  it('refuses empty and malformed files with VOCAB_INVALID naming them', async () => {
    expect(() => parseLabels('  \n', 'labels.txt')).toThrow(expect.objectContaining({ code: ErrorCode.VOCAB_INVALID, message: 'labels.txt: the labels file is empty' }));
    expect(() => parseLabels('{"a": "x"}', 'm.json')).toThrow(/m\.json: key "a" is not a class index/);
    expect(() => parseLabels('[1, 2]', 'a.json')).toThrow(/only strings/);
    expect(() => parseLabels('{"0": ', 'cut.json')).toThrow(/cut\.json: not valid JSON/);
    await expect(loadLabels(path.join(directory, 'none.txt'))).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND });
    const empty = path.join(directory, 'empty.txt');
    await writeFile(empty, '');
    await expect(loadLabels(empty)).rejects.toMatchObject({ code: ErrorCode.VOCAB_INVALID, message: expect.stringContaining(empty) });
  });

  it.skipIf(!SHARED)('reads the shared English, Keras and Chinese label files in the same class order', async () => {
    const english = await loadLabels(path.join(SHARED!, 'labels/imagenet_classes.txt'));
    const keras = await loadLabels(path.join(SHARED!, 'labels/imagenet_class_index.json'));
    const chinese = await loadLabels(path.join(SHARED!, 'labels/imagenet_classes_zh.json'));
    // The bundled (TensorFlow) and the shared (PyTorch) lists differ in one spelling only.
    const differences = english.flatMap((label, i) => (label === IMAGENET_LABELS[i] ? [] : [[i, IMAGENET_LABELS[i], label]]));
    expect(differences).toEqual([[107, 'jelly fish', 'jellyfish']]);
    expect(keras).toHaveLength(1000);
    expect(keras[1]).toBe('goldfish');
    expect(chinese).toHaveLength(1000);
    expect(chinese[999]).toBe('卫生纸');
    expect(JSON.parse(await readFile(path.join(SHARED!, 'labels/imagenet_classes_zh.json'), 'utf8'))['0']).toBe(chinese[0]);
  });
});
