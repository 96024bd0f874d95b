import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Availability } from '@ortbench/core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The system browser: $ORTBENCH_CHROMIUM, else the usual install paths. ortbench never downloads one. */
export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.ORTBENCH_CHROMIUM) return existsSync(env.ORTBENCH_CHROMIUM) ? env.ORTBENCH_CHROMIUM : undefined;
  return CANDIDATES.find((candidate) => existsSync(candidate));
}

/** Whether a Chromium is installed, with its version. */
export async function chromiumAvailability(): Promise<Availability> {
  const executable = findChromium();
  if (!executable) {
    const override = process.env.ORTBENCH_CHROMIUM;
    return {
      available: false,
      reason: override
        ? `ORTBENCH_CHROMIUM=${override} does not exist`
        : 'no Chromium found: install it (Debian/Ubuntu: apt-get install chromium) or set ORTBENCH_CHROMIUM to a Chrome/Chromium executable; ortbench never downloads a browser',
    };
  }
  const version = await new Promise<string>((resolve) =>
    execFile(executable, ['--version'], { timeout: 10_000 }, (error, stdout) => resolve(error ? '' : stdout.trim())),
  );
  return version ? { available: true, details: `${version} (${executable})` } : { available: false, reason: `${executable} --version failed: the browser does not start` };
}

/** Flags for a headless browser on a closed network, plus WebGPU when asked for. */
export function chromiumArgs(webgpu: boolean): string[] {
  const args = [
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  // WebGPU needs the GPU process; without a GPU, Chromium falls back to its software adapter.
  return webgpu ? [...args, '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader'] : [...args, '--disable-gpu'];
}
