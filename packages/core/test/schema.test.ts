import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../src/index';
import {
  createResultsDocument,
  ErrorCode,
  expandMatrix,
  parseResults,
  RESULTS_SCHEMA_VERSION,
  runSweep,
  benchmark,
  serializeResults,
} from '../src/index';
import { collectEnvironment } from '../src/node';
import { fakeFeeds, fakeRunner, virtualClock } from './fake-runner';

async function sampleDocument(): Promise<ResultsDocument> {
  const virtual = virtualClock();
  const outcome = await runSweep(expandMatrix({ runners: ['fake'], batchSizes: [1, 2, 3] }), async (configuration) => {
    if (configuration.batchSize === 3) throw new Error('boom');
    return benchmark({
      runner: fakeRunner({ virtual, serviceMs: 2 }),
      model: 'm',
      feeds: fakeFeeds(configuration.batchSize),
      itemsPerRun: configuration.batchSize,
      clock: virtual.clock,
      stop: { minIterations: 4, minDurationMs: 0 },
      keepSamples: true,
    });
  });
  return createResultsDocument(
    { tool: { name: 'ortbench', version: '0.1.0' }, environment: collectEnvironment({ '@ortbench/core': '0.1.0' }), command: 'test' },
    outcome.results,
  );
}

describe('results schema', () => {
  it('round-trips a document through JSON unchanged', async () => {
    const document = await sampleDocument();
    const text = serializeResults(document);
    expect(parseResults(text)).toEqual(document);
    expect(document.version).toBe(RESULTS_SCHEMA_VERSION);
    expect(document.results.map((r) => r.status)).toEqual(['completed', 'completed', 'errored']);
  });

  it('names the file and the first bad field of a malformed document', async () => {
    const json = JSON.parse(serializeResults(await sampleDocument()));
    json.results[1].measurement.latencyMs.median = 'fast';
    expect(() => parseResults(JSON.stringify(json), 'run.json')).toThrow(
      expect.objectContaining({
        code: ErrorCode.RESULTS_INVALID,
        message: expect.stringMatching(/^run\.json: results\[1\]\.measurement\.latencyMs\.median: .*expected number/),
      }),
    );
  });

  it('rejects an unknown result status', async () => {
    const json = JSON.parse(serializeResults(await sampleDocument()));
    json.results[0].status = 'finished';
    expect(() => parseResults(JSON.stringify(json), 'run.json')).toThrow(/run\.json: results\[0\]\.status/);
  });

  it('rejects a document from a future schema version with its own code', async () => {
    const json = JSON.parse(serializeResults(await sampleDocument()));
    json.version = RESULTS_SCHEMA_VERSION + 1;
    expect(() => parseResults(JSON.stringify(json), 'new.json')).toThrow(
      expect.objectContaining({ code: ErrorCode.RESULTS_VERSION_UNSUPPORTED, message: expect.stringContaining('new.json') }),
    );
  });

  it('rejects text that is not JSON, and JSON that is not a results document', () => {
    expect(() => parseResults('{"schema": "ortbench/res', 'cut.json')).toThrow(
      expect.objectContaining({ code: ErrorCode.RESULTS_INVALID, message: expect.stringMatching(/^cut\.json: not JSON/) }),
    );
    expect(() => parseResults('[1, 2]', 'list.json')).toThrow(/list\.json: not an ortbench results document/);
  });

  it('reads a version 1 document as what it was: wall-clock throughput, precision unknown', async () => {
    const current = await sampleDocument();
    // A v1 document is loosely typed: strip the v2 fields by name.
    interface V1Measurement { stability?: unknown; latencyMs: Record<string, unknown>; throughput: unknown }
    const old = JSON.parse(JSON.stringify(current)) as {
      version: number;
      results: { status: string; measurement: V1Measurement }[];
    };
    old.version = 1;
    for (const result of old.results) {
      if (result.status !== 'completed') continue;
      const m = result.measurement;
      delete m.stability;
      delete m.latencyMs.autocorrelation;
      delete m.latencyMs.outliers;
      m.throughput = { itemsPerSecond: 123, runsPerSecond: 61.5 };
    }
    const read = parseResults(JSON.stringify(old), 'old.json');
    expect(read.version).toBe(RESULTS_SCHEMA_VERSION);
    const first = read.results[0]!;
    expect(first.status === 'completed' && first.measurement.throughput).toEqual({
      itemsPerSecond: 123,
      runsPerSecond: 61.5,
      basis: 'wall clock',
      wallItemsPerSecond: 123,
      wallRunsPerSecond: 61.5,
    });
    expect(first.status === 'completed' && first.measurement.stability.notes[0]).toMatch(/version 1 document/);
  });

  it('refuses to serialise an invalid document', async () => {
    const document = await sampleDocument();
    (document as { createdAt: string }).createdAt = 'yesterday';
    expect(() => serializeResults(document)).toThrow(/createdAt/);
  });
});
