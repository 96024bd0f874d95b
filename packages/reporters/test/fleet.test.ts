import { describe, expect, it } from 'vitest';
import type { ConfigurationResult, MeasuredBy, ResultsDocument } from '@ortbench/core';
import { serializeResults } from '@ortbench/core';
import { compareResults, renderConsoleTable, renderCsv, renderHtml, renderMarkdown, resultsOfMachine, workerLines } from '../src/index';
import { completed, document } from './results-fixture';

const machine = (worker: string, cpu = 'Xeon A', ort = '1.30.0'): MeasuredBy => ({
  worker,
  hostname: `${worker}.lan`,
  cpu,
  logicalCores: 8,
  memoryBytes: 2 ** 35,
  platform: 'linux x64',
  tags: ['cpu'],
  runners: ['node-cpu'],
  packages: { 'onnxruntime-node': ort },
});

/** A result pinned to a machine (--each-worker) and measured by it. */
function on(worker: string, batch: number, ms: number, by = machine(worker)): ConfigurationResult {
  return { ...completed({ runner: 'node-cpu', model: 'm.onnx', batchSize: batch, options: { machine: worker } }, ms), measuredBy: by };
}

function fleetDocument(results: ConfigurationResult[], mode: 'spread' | 'each-worker' = 'each-worker'): ResultsDocument {
  const workers = [...new Set(results.map((r) => r.measuredBy!.worker))];
  return { ...document(results), fleet: { sweepId: '0123456789abcdef', queue: 'redis://:***@fleet:6379/0', mode, workers } };
}

describe('fleet results in reports', () => {
  const doc = fleetDocument([on('a', 1, 10), on('b', 1, 20), on('a', 8, 40), on('b', 8, 80)]);

  it('is a valid results document that names every measuring machine in every format', () => {
    expect(() => serializeResults(doc)).not.toThrow();
    expect(workerLines(doc)).toEqual([
      'a (Xeon A, 8 cores, 32.0 GiB, linux x64, tags cpu, host a.lan): node-cpu m.onnx b1 machine=a; node-cpu m.onnx b8 machine=a',
      'b (Xeon A, 8 cores, 32.0 GiB, linux x64, tags cpu, host b.lan): node-cpu m.onnx b1 machine=b; node-cpu m.onnx b8 machine=b',
    ]);
    expect(renderConsoleTable(doc)).toMatch(/batch\s+machine\s+node-cpu/);
    expect(renderConsoleTable(doc)).toContain('measured by:');
    expect(renderMarkdown(doc)).toContain('## Workers');
    expect(renderMarkdown(doc)).toContain('Fleet sweep 0123456789abcdef (each-worker) on redis://:***@fleet:6379/0');
    expect(renderHtml(doc)).toContain('<h2>Workers</h2>');
    const csv = renderCsv(doc).split('\n');
    const column = csv[0]!.split(',').indexOf('measured_by');
    expect(column).toBeGreaterThan(0);
    expect(csv.slice(1, 3).map((line) => line.match(/("[^"]*"|[^,]*)(,|$)/g)![column]!.replace(/,$/, ''))).toEqual(['a', 'b']);
  });

  it('leaves a local run without a workers section', () => {
    const local = document([completed({ runner: 'node-cpu', batchSize: 1 }, 5)]);
    expect(workerLines(local)).toEqual([]);
    expect(renderMarkdown(local)).not.toContain('## Workers');
  });

  it('compares two machines of one sweep configuration by configuration (--machines)', () => {
    const comparison = compareResults(resultsOfMachine(doc, 'a'), resultsOfMachine(doc, 'b'));
    expect(comparison.rows.map((r) => [r.id, r.ratio])).toEqual([
      ['runner=node-cpu model=m.onnx batch=1', 2],
      ['runner=node-cpu model=m.onnx batch=8', 2],
    ]);
    expect(() => resultsOfMachine(doc, 'c')).toThrow('no results measured by "c" (machines in the document: a, b)');
  });

  it('warns when a pair was measured on machines that differ, and ignores the submitting machines', () => {
    const before = fleetDocument([{ ...completed({ runner: 'node-cpu', batchSize: 1 }, 10), measuredBy: machine('a') }], 'spread');
    const same = fleetDocument([{ ...completed({ runner: 'node-cpu', batchSize: 1 }, 10), measuredBy: machine('b') }], 'spread');
    const other = fleetDocument([{ ...completed({ runner: 'node-cpu', batchSize: 1 }, 10), measuredBy: machine('c', 'Epyc B', '1.31.0') }], 'spread');
    same.environment = { ...same.environment, cpu: { ...same.environment.cpu, model: 'Laptop' } };
    expect(compareResults(before, same).environmentNotes).toEqual([]);
    expect(compareResults(before, other).environmentNotes).toEqual([
      'measured on different machines: a: Xeon A, 8 cores, onnxruntime-node 1.30.0 vs c: Epyc B, 8 cores, onnxruntime-node 1.31.0',
    ]);
  });
});
