import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '@ortbench/core';
import { parseResults, serializeResults } from '@ortbench/core';
import { bench, BENCH_PRESETS } from '@ortbench/tasks';
import { PRESET_NAMES } from '../src/commands/bench';
import { cliSandbox } from './cli-sandbox';

const { scratch, env, ortbench } = await cliSandbox('library');

/** What a reader of the document relies on: each result's identity, status and the fields it carries. */
function shape(document: ResultsDocument) {
  return document.results.map((result) => ({
    id: result.configuration.id,
    status: result.status,
    ...(result.status === 'completed'
      ? {
          measurement: Object.keys(result.measurement).sort(),
          latency: Object.keys(result.measurement.latencyMs).sort(),
          throughput: Object.keys(result.measurement.throughput).sort(),
          stability: Object.keys(result.measurement.stability).sort(),
        }
      : {}),
  }));
}

describe('the CLI is a shell over the library', () => {
  it('runs the Quick start sweep through the library alone, with the configurations and result schema of `ortbench bench resnet50 --json`', async () => {
    process.env.ORTBENCH_CACHE_DIR = env.ORTBENCH_CACHE_DIR; // the same model cache as the CLI's
    const { document } = await bench({ model: 'resnet50', iterations: 3, warmup: 1 });
    const cli = ortbench('bench', 'resnet50', '--iterations', '3', '--warmup', '1', '--json', '--out', path.join(scratch, 'out'));
    expect(cli.code, cli.stderr).toBe(0);
    const printed = parseResults(cli.stdout, 'stdout');
    const fromLibrary = parseResults(serializeResults(document), 'library');
    expect(fromLibrary.results.map((r) => r.configuration.id)).toEqual(['runner=node-cpu model=resnet50 batch=1', 'runner=node-cpu model=resnet50 batch=2', 'runner=node-cpu model=resnet50 batch=4', 'runner=node-cpu model=resnet50 batch=8']);
    expect(shape(fromLibrary)).toEqual(shape(printed));
    expect(Object.keys(fromLibrary.environment).sort()).toEqual(Object.keys(printed.environment).sort());
    expect(printed.tool.name).toBe('ortbench');
  }, 180_000);

  it('lists in its help exactly the presets the library has', () => {
    expect(PRESET_NAMES).toEqual(Object.keys(BENCH_PRESETS));
  });
});
