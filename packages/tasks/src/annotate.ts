import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@ortbench/core/node';
import type { Classification } from './classify';
import { fontCoverage } from './font-coverage';

/**
 * The font labels are drawn with, shipped in this package: Noto Sans SC Regular (SIL OFL 1.1)
 * subset to Latin, punctuation and GB 2312 (tools/generate-cjk-font.mjs), so Chinese renders
 * on machines without CJK fonts instead of as boxes.
 */
export const LABEL_FONT = fileURLToPath(new URL('../fonts/NotoSansSC-Regular-subset.ttf', import.meta.url));
const FONT_NAME = 'Noto Sans SC';
const PADDING = 10;

let coverage: Set<number> | undefined;

/** Characters of `text` the bundled font has no glyph for (whitespace aside), each once. */
export function uncoveredCharacters(text: string): string[] {
  coverage ??= fontCoverage(LABEL_FONT);
  const covered = coverage;
  return [...new Set([...text].filter((c) => !/\s/u.test(c) && !covered.has(c.codePointAt(0)!)))];
}

/** Pango markup needs &, < and > escaped. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Lines of text as a transparent PNG, white on nothing, drawn by Pango with the bundled font
 * (or `fontfile`), wrapped at `width` pixels.
 */
export async function renderLabelText(lines: readonly string[], width: number, options: { size?: number; fontfile?: string } = {}): Promise<{ png: Buffer; width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  const markup = `<span foreground="#ffffff">${lines.map(escapeMarkup).join('\n')}</span>`;
  const { data, info } = await sharp({ text: { text: markup, font: `${FONT_NAME} ${options.size ?? 15}`, fontfile: options.fontfile ?? LABEL_FONT, width, rgba: true, spacing: 4 } })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

/**
 * The seed's figure: the image (at most 640 px) with its top-k written under a dark band at the
 * bottom — every label set side by side (`tabby cat / 虎斑猫`) and the probability. Returns the
 * file written (`<name>.top<k>.png` in `directory`). Characters the bundled font lacks are
 * drawn with a system font if one has them, else as boxes: `onWarning` names them.
 */
export async function annotateClassification(result: Classification, directory: string, options: { onWarning?: (message: string) => void } = {}): Promise<string> {
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(result.file, { autoOrient: true }).resize({ width: 640, height: 640, fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  const lines = result.top.map((t, i) => `${i + 1}. ${(t.labels ?? [t.label]).map((l) => l.split(',')[0]!.trim()).join(' / ')} — ${(t.probability * 100).toFixed(1)} %`);
  const missing = uncoveredCharacters(lines.join(''));
  if (missing.length > 0) {
    options.onWarning?.(`${path.basename(result.file)}: the bundled label font (Noto Sans SC, GB 2312) has no glyph for ${missing.slice(0, 10).join(' ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}; they are drawn with a system font if one has them, else as boxes`);
  }
  const text = await renderLabelText(lines, Math.max(1, info.width - 2 * PADDING));
  const band = Math.min(info.height, text.height + 2 * PADDING);
  const shade = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${band}"><rect width="100%" height="100%" fill="#000" fill-opacity="0.6"/></svg>`);
  const output = await sharp(data)
    .composite([
      { input: shade, gravity: 'south' },
      { input: text.png, top: Math.max(0, info.height - band + PADDING), left: PADDING },
    ])
    .png()
    .toBuffer();
  const file = path.join(directory, `${path.parse(result.file).name}.top${result.top.length}.png`);
  await writeFileAtomic(file, output);
  return file;
}
