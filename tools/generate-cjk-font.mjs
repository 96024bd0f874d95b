#!/usr/bin/env node
// Builds packages/tasks/fonts/NotoSansSC-Regular-subset.ttf, the font annotated images are
// drawn with, so Chinese labels render on machines without CJK fonts. Source: Noto Sans SC
// Regular (SIL Open Font License 1.1) from the npm package @expo-google-fonts/noto-sans-sc —
// 57 MB with every weight, too large to depend on — subset with HarfBuzz (subset-font) to
// printable ASCII, Latin-1, general punctuation, CJK punctuation, full-width forms, every
// character of GB 2312 (6,763 hanzi: all but the rarest simplified Chinese) and every character
// of the shared ImageNet Chinese labels when ../shared is present. Run when changing the set:
//   node tools/generate-cjk-font.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import subsetFont from 'subset-font';

const PACKAGE = '@expo-google-fonts/noto-sans-sc@0.4.3';
const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'packages/tasks/fonts');

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ortbench-font-'));
try {
  const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: scratch, encoding: 'utf8' }).trim().split('\n').at(-1);
  execFileSync('tar', ['xzf', tarball, 'package/400Regular/NotoSansSC_400Regular.ttf', 'package/LICENSE_FONT'], { cwd: scratch });
  const font = readFileSync(path.join(scratch, 'package/400Regular/NotoSansSC_400Regular.ttf'));

  const chars = new Set();
  const range = (from, to) => {
    for (let c = from; c <= to; c++) chars.add(String.fromCodePoint(c));
  };
  range(0x20, 0x7e);
  range(0xa0, 0xff);
  range(0x2010, 0x205e); // general punctuation: dashes, quotes, ellipsis
  range(0x3000, 0x303f); // CJK symbols and punctuation
  range(0xff01, 0xff5e); // full-width forms
  // GB 2312: rows 0xA1–0xA9 (symbols) and 0xB0–0xF7 (hanzi), columns 0xA1–0xFE, through the GBK decoder.
  const gbk = new TextDecoder('gbk');
  for (let row = 0xa1; row <= 0xf7; row++) {
    if (row > 0xa9 && row < 0xb0) continue;
    for (let column = 0xa1; column <= 0xfe; column++) {
      const text = gbk.decode(Uint8Array.of(row, column));
      if (text !== '\ufffd') chars.add(text);
    }
  }
  const labels = path.join(root, '../shared/labels/imagenet_classes_zh.json');
  if (existsSync(labels)) for (const name of Object.values(JSON.parse(readFileSync(labels, 'utf8')))) for (const c of name) chars.add(c);

  const subset = await subsetFont(font, [...chars].join(''), { targetFormat: 'truetype' });
  writeFileSync(path.join(out, 'NotoSansSC-Regular-subset.ttf'), subset);
  writeFileSync(path.join(out, 'OFL.txt'), readFileSync(path.join(scratch, 'package/LICENSE_FONT')));
  console.log(`${chars.size} characters, ${(font.length / 2 ** 20).toFixed(1)} MiB → ${(subset.length / 2 ** 20).toFixed(2)} MiB`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
