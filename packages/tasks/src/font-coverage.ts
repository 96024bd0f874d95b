import { readFileSync } from 'node:fs';

/**
 * The code points a TrueType/OpenType font maps to glyphs, read from its `cmap` table (the
 * Unicode subtables: format 4 for the Basic Multilingual Plane, format 12 beyond it).
 */
export function fontCoverage(file: string): Set<number> {
  const font = readFileSync(file);
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = view.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const record = 12 + i * 16;
    if (font.toString('latin1', record, record + 4) === 'cmap') cmap = view.getUint32(record + 8);
  }
  if (cmap < 0) throw new Error(`${file}: no cmap table`);
  const covered = new Set<number>();
  const subtables = view.getUint16(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const platform = view.getUint16(cmap + 4 + i * 8);
    const encoding = view.getUint16(cmap + 6 + i * 8);
    const offset = cmap + view.getUint32(cmap + 8 + i * 8);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = view.getUint16(offset);
    if (format === 4) readFormat4(view, offset, covered);
    else if (format === 12) readFormat12(view, offset, covered);
  }
  return covered;
}

function readFormat4(view: DataView, offset: number, covered: Set<number>): void {
  const segments = view.getUint16(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = view.getUint16(ends + s * 2);
    const start = view.getUint16(starts + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const rangeOffset = view.getUint16(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + s * 2 + rangeOffset + (c - start) * 2;
        glyph = view.getUint16(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) covered.add(c);
    }
  }
}

function readFormat12(view: DataView, offset: number, covered: Set<number>): void {
  const groups = view.getUint32(offset + 12);
  for (let g = 0; g < groups; g++) {
    const start = view.getUint32(offset + 16 + g * 12);
    const end = view.getUint32(offset + 20 + g * 12);
    for (let c = start; c <= end; c++) covered.add(c);
  }
}
