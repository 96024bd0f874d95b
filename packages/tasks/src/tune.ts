import type { Configuration, Measurement, TuneEvaluation, TuneMeasurement, TunePoint } from '@ortbench/core';
import { configurationId, finishMeasurement, formatBytes, minimumSamplesForQuantile, tune } from '@ortbench/core';
import type { BenchContext } from './bench/measure';
import { openConfiguration } from './bench/measure';
import { resolveBenchOptions } from './bench/options';
import { planBench } from './bench/plan';
import { pluginPaths, runnerRegistry } from './registry';
import type { RunnerSource } from './registry';
import { textTable } from './text-table';
import type { FolderChoice } from './model-source';

const QUANTILES = { p90: 0.9, p95: 0.95, p99: 0.99 } as const;

/** What `tuneModel` searches and under which budget. */
export interface TuneOptions extends RunnerSource, FolderChoice {
  /** The latency percentile to stay within, ms. */
  latencyBudgetMs: number;
  /** Default p90; each point runs the samples its percentile needs (29, 59, 299). */
  percentile?: 'p90' | 'p95' | 'p99';
  runner?: string;
  batches?: number[];
  threads?: number[];
  /** Runs in flight, as sessions measured at once. */
  concurrencies?: number[];
  /** Token models' sequence length; default 128 (refused for a model with no sequence axis). */
  seq?: number;
  /** Values of symbolic dims by name (or `input:axis`), fixed for the whole search. */
  dims?: Record<string, number>;
  /** Whole input shapes by name. */
  shapes?: Record<string, number[]>;
  /** The value every element of an input takes. */
  values?: Record<string, number | boolean>;
  /** Real arrays to feed (.npz, .npy, or a folder of `<input>.npy`). */
  inputs?: string;
  /** The vocabulary of ids inputs whose embedding table cannot be found. */
  vocabSize?: number;
  /** At most this many seconds per point; default 10. */
  maxDurationS?: number;
  /** Recommend only points whose peak memory (above the process's before loading) stayed under this many bytes. */
  memoryBudgetBytes?: number;
  /** Each point as it is measured. */
  onPoint?: (point: MeasuredPoint) => void;
}

/** What one point measured, as soon as it is measured. */
export interface MeasuredPoint extends TunePoint, TuneEvaluation {
  runs: number;
  unstable: boolean;
}

/** One point of the search's evidence, judged against the budget. */
export interface TunedPoint extends TuneMeasurement {
  runs: number;
  unstable: boolean;
}

/** The search's answer with its evidence. */
export interface TuneReport {
  /** A model folder's variant tuned, named (`minilm (q8)`); absent for a file or built-in. */
  model?: string;
  percentile: 'p90' | 'p95' | 'p99';
  latencyBudgetMs: number;
  memoryBudgetBytes?: number;
  best: TunedPoint | null;
  /** Points whose throughput interval overlaps the best's: not distinguishable from it. */
  ties: TunedPoint[];
  evidence: TunedPoint[];
}

/**
 * The highest throughput whose latency percentile meets the budget, with the evidence. Each
 * point runs at least the samples its percentile needs and until its median is known to the CI
 * target; several runs in flight are several sessions, as in `bench`. A point is preferred over
 * another only beyond both intervals: ties are reported as ties.
 */
export async function tuneModel(model: string, options: TuneOptions): Promise<TuneReport> {
  const percentile = options.percentile ?? 'p90';
  const runner = options.runner ?? 'node-cpu';
  const seq = options.seq ?? 128;
  const benchOptions = await resolveBenchOptions(model, {
    runner,
    batch: options.batches ?? [1, 2, 4, 8, 16, 32],
    ...(options.seq !== undefined ? { seq: [options.seq] } : {}),
    warmup: 2,
    ...(options.dims ? { dim: Object.fromEntries(Object.entries(options.dims).map(([k, v]) => [k, [v]])) } : {}),
    ...(options.shapes ? { shape: Object.fromEntries(Object.entries(options.shapes).map(([k, v]) => [k, [v]])) } : {}),
    ...(options.values ? { input: options.values } : {}),
    ...(options.inputs !== undefined ? { inputs: options.inputs } : {}),
    ...(options.vocabSize !== undefined ? { vocabSize: options.vocabSize } : {}),
    // A model folder: one component, one variant (its fp32 unless told), tuned like a file.
    ...(options.component !== undefined ? { component: options.component } : {}),
    ...(options.variant !== undefined ? { variant: [options.variant] } : {}),
  });
  const folderVariant = benchOptions.variant?.[0];
  // The dims and shapes the user fixed, as every point's options (so its feeds and id carry them).
  const fixedShapes: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(options.dims ?? {}).map(([k, v]) => [`dim.${k}`, v])),
    ...Object.fromEntries(Object.entries(options.shapes ?? {}).map(([k, v]) => [`shape.${k}`, v.length ? v.join('x') : 'scalar'])),
  };
  const registry = await runnerRegistry(options);
  await registry.resolve(runner);
  const plan = await planBench(benchOptions);
  const context: BenchContext = {
    options: benchOptions,
    plan,
    registry,
    plugins: pluginPaths(options),
    stop: { minIterations: minimumSamplesForQuantile(QUANTILES[percentile]), minDurationMs: 0, ciTarget: benchOptions.ciTarget, maxDurationMs: (options.maxDurationS ?? 10) * 1000 },
    cache: { variants: new Map(), models: new Map(), warnings: new Set<string>() },
  };
  const extra = new Map<string, Pick<TunedPoint, 'runs' | 'unstable'>>();
  const outcome = await tune(
    async ({ batch, threads, concurrency }) => {
      const base: Omit<Configuration, 'id'> = { runner, model, batchSize: batch, threads, options: { ...fixedShapes, ...(folderVariant !== undefined ? { variant: folderVariant } : {}), ...(concurrency > 1 ? { concurrency } : {}) } };
      if (plan.tokens) base.sequenceLength = seq;
      const measurement = await openConfiguration({ ...base, id: configurationId(base) }, context);
      try {
        await measurement.warm();
        await measurement.steady();
        const m = await finishMeasurement(measurement);
        const peakBytes = peakNeeded(m);
        const point = { itemsPerSecond: m.throughput.itemsPerSecond, ...throughputInterval(m), latencyMs: m.latencyMs[percentile], ...(peakBytes === undefined ? {} : { peakBytes }) };
        extra.set(`${batch}/${threads}/${concurrency}`, { runs: m.latencyMs.count, unstable: m.stability.unstable });
        options.onPoint?.({ batch, threads, concurrency, ...point, runs: m.latencyMs.count, unstable: m.stability.unstable });
        return point;
      } finally {
        await measurement.close();
      }
    },
    { batches: options.batches ?? [1, 2, 4, 8, 16, 32], threads: options.threads ?? [1, 2], concurrencies: options.concurrencies ?? [1, 2], latencyBudgetMs: options.latencyBudgetMs, ...(options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes }) },
  );
  const withExtra = (e: TuneMeasurement): TunedPoint => ({ ...e, ...extra.get(`${e.batch}/${e.threads}/${e.concurrency}`)! });
  const evidence = outcome.evidence.map(withExtra);
  const find = (e: TuneMeasurement | undefined) => (e ? evidence[outcome.evidence.indexOf(e)]! : null);
  const label = plan.model.folder && folderVariant !== undefined ? `${model} (${options.component !== undefined ? `${options.component} ` : ''}${folderVariant})` : undefined;
  return { ...(label ? { model: label } : {}), percentile, latencyBudgetMs: options.latencyBudgetMs, ...(options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes }), best: find(outcome.best), ties: outcome.ties.map((t) => find(t)!), evidence };
}

/** The search as text: the evidence table and the recommendation (ties named). */
export function formatTune(report: TuneReport): string {
  const { best, ties, percentile } = report;
  const mark = (e: TunedPoint) => (best && same(e, best) ? '← best' : ties.some((t) => same(t, e)) ? '= tie' : '');
  const memory = report.memoryBudgetBytes !== undefined || report.evidence.some((e) => e.peakBytes !== undefined);
  const rows = report.evidence.map((e) => [
    String(e.batch),
    String(e.threads),
    String(e.concurrency),
    `${e.itemsPerSecond.toFixed(1)} (${e.itemsPerSecondLower.toFixed(1)}–${e.itemsPerSecondUpper.toFixed(1)})`,
    e.latencyMs.toFixed(1),
    ...(memory ? [e.peakBytes === undefined ? '—' : formatBytes(e.peakBytes)] : []),
    e.withinBudget ? 'yes' : e.overBudget && e.overBudget !== 'latency' ? `no: ${e.overBudget}` : 'no',
    mark(e),
  ]);
  const budget = `≤ ${report.latencyBudgetMs} ms${report.memoryBudgetBytes === undefined ? '' : `, ${formatBytes(report.memoryBudgetBytes)}`}`;
  const text = textTable([['batch', 'threads', 'in flight', 'items/s (95 % CI)', `${percentile} ms`, ...(memory ? ['peak memory'] : []), budget, ''], ...rows]);
  const describe = (e: TunePoint) => `batch ${e.batch}, ${e.threads} threads, ${e.concurrency} run(s) in flight`;
  const recommendation = best
    ? `recommendation: ${describe(best)}: ${best.itemsPerSecond.toFixed(1)} items/s at ${percentile} ${best.latencyMs.toFixed(1)} ms${ties.length ? `\ntied within their uncertainty (the simplest is recommended): ${ties.map(describe).join('; ')}` : ''}`
    : `no configuration met ${budget.replace('≤ ', `${percentile} ≤ `)}: raise the budget or try fewer items per run`;
  return `${report.model ? `model ${report.model}\n\n` : ''}${text}\n\n${recommendation}`;
}

/** One point as a progress line. */
export function formatTunePoint(point: MeasuredPoint, percentile: string): string {
  const width = point.itemsPerSecond > 0 ? (point.itemsPerSecondUpper / point.itemsPerSecond - 1) * 100 : 0;
  return `batch ${point.batch}, ${point.threads} threads, ${point.concurrency} in flight: ${point.itemsPerSecond.toFixed(1)} items/s ±${width.toFixed(1)} %, ${percentile} ${point.latencyMs.toFixed(1)} ms (${point.runs} runs)${point.unstable ? ' — unstable' : ''}`;
}

/**
 * What a point needed: its peak above the process's memory before loading (the configuration's
 * own need, whatever earlier points left resident), else the process's peak; undefined when its
 * memory was not read (several sessions in worker threads).
 */
function peakNeeded(m: Measurement): number | undefined {
  return m.memory?.peakAboveBaseBytes ?? m.memory?.peakBytes;
}

function same(a: TunePoint, b: TunePoint): boolean {
  return a.batch === b.batch && a.threads === b.threads && a.concurrency === b.concurrency;
}

/**
 * The 95 % interval of a point's items/s — of the throughput itself, not the median's interval
 * scaled. With one run in flight the rate is items × 1000 / median, so its interval is the
 * median's interval inverted (the upper latency bound gives the lower rate). With several in
 * flight the rate is completions over a wall-clock window: completions of a renewal process, whose
 * count has a relative standard error of CV / √n.
 */
export function throughputInterval(m: Measurement): { itemsPerSecondLower: number; itemsPerSecondUpper: number } {
  const rate = m.throughput.itemsPerSecond;
  if (m.throughput.basis === 'median latency') {
    const perMs = m.itemsPerRun * 1000;
    return { itemsPerSecondLower: perMs / m.latencyMs.medianCiUpper, itemsPerSecondUpper: perMs / m.latencyMs.medianCiLower };
  }
  const relative = (1.96 * (m.latencyMs.cv / 100)) / Math.sqrt(m.latencyMs.count);
  return { itemsPerSecondLower: rate * Math.max(0, 1 - relative), itemsPerSecondUpper: rate * (1 + relative) };
}
