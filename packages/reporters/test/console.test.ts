import { describe, expect, it } from 'vitest';
import { consoleDefaults, createProgressReporter, renderConsoleTable } from '../src/index';
import { completed, document } from './results-fixture';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream & { isTTY?: boolean }, text: () => chunks.join('') };
}

describe('console reporter', () => {
  const result = completed({ runner: 'node-cpu', batchSize: 8 }, 20);

  it('writes plain lines (no escapes) when not interactive, with n of m and an ETA', () => {
    const out = sink(false);
    let now = 0;
    const progress = createProgressReporter({ stream: out.stream, now: () => now });
    progress.start(result.configuration, 0, 2);
    progress.progress({ phase: 'steady', iterations: 5, elapsedMs: 100 });
    now = 2000;
    progress.result(result, 0, 2);
    progress.start(result.configuration, 1, 2);
    progress.finish();
    expect(out.text()).toBe('[1/2] node-cpu b8\n[1/2] node-cpu b8 → 20.00 ms ±1.0% · 400/s\n[2/2] node-cpu b8 · ETA 2.0 s\n');
  });

  it('rewrites one status line when interactive', () => {
    const out = sink(true);
    const progress = createProgressReporter({ stream: out.stream, interactive: true, color: false, now: () => 0 });
    progress.start(result.configuration, 0, 1);
    progress.progress({ phase: 'warmup', iterations: 3, elapsedMs: 1500 });
    progress.result(result, 0, 1);
    expect(out.text()).toBe('[1/1] node-cpu b8 · warmup 3 runs · 1.5 s\r\x1b[2K[1/1] node-cpu b8 → 20.00 ms ±1.0% · 400/s\n');
  });

  it('is interactive only on a TTY outside CI, and coloured unless NO_COLOR', () => {
    expect(consoleDefaults({ isTTY: true }, {})).toEqual({ interactive: true, color: true });
    expect(consoleDefaults({ isTTY: true }, { CI: 'true', NO_COLOR: '1' })).toEqual({ interactive: false, color: false });
    expect(consoleDefaults({ isTTY: false }, {})).toEqual({ interactive: false, color: false });
  });

  it('renders the seed table aligned, coloured only when asked', () => {
    const table = renderConsoleTable(document([completed({ runner: 'node-cpu', batchSize: 1 }, 5), result]));
    expect(table).toBe('batch   node-cpu\n    1   5.00 ms ±1.0% · 200/s\n    8   20.00 ms ±1.0% · 400/s\n\ninputs fed:\n  input float32 [1, 3, 224, 224] · [8, 3, 224, 224]: random in [-2, 2]');
    expect(renderConsoleTable(document([result]), { color: true })).toContain('\x1b[1m');
  });
});

describe('console footer', () => {
  it('gives the cap\'s advice only where the cap stopped a configuration', () => {
    const stopped = (stop: 'cap' | 'interrupted') => {
      const result = completed({ runner: 'node-cpu', batchSize: 1 }, 40);
      if (result.status === 'completed') result.measurement.stability = { ...result.measurement.stability, stop, unstable: true };
      return renderConsoleTable(document([result]));
    };
    expect(stopped('cap')).toContain('raise --max-duration');
    expect(stopped('interrupted')).not.toContain('raise --max-duration');
    expect(stopped('interrupted')).toContain('--resume results.json measures them again');
  });
});
