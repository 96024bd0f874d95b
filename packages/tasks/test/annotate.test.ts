import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LABEL_FONT, renderLabelText, uncoveredCharacters } from '../src/annotate';
import { fontCoverage } from '../src/font-coverage';

/** The bounding box of the inked (non-transparent) pixels of an RGBA PNG. */
async function inkBox(png: Buffer): Promise<{ width: number; height: number; inked: number }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let [left, top, right, bottom, inked] = [info.width, info.height, -1, -1, 0];
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++) {
      if ((data[(y * info.width + x) * 4 + 3] as number) < 128) continue;
      inked++;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  return { width: right - left + 1, height: bottom - top + 1, inked };
}

// This machine (like CI) has no CJK fonts: without the bundled font, Pango draws a box with the
// code point in hex for each character. With it, 一 (U+4E00, "one") is a single horizontal stroke.
describe('label text', () => {
  it('draws 一 as a horizontal stroke, not a box: the bundled font has CJK glyphs', async () => {
    const { png } = await renderLabelText(['一'], 200, { size: 40 });
    const box = await inkBox(png);
    expect(box.width).toBeGreaterThan(25);
    expect(box.height / box.width).toBeLessThan(0.25);
  });

  it('draws different characters differently and wraps nothing short', async () => {
    const [fish, cat] = await Promise.all([renderLabelText(['1. goldfish / 金鱼 — 84.8 %'], 600), renderLabelText(['1. tabby / 虎斑猫 — 78.0 %'], 600)]);
    expect(fish.png.equals(cat.png)).toBe(false);
    expect((await inkBox(cat.png)).inked).toBeGreaterThan(100);
    expect(cat.height).toBeLessThan(40); // one line at 15 pt
  });

  it('escapes markup characters instead of failing on them', async () => {
    const { height } = await renderLabelText(['a < b & c > d'], 400);
    expect(height).toBeGreaterThan(0);
  });
});

describe('the bundled font\'s coverage', () => {
  it('covers Latin, GB 2312 and the ImageNet Chinese labels; names what it lacks', () => {
    expect(uncoveredCharacters('tabby cat / 虎斑猫 — 78.0 % 「」')).toEqual([]);
    // 龘 (U+9F98) is outside GB 2312, 😀 outside the BMP: both reported, each once.
    expect(uncoveredCharacters('龘 😀 龘')).toEqual(['龘', '😀']);
  });

  it('reads the cmap of the font file itself (format 4 and 12 subtables)', () => {
    const covered = fontCoverage(LABEL_FONT);
    expect(covered.size).toBeGreaterThan(7000);
    expect(covered.has(0x4e00)).toBe(true);
    expect(covered.has(0x9f98)).toBe(false);
  });
});
