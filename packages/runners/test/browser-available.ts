import { findChromium } from '../src/node';

/** Browser tests run wherever Chromium is installed; CI installs it, so there it must exist. */
export const CHROMIUM = ((executable) => {
  if (executable) return executable;
  if (process.env.CI) throw new Error('no Chromium: CI must install it (.ci/run does: apt-get install chromium)');
  console.warn('skipping browser tests: no Chromium found (apt-get install chromium, or set ORTBENCH_CHROMIUM)');
  return undefined;
})(findChromium());
