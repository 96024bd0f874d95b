import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { configurationId } from '@ortbench/core';
import { renderCsv, renderHtml } from '../src/index';
import { completed, document } from './results-fixture';

const sweep = document([
  completed({ runner: 'node-cpu', batchSize: 1 }, 40),
  completed({ runner: 'node-cpu', batchSize: 8 }, 300),
  completed({ runner: 'web-wasm', batchSize: 1 }, 90),
  {
    status: 'errored',
    configuration: { id: configurationId({ runner: 'web-wasm', batchSize: 8, options: {} }), runner: 'web-wasm', batchSize: 8, options: {} },
    error: { code: 'RUNNER_FAILED', message: 'out of memory, "wasm" heap' },
  },
]);

describe('CSV', () => {
  it('matches the golden file: one row per configuration, every statistic, quoted where needed', async () => {
    const golden = await readFile(new URL('./golden/sweep.csv', import.meta.url), 'utf8');
    if (process.env.UPDATE_GOLDEN) await writeFile(new URL('./golden/sweep.csv', import.meta.url), renderCsv(sweep));
    expect(renderCsv(sweep)).toBe(process.env.UPDATE_GOLDEN ? renderCsv(sweep) : golden);
  });
});

const CHROMIUM = process.env.ORTBENCH_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI installs chromium`);
if (!haveChromium) console.warn(`skipping the report's browser test: no ${CHROMIUM} (apt-get install chromium)`);

describe('HTML report', () => {
  const hostile = document([completed({ runner: 'node-cpu', model: '<script>alert(1)</script>', batchSize: 1 }, 5), completed({ runner: 'node-cpu', model: '<script>alert(1)</script>', batchSize: 2 }, 9)]);

  it('escapes every string from models, files and labels', () => {
    const html = renderHtml(hostile, 'report for <img src=x onerror=alert(2)>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script\b/i); // the report needs no script at all
  });

  it.runIf(haveChromium)('opens in headless Chromium with its charts rendered and no console errors', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      let dialogs = 0;
      page.on('dialog', async (dialog) => {
        dialogs++;
        await dialog.dismiss();
      });
      await page.setContent(renderHtml(sweep));
      const charts = await page.$$eval('figure svg', (svgs) => svgs.map((svg) => ({ paths: svg.querySelectorAll('path').length, width: svg.getBoundingClientRect().width })));
      expect(charts.length).toBe(3); // throughput, latency, speed-up
      for (const chart of charts) {
        expect(chart.paths).toBeGreaterThan(3);
        expect(chart.width).toBeGreaterThan(300);
      }
      expect(await page.textContent('h2 + dl')).toContain('Test CPU');
      await page.setContent(renderHtml(hostile));
      expect(dialogs).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
