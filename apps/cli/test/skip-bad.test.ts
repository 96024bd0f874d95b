import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox } from './cli-sandbox';

// A folder of photos with one unreadable file: the first bad file is one line with its name,
// or, with --skip-bad, a warning and the rest processed.
const { scratch, ortbench } = await cliSandbox('skip-bad');
const photos = path.join(scratch, 'photos');

beforeAll(async () => {
  const sharp = (await import('sharp')).default;
  for (const [folder, colour] of [['0', '#c04020'], ['1', '#2040c0']] as const) {
    await mkdir(path.join(photos, folder), { recursive: true });
    await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toFile(path.join(photos, folder, `${folder}.png`));
  }
  const good = await readFile(path.join(photos, '0', '0.png'));
  await writeFile(path.join(photos, '1', 'truncated.png'), good.subarray(0, 60));
});

describe('--skip-bad', { timeout: 120_000 }, () => {
  it('classify: one bad file is one line naming it; with --skip-bad it is left out with a warning', () => {
    const folder = path.join(photos, '1');
    const stopped = ortbench('classify', folder, path.join(photos, '0'), '--model', 'resnet50-tiny', '--json');
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/^ortbench: IMAGE_INVALID: .*truncated\.png: cannot read image/m);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    const skipped = ortbench('classify', folder, path.join(photos, '0'), '--model', 'resnet50-tiny', '--json', '--skip-bad');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toMatch(/warning: .*truncated\.png: cannot read image: .*: skipped \(--skip-bad\)/);
    expect((JSON.parse(skipped.stdout) as unknown[]).length).toBe(2);
  });

  it('preprocess and eval leave the bad file out too', () => {
    const npy = path.join(scratch, 'batch.npy');
    const preprocessed = ortbench('preprocess', photos + '/0', photos + '/1', '--out', npy, '--json', '--skip-bad');
    expect(preprocessed.code, preprocessed.stderr).toBe(0);
    expect(JSON.parse(preprocessed.stdout).dims).toEqual([2, 3, 224, 224]);
    const evaluated = ortbench('eval', 'resnet50-tiny', '--images', photos, '--json', '--skip-bad');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).images).toBe(2);
  });
});
