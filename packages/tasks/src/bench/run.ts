import os from 'node:os';
import type { BenchmarkProgress, Configuration, ConfigurationResult, ResultsDocument } from '@ortbench/core';
import { baselinePairs, ConfigurationSkippedError, createResultsDocument, InvalidArgumentError, runInterleavedSweep } from '@ortbench/core';
import { collectEnvironment, describeMachineLoad, readResultsFile, sampleMachine } from '@ortbench/core/node';
import type { RunnerSource } from '../registry';
import { pluginPaths, runnerRegistry } from '../registry';
import { installedVersion, packageVersions } from '../versions';
import { isolatedMeasurement } from './isolate';
import { memoryWarning } from './memory-forecast';
import type { BenchContext } from './measure';
import { openConfiguration } from './measure';
import type { BenchInput, BenchOptions } from './options';
import { resolveBenchOptions } from './options';
import { planBench } from './plan';
import { stopRuleOf } from './stop-rule';

/** What a sweep tells its caller while it runs, and where its runners come from. */
export interface BenchHooks extends RunnerSource {
  /** Abort to stop early: the document then holds what finished, marked partial. */
  signal?: AbortSignal;
  onStart?: (configuration: Configuration, index: number, total: number) => void;
  onProgress?: (progress: BenchmarkProgress) => void;
  onResult?: (result: ConfigurationResult, index: number, total: number) => void;
  /** A round of the interleaved sweep begins (rounds past `minimum` continue imprecise configurations). */
  onRound?: (round: number, minimum: number) => void;
  /** Alternating run by run: the round reached and the configurations still measuring (every 50 rounds). */
  onAlternate?: (round: number, active: number) => void;
  /** Something the caller should know that is not an error (e.g. int8 calibrated on synthetic images). */
  onWarning?: (message: string) => void;
  /** A progress line that is not a warning (e.g. the rates a latency-bound search tried). */
  onNote?: (line: string) => void;
  /** Recorded in the document: the command or call that produced it. */
  command?: string;
  /** Recorded in the document; default @ortbench/tasks and its version. */
  tool?: { name: string; version: string };
}

/** A finished (or interrupted) sweep. */
export interface BenchOutcome {
  /** The results document: the same object `ortbench bench --json` prints. */
  document: ResultsDocument;
  interrupted: boolean;
  /** The options as resolved (defaults, preset and config file applied). */
  options: BenchOptions;
}

/**
 * A benchmark sweep: every configuration of runners × batch sizes × sequence lengths × threads ×
 * concurrency × precision on one model, measured to the precision target in interleaved rounds,
 * with the machine's state around it. Configurations that cannot run as asked are skipped with
 * the reason; when none can, it throws INVALID_ARGUMENT before measuring anything.
 *
 * @example
 *   const { document } = await bench({ model: 'resnet50', batch: [1, 8] });
 */
export async function bench(input: BenchInput, hooks: BenchHooks = {}): Promise<BenchOutcome> {
  const options = await resolveBenchOptions(input.model, input as Record<string, unknown>);
  if (options.models && options.models.length > 1) return benchEachModel(options, hooks);
  const registry = await runnerRegistry(hooks);
  for (const name of options.runner) await registry.resolve(name); // unknown or unavailable: fail before any work
  const plan = await planBench(options, hooks.onWarning); // nothing can run: a usage error, before anything is measured
  const previous = options.resume ? await resumable(options.resume, plan.configurations, hooks) : [];
  const stop = stopRuleOf(options);
  const plugins = pluginPaths(hooks);
  const context: BenchContext = {
    options,
    plan,
    registry,
    plugins,
    stop,
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.onWarning ? { onWarning: hooks.onWarning } : {}),
    ...(hooks.onNote ? { onNote: hooks.onNote } : {}),
    cache: { variants: new Map(), models: new Map(), warnings: new Set<string>() },
  };
  const toRun = plan.configurations.filter((c) => !previous.some((r) => r.configuration.id === c.id) && !plan.skips.has(c.id)).length;
  // Several configurations in one process are alternated run by run, unless slices were asked for.
  const alternate = toRun > 1 && !options.isolate && !options.scenario && options.rounds === undefined;
  const rounds = options.rounds ?? 1;
  if (alternate) context.alternated = true;
  const comparisons = baselinePairs(plan.configurations, options.baseline ?? {});
  // Results so far, for the memory forecast of larger batches (taken one at a time: isolated, or in turns).
  const finished: ConfigurationResult[] = [...previous];
  const warnIfTooBig = (configuration: Configuration) => {
    const warning = memoryWarning(configuration, finished, Boolean(options.isolate));
    if (warning) hooks.onWarning?.(warning);
  };
  const open = options.isolate
    ? async (configuration: Configuration) => {
        const skipped = plan.skips.get(configuration.id);
        if (skipped) throw new ConfigurationSkippedError(skipped);
        warnIfTooBig(configuration);
        return isolatedMeasurement({ configuration, options, model: plan.model, plugins });
      }
    : (configuration: Configuration, signal?: AbortSignal) => {
        warnIfTooBig(configuration);
        return openConfiguration(configuration, context, signal);
      };
  const machineAtStart = sampleMachine();
  const outcome = await runInterleavedSweep(plan.configurations, open, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    previous,
    ...(alternate ? { alternate: 'runs' as const } : { rounds }),
    comparisons,
    // Fixed counts stay fixed; a precision target extends to the paired ratios (±1 %, within the cap).
    pairedTarget: stop.ciTarget === 0 ? 0 : 0.01,
    stop,
    // Sessions stay loaded between rounds while a conservative estimate fits in half the free memory.
    maxOpen: Math.max(1, Math.floor((0.5 * os.freemem()) / (4 * plan.modelBytes * Math.max(...options.concurrency)))),
    ...(hooks.onStart ? { onStart: hooks.onStart } : {}),
    onResult: (result, index, total) => {
      finished.push(result);
      hooks.onResult?.(result, index, total);
    },
    ...(hooks.onRound ? { onRound: hooks.onRound } : {}),
    ...(hooks.onAlternate ? { onAlternate: hooks.onAlternate } : {}),
  });
  const environment = { ...collectEnvironment(packageVersions()), machine: describeMachineLoad(machineAtStart, sampleMachine()) };
  const tool = hooks.tool ?? { name: '@ortbench/tasks', version: installedVersion('@ortbench/tasks') ?? '0.0.0' };
  const document = createResultsDocument({ tool, ...(hooks.command ? { command: hooks.command } : {}), environment }, outcome.results, outcome.interrupted);
  return { document, interrupted: outcome.interrupted, options };
}

/**
 * The results of an earlier run of this same sweep worth keeping. A file from another sweep
 * (another model, other options, another plan) is refused with what differs, so it is never
 * overwritten by a different sweep. Errored configurations, and those interrupted before their
 * stop rule (a 4-run median is no result), are measured again: their earlier runs are discarded,
 * since a median must come from one stretch of one machine's time, not two.
 */
async function resumable(file: string, planned: readonly Configuration[], hooks: BenchHooks): Promise<ConfigurationResult[]> {
  const earlier = (await readResultsFile(file)).results;
  const ids = new Set(planned.map((c) => c.id));
  const foreign = earlier.filter((r) => !ids.has(r.configuration.id));
  if (foreign.length > 0) {
    throw new InvalidArgumentError(
      `--resume ${file}: it holds another sweep (${foreign.length} of its ${earlier.length} configurations are not in this one, e.g. "${foreign[0]!.configuration.id}"; this one's first is "${planned[0]?.id ?? 'none'}"): resume with the model and options that wrote it, or write to a new --out`,
    );
  }
  const kept = earlier.filter((r) => r.status === 'skipped' || (r.status === 'completed' && r.measurement.stability.stop !== 'interrupted'));
  const again = earlier.length - kept.length;
  if (again > 0) hooks.onWarning?.(`--resume: ${again} configuration(s) errored or interrupted before their stop rule are measured again; their earlier runs are discarded (a median comes from one stretch of the machine's time)`);
  return kept;
}

/**
 * `models`: one sweep per model (each interleaved within itself), in order, gathered into one
 * results document. Ctrl-C stops after the sweep in progress, which keeps what it measured.
 */
async function benchEachModel(options: BenchOptions, hooks: BenchHooks): Promise<BenchOutcome> {
  const outcomes: BenchOutcome[] = [];
  for (const model of options.models!) {
    const outcome = await bench({ ...options, model, models: [model] }, hooks);
    outcomes.push(outcome);
    if (outcome.interrupted) break;
  }
  const first = outcomes[0]!.document;
  const interrupted = outcomes.some((o) => o.interrupted);
  const document = createResultsDocument(
    { tool: first.tool, ...(first.command ? { command: first.command } : {}), environment: first.environment },
    outcomes.flatMap((o) => o.document.results),
    interrupted,
  );
  return { document, interrupted, options };
}
