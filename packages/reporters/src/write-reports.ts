import path from 'node:path';
import type { ResultsDocument } from '@ortbench/core';
import { serializeResults } from '@ortbench/core';
import { writeFileAtomic } from '@ortbench/core/node';
import { chartSpecs } from './chart-options';
import { renderChartSvg } from './charts';
import { renderCsv } from './csv';
import type { TableOptions } from './figures';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';

/** The report formats {@link writeReports} can write. */
export type ReportFormat = 'json' | 'csv' | 'md' | 'html' | 'svg' | 'png';

/** Files written, by format. */
export type WrittenReports = Partial<Record<ReportFormat, string[]>>;

/**
 * Writes the document in each format into `directory`: results.json (the schema), results.csv,
 * results.md, report.html, and each chart as .svg and .png. Every file is written atomically.
 */
export async function writeReports(
  document: ResultsDocument,
  directory: string,
  formats: readonly ReportFormat[] = ['json', 'csv', 'md', 'html'],
  options: TableOptions = {},
): Promise<WrittenReports> {
  const written: WrittenReports = {};
  const put = async (format: ReportFormat, name: string, data: string | Uint8Array) => {
    const file = path.join(directory, name);
    await writeFileAtomic(file, data);
    (written[format] ??= []).push(file);
  };
  if (formats.includes('json')) await put('json', 'results.json', serializeResults(document));
  if (formats.includes('csv')) await put('csv', 'results.csv', renderCsv(document));
  if (formats.includes('md')) await put('md', 'results.md', renderMarkdown(document, options));
  if (formats.includes('html')) await put('html', 'report.html', renderHtml(document, undefined, options));
  if (formats.includes('svg') || formats.includes('png')) {
    for (const spec of chartSpecs(document)) {
      const svg = renderChartSvg(spec);
      if (formats.includes('svg')) await put('svg', `chart-${spec.slug}.svg`, svg);
      // sharp rasterises the SVG (librsvg) at twice the size for sharp text.
      if (formats.includes('png')) {
        const { default: sharp } = await import('sharp'); // only PNG charts need it
        await put('png', `chart-${spec.slug}.png`, await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer());
      }
    }
  }
  return written;
}
