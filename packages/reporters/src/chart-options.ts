import type { ConfigurationResult, ResultsDocument } from '@ortbench/core';
import { supportsPercentile } from '@ortbench/core';

type Completed = Extract<ConfigurationResult, { status: 'completed' }>;

/** A chart ready to render: an ECharts option, a file-name slug and a title. */
export interface ChartSpec {
  slug: string;
  title: string;
  option: Record<string, unknown>;
  width: number;
  height: number;
}

const completed = (document: ResultsDocument): Completed[] => document.results.filter((r): r is Completed => r.status === 'completed');
const seriesKey = (r: ConfigurationResult, many: boolean) => (many ? `${r.configuration.model} · ${r.configuration.runner}` : r.configuration.runner);
// One colour per runner across all charts (series are added in runner order).
const PALETTE = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00'];
const LINE_STYLES = ['solid', 'dashed', 'dotted'];
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond'];
const base = { animation: false, textStyle: { fontFamily: 'sans-serif' }, tooltip: {}, color: PALETTE };

/** The charts a results document supports: throughput curve, latency percentiles, BERT heatmap, speed-ups. */
export function chartSpecs(document: ResultsDocument): ChartSpec[] {
  const results = completed(document);
  if (results.length === 0) return [];
  const specs: ChartSpec[] = [];
  // A curve needs several batch sizes: one batch is a column of dots (the bars below say it).
  if (new Set(results.map((r) => r.configuration.batchSize)).size > 1) specs.push(throughputCurve(results));
  const memory = memoryCurve(results);
  if (memory) specs.push(memory);
  specs.push(latencyPercentiles(results));
  const heatmap = sequenceHeatmap(results);
  if (heatmap) specs.push(heatmap);
  const speedups = speedupChart(results);
  if (speedups) specs.push(speedups);
  const bars = configurationBars(results);
  if (bars) specs.push(bars);
  // Every chart names what was measured, so a chart saved on its own still says so.
  const models = [...new Set(results.map((r) => r.configuration.model).filter((m): m is string => Boolean(m)).map((m) => m.split('/').pop()!))];
  const named = models.length === 0 ? '' : models.length <= 3 ? models.join(', ') : `${models.length} models`;
  return named ? specs.map((spec) => ({ ...spec, title: `${named}: ${spec.title}` })) : specs;
}

/**
 * One batch size and one sequence length, several configurations (runners, precisions,
 * optimisation levels): the seeds' bar chart — median latency per configuration.
 */
function configurationBars(results: Completed[]): ChartSpec | undefined {
  const shapes = new Set(results.map((r) => `${r.configuration.batchSize}/${r.configuration.sequenceLength}`));
  if (shapes.size !== 1 || results.length < 2) return undefined;
  // Only what tells the bars apart: the runner and the options that vary (their values).
  const varying = varyingAxes(results);
  const manyModels = new Set(results.map((r) => r.configuration.model)).size > 1;
  // Every bar names its model (seed-004 compares models) and what else tells it apart.
  const categories = results.map((r) => [manyModels ? shortModel(r.configuration.model) : '', r.configuration.runner, ...varying.map((axis) => axisLabel(r, axis).replace(/^[^=]*=/, ''))].filter(Boolean).join(' · '));
  const shape = results[0]!.configuration;
  return {
    slug: 'configurations',
    title: `Median latency by configuration (ms) — batch ${shape.batchSize}${shape.sequenceLength === undefined ? '' : `, sequence ${shape.sequenceLength}`}${varying.length ? `; bars: ${manyModels ? 'model · ' : ''}runner · ${varying.join(' · ')}` : ''}`,
    width: 900,
    // Horizontal bars: labels of any length stay readable, one row each, however many bars.
    height: Math.max(220, 70 + results.length * 30),
    option: {
      ...base,
      grid: { left: 260, right: 70, top: 20, bottom: 40 },
      yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 240, overflow: 'break', interval: 0 } },
      xAxis: { type: 'value', name: 'ms' },
      series: [
        {
          type: 'bar',
          data: results.map((r, i) => ({ value: round(r.measurement.latencyMs.median), itemStyle: { color: PALETTE[i % PALETTE.length] } })),
          label: { show: true, position: 'right', formatter: '{c}' },
        },
      ],
    },
  };
}

/** Throughput (items/s) against batch size, a line per runner (and sequence length, for BERT). */
function throughputCurve(results: Completed[]): ChartSpec {
  return batchCurve(results, (r) => r.measurement.throughput.itemsPerSecond, { slug: 'throughput', title: 'Throughput by batch size', unit: 'items / s' });
}

/**
 * The memory each configuration needed at its peak (above the process's memory before loading,
 * where that was read) against batch size, beside the throughput curve: what a batch costs.
 */
function memoryCurve(results: Completed[]): ChartSpec | undefined {
  // Figures shared with other configurations' sessions are not drawn: they are not the configuration's.
  const own = results.filter((r) => r.measurement.memory && !r.measurement.memory.shared);
  if (new Set(own.map((r) => r.configuration.batchSize)).size < 2) return undefined;
  return batchCurve(own, (r) => peakNeededMiB(r.measurement.memory!), { slug: 'memory', title: 'Peak memory by batch size (MiB)', unit: 'MiB' });
}

function peakNeededMiB(memory: NonNullable<Completed['measurement']['memory']>): number {
  return (memory.peakAboveBaseBytes ?? memory.peakBytes) / (1024 * 1024);
}

/** A line chart of one figure against batch size, a line per runner and every other axis that varies. */
function batchCurve(results: Completed[], figure: (r: Completed) => number, chart: { slug: string; title: string; unit: string }): ChartSpec {
  const manyModels = new Set(results.map((r) => r.configuration.model)).size > 1;
  const batches = [...new Set(results.map((r) => r.configuration.batchSize))].sort((a, b) => a - b);
  const runners = [...new Set(results.map((r) => seriesKey(r, manyModels)))];
  const seqs = [...new Set(results.map((r) => r.configuration.sequenceLength))];
  const groups = new Map<string, { points: Map<number, number>; runner: number; seq: number }>();
  const varying = varyingAxes(results);
  for (const r of results) {
    const seq = r.configuration.sequenceLength;
    // Every axis but batch that varies gets its own line (threads, concurrency, precision, …).
    const rest = varying.map((axis) => axisLabel(r, axis)).join(' ');
    const key = `${seriesKey(r, manyModels)}${seq === undefined ? '' : ` · seq ${seq}`}${rest ? ` · ${rest}` : ''}`;
    const group = groups.get(key) ?? { points: new Map<number, number>(), runner: runners.indexOf(seriesKey(r, manyModels)), seq: seqs.indexOf(seq) };
    group.points.set(r.configuration.batchSize, figure(r));
    groups.set(key, group);
  }
  // The legend is laid out in full below the plot (a scrolling legend paginates in a static SVG).
  const legendRows = Math.ceil(groups.size / 3);
  return {
    slug: chart.slug,
    title: chart.title,
    width: 900,
    height: 380 + legendRows * 22,
    option: {
      ...base,
      legend: { type: 'plain', bottom: 0, width: 860 },
      grid: { left: 70, right: 30, top: 40, bottom: 60 + legendRows * 22 },
      xAxis: { type: 'category', name: 'batch size', nameLocation: 'middle', nameGap: 28, data: batches.map(String) },
      yAxis: { type: 'value', name: chart.unit },
      // Colour says the runner, unless another axis varies too (precision, threads): then every line
      // gets its own colour — three precisions once shared one. Line style and marker say the sequence length.
      series: [...groups.entries()].map(([name, { points, runner, seq }], index) => ({
        name,
        type: 'line',
        symbol: SYMBOLS[seq % SYMBOLS.length],
        symbolSize: 7,
        color: PALETTE[(varying.length > 0 ? index : runner) % PALETTE.length],
        lineStyle: { type: LINE_STYLES[seq % LINE_STYLES.length] },
        data: batches.map((b) => round(points.get(b))),
      })),
    },
  };
}

/** Median, p90 and p99 latency of every configuration. */
function latencyPercentiles(results: Completed[]): ChartSpec {
  const labels = results.map((r) => label(r));
  return {
    slug: 'latency',
    title: `Latency percentiles per configuration (ms)${results.some((r) => !supportsPercentile(r.measurement.latencyMs.count, 'p90')) ? ' — no bar where the runs are too few for it' : ''}`,
    width: 900,
    height: Math.max(300, 70 + results.length * 34),
    option: {
      ...base,
      legend: { bottom: 0 },
      grid: { left: 300, right: 40, top: 20, bottom: 50 },
      yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 285, overflow: 'break', interval: 0 } },
      xAxis: { type: 'value', name: 'ms' },
      // No bar for a percentile the runs are too few for: the table beside it shows — for the same reason.
      series: (['median', 'p90', 'p99'] as const).map((stat) => ({
        name: stat,
        type: 'bar',
        data: results.map((r) => (stat === 'median' || supportsPercentile(r.measurement.latencyMs.count, stat) ? round(r.measurement.latencyMs[stat]) : '-')),
      })),
    },
  };
}

/** Median latency over batch × sequence length, for the first runner that has both axes. */
function sequenceHeatmap(results: Completed[]): ChartSpec | undefined {
  const withSeq = results.filter((r) => r.configuration.sequenceLength !== undefined);
  if (withSeq.length === 0) return undefined;
  const runner = withSeq[0]!.configuration.runner;
  const rows = withSeq.filter((r) => r.configuration.runner === runner);
  const batches = [...new Set(rows.map((r) => r.configuration.batchSize))].sort((a, b) => a - b);
  const seqs = [...new Set(rows.map((r) => r.configuration.sequenceLength as number))].sort((a, b) => a - b);
  const data = rows.map((r) => [seqs.indexOf(r.configuration.sequenceLength as number), batches.indexOf(r.configuration.batchSize), round(r.measurement.latencyMs.median)]);
  const values = data.map((d) => d[2] as number);
  return {
    slug: 'heatmap',
    title: `Median latency (ms) by batch and sequence length — ${runner}`,
    width: 900,
    height: 120 + batches.length * 40,
    option: {
      ...base,
      grid: { left: 70, right: 30, top: 20, bottom: 90 },
      xAxis: { type: 'category', name: 'sequence length', nameLocation: 'middle', nameGap: 28, data: seqs.map(String) },
      yAxis: { type: 'category', name: 'batch', data: batches.map(String) },
      visualMap: { min: Math.min(...values), max: Math.max(...values), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#e0f3db', '#43a2ca', '#084081'] } },
      series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
    },
  };
}

/** Each runner's throughput relative to the first runner, per configuration measured by both. */
function speedupChart(results: Completed[]): ChartSpec | undefined {
  const runners = [...new Set(results.map((r) => r.configuration.runner))];
  if (runners.length < 2) return undefined;
  const [baseline, ...others] = runners as [string, ...string[]];
  const key = (r: Completed) => label(r, false);
  const reference = new Map(results.filter((r) => r.configuration.runner === baseline).map((r) => [key(r), r.measurement.throughput.itemsPerSecond]));
  const categories = [...reference.keys()];
  return {
    slug: 'speedup',
    title: `Speed-up over ${baseline} (throughput ratio)`,
    width: 900,
    height: 400,
    option: {
      ...base,
      legend: { bottom: 0 },
      grid: { left: 60, right: 30, top: 30, bottom: 90 },
      xAxis: { type: 'category', data: categories, axisLabel: { rotate: 20 } },
      yAxis: { type: 'value', name: '× ' + baseline },
      series: others.map((runner, i) => {
        const own = new Map(results.filter((r) => r.configuration.runner === runner).map((r) => [key(r), r.measurement.throughput.itemsPerSecond]));
        return {
          name: runner,
          type: 'bar',
          itemStyle: { color: PALETTE[(i + 1) % PALETTE.length] },
          data: categories.map((c) => (own.has(c) ? round((own.get(c) as number) / (reference.get(c) as number)) : null)),
          markLine: { silent: true, symbol: 'none', data: [{ yAxis: 1 }], lineStyle: { type: 'dashed' } },
        };
      }),
    },
  };
}

/** A short configuration label: `node-cpu b8 s128 t2 concurrency=2`, every option included so labels never repeat. */
export function label(result: ConfigurationResult, withRunner = true): string {
  const c = result.configuration;
  return [
    withRunner ? c.runner : '',
    c.model && c.model.length < 24 ? c.model : '',
    `b${c.batchSize}`,
    c.sequenceLength !== undefined ? `s${c.sequenceLength}` : '',
    c.threads !== undefined ? `t${c.threads}` : '',
    ...Object.keys(c.options)
      .sort()
      .map((key) => `${key}=${String(c.options[key])}`),
  ]
    .filter(Boolean)
    .join(' ');
}

/** Threads and option keys whose value differs between results. */
function varyingAxes(results: readonly ConfigurationResult[]): string[] {
  const keys = [...new Set(results.flatMap((r) => Object.keys(r.configuration.options)))].sort();
  const axes = ['threads', ...keys];
  return axes.filter((axis) => new Set(results.map((r) => axisLabel(r, axis))).size > 1);
}

function axisLabel(result: ConfigurationResult, axis: string): string {
  if (axis === 'threads') return result.configuration.threads === undefined ? '' : `t${result.configuration.threads}`;
  const value = result.configuration.options[axis];
  return value === undefined ? '' : `${axis}=${String(value)}`;
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Number(value.toPrecision(4));
}

/** A model's name as a label: its file name without folders and `.onnx`. */
function shortModel(model: string | undefined): string {
  return (model ?? '').split('/').pop()!.replace(/\.onnx$/, '');
}
