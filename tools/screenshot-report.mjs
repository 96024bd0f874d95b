#!/usr/bin/env node
// Renders an HTML report in headless Chromium (the system one) to a PNG, for docs/:
//   node tools/screenshot-report.mjs path/to/report.html docs/report.png
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [report, output] = process.argv.slice(2);
if (!report || !output) {
  console.error('usage: node tools/screenshot-report.mjs REPORT.html OUTPUT.png');
  process.exit(2);
}
// Playwright's launch() starts the browser with a fresh temporary profile of its own.
const browser = await chromium.launch({
  executablePath: process.env.ORTBENCH_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(pathToFileURL(path.resolve(report)).href);
  await page.screenshot({ path: output, fullPage: true });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
