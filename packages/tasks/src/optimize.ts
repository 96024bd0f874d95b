import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, oneOf } from '@ortbench/core';
import { readModel } from '@ortbench/models';
import { resolveModel } from './model-source';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';
import { textTable } from './text-table';

/** ONNX Runtime's graph optimisation levels. */
export const OPT_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;

/** What `optimizeModel` wrote and which operators changed. */
export interface OptimizeOutcome {
  out: string;
  level: (typeof OPT_LEVELS)[number];
  /** Operator → count, before (the model as given) and after (ONNX Runtime's optimised graph). */
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * Saves the graph ONNX Runtime runs after its optimisations at `level` (default extended:
 * constant folding, node eliminations and fusions — Gemm/MatMul with their activations, and the
 * transformer fusions where a graph matches their patterns — that stay portable; `all` adds
 * layout changes tied to this CPU), and counts the operators before and after, so what was
 * fused is visible rather than assumed.
 */
export async function optimizeModel(model: string, out: string, options: RunnerSource & { level?: string } = {}): Promise<OptimizeOutcome> {
  const level = oneOf(options.level ?? 'extended', OPT_LEVELS, '--level');
  if (level === 'disabled') throw new InvalidArgumentError('--level disabled saves the model unchanged; choose basic, extended or all');
  const source = (await resolveModel(model)).path;
  const target = path.resolve(out);
  const partial = `${target}.${process.pid}.partial.onnx`;
  const runner = await (await runnerRegistry(options)).resolve('node-cpu');
  try {
    const session = await runner.load(source, { graphOptimizationLevel: level, optimizedModelFilePath: partial });
    await session.dispose();
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
  return { out: target, level, before: histogram(await readModel(source)), after: histogram(await readModel(target)) };
}

function histogram(model: Awaited<ReturnType<typeof readModel>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of model.graph?.node ?? []) {
    const op = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}:${node.opType}` : String(node.opType);
    counts[op] = (counts[op] ?? 0) + 1;
  }
  return counts;
}

/** The histogram as a table: operators that appeared (fusions) first, then those that went. */
export function formatOptimize(outcome: OptimizeOutcome): string {
  const ops = [...new Set([...Object.keys(outcome.before), ...Object.keys(outcome.after)])];
  const change = (op: string) => (outcome.after[op] ?? 0) - (outcome.before[op] ?? 0);
  ops.sort((a, b) => Number(!!outcome.before[a]) - Number(!!outcome.before[b]) || change(a) - change(b) || a.localeCompare(b));
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return [
    `${outcome.out} (ONNX Runtime graph optimisation: ${outcome.level})`,
    '',
    textTable([['operator', 'before', 'after', 'change'], ...ops.map((op) => [op, String(outcome.before[op] ?? 0), String(outcome.after[op] ?? 0), signed(change(op))]), ['nodes', String(total(outcome.before)), String(total(outcome.after)), signed(total(outcome.after) - total(outcome.before))]]),
  ].join('\n');
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
