import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Availability, Runner, RunnerOptions, Session } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import type * as ort from 'onnxruntime-node';
import { NodeSession } from './node-session';

/** Options every onnxruntime-node runner takes. Unknown options are refused, never ignored. */
export interface NodeSessionOptions extends RunnerOptions {
  /** Intra-op threads. Default: the physical core count, set explicitly (unset sometimes ran single-threaded). */
  threads?: number;
  interOpThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  /** Fix symbolic dims (e.g. `{ batch_size: 8 }`) so ORT can plan memory for them. */
  freeDimensionOverrides?: Record<string, number>;
  /** Where ORT writes the optimised graph. */
  optimizedModelFilePath?: string;
  /** Profile with ORT's profiler: the JSON file is kept and summarised as the top ops by time. */
  profile?: boolean;
  /** Where the profile goes (a path prefix); default a new temporary folder. */
  profileFilePrefix?: string;
  /**
   * ORT's own log on stderr: 0 verbose … 3 errors, 4 fatal only (the default). Errors reach the
   * result anyway, with ORT's whole message as the error's log, so nothing is sprayed on stderr.
   */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /**
   * Whether ORT's thread pools spin after a run (`session.intra_op.allow_spinning` and
   * `inter_op`; ORT's default: true). Sessions measured alternately must not spin: an idle
   * session's spinning workers take a core from the next run of another.
   */
  allowSpinning?: boolean;
}

/** What distinguishes one node runner from another: its EP and its EP options. */
export interface NodeRunnerSpec<O extends NodeSessionOptions> {
  name: string;
  description: string;
  executionProvider: string;
  availability: () => Promise<Availability>;
  /** EP-specific option names this runner accepts on top of the common ones. */
  providerOptionNames: readonly string[];
  /** Refuses options this EP cannot honour, with the reason (checked before the common ones). */
  refuse?: Partial<Record<string, string>>;
  /** The EP entry for ORT and the EP settings as applied, from validated options. */
  provider: (options: O) => { entry: ort.InferenceSession.ExecutionProviderConfig; settings: Record<string, unknown>; session?: Partial<ort.InferenceSession.SessionOptions> };
}

const COMMON_OPTIONS = [
  'threads',
  'interOpThreads',
  'executionMode',
  'graphOptimizationLevel',
  'enableCpuMemArena',
  'enableMemPattern',
  'freeDimensionOverrides',
  'optimizedModelFilePath',
  'profile',
  'profileFilePrefix',
  'logSeverityLevel',
  'allowSpinning',
];

/** A runner on onnxruntime-node; cpu, cuda and webgpu share it and differ only in their spec. */
export function createNodeRunner<O extends NodeSessionOptions>(spec: NodeRunnerSpec<O>): Runner {
  return {
    name: spec.name,
    description: spec.description,
    availability: spec.availability,
    async load(model, options: O = {} as O): Promise<Session> {
      for (const [key, reason] of Object.entries(spec.refuse ?? {})) {
        if (options[key] !== undefined) throw new InvalidArgumentError(`runner ${spec.name} cannot set "${key}": ${reason}`);
      }
      const known = [...COMMON_OPTIONS, ...spec.providerOptionNames];
      for (const key of Object.keys(options)) {
        if (options[key] !== undefined && !known.includes(key)) {
          throw new InvalidArgumentError(`runner ${spec.name} has no option "${key}" (options: ${known.join(', ')})`);
        }
      }
      const common = resolveCommon(spec.name, options);
      const provider = spec.provider(options);
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider.entry],
        intraOpNumThreads: common.threads,
        graphOptimizationLevel: common.graphOptimizationLevel,
        executionMode: common.executionMode,
        enableCpuMemArena: common.enableCpuMemArena,
        enableMemPattern: common.enableMemPattern,
        logSeverityLevel: common.logSeverityLevel,
        ...provider.session,
      };
      if (common.interOpThreads !== undefined) sessionOptions.interOpNumThreads = common.interOpThreads;
      if (!common.allowSpinning) {
        const off = { allow_spinning: '0' };
        sessionOptions.extra = { ...sessionOptions.extra, session: { intra_op: off, inter_op: off } };
      }
      if (common.freeDimensionOverrides) sessionOptions.freeDimensionOverrides = common.freeDimensionOverrides;
      if (common.optimizedModelFilePath) sessionOptions.optimizedModelFilePath = common.optimizedModelFilePath;
      if (common.profile) {
        sessionOptions.enableProfiling = true;
        sessionOptions.profileFilePrefix = options.profileFilePrefix ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'ortbench-profile-')), 'ort');
      }
      return NodeSession.create(model, sessionOptions, {
        runner: spec.name,
        executionProvider: spec.executionProvider,
        settings: { ...common, ...provider.settings },
      });
    },
  };
}

type CommonSettings = Required<Pick<NodeSessionOptions, 'threads' | 'graphOptimizationLevel' | 'executionMode' | 'enableCpuMemArena' | 'enableMemPattern' | 'profile' | 'logSeverityLevel' | 'allowSpinning'>> &
  Pick<NodeSessionOptions, 'interOpThreads' | 'freeDimensionOverrides' | 'optimizedModelFilePath'>;

function resolveCommon(runner: string, options: NodeSessionOptions): CommonSettings {
  const settings: CommonSettings = {
    threads: positiveInteger(options.threads ?? physicalCoreCount(), runner, 'threads'),
    graphOptimizationLevel: oneOf(options.graphOptimizationLevel ?? 'all', ['disabled', 'basic', 'extended', 'all'], runner, 'graphOptimizationLevel'),
    executionMode: oneOf(options.executionMode ?? 'sequential', ['sequential', 'parallel'], runner, 'executionMode'),
    enableCpuMemArena: boolean(options.enableCpuMemArena ?? true, runner, 'enableCpuMemArena'),
    enableMemPattern: boolean(options.enableMemPattern ?? true, runner, 'enableMemPattern'),
    profile: boolean(options.profile ?? false, runner, 'profile'),
    logSeverityLevel: oneOf(options.logSeverityLevel ?? 4, [0, 1, 2, 3, 4] as const, runner, 'logSeverityLevel'),
    allowSpinning: boolean(options.allowSpinning ?? true, runner, 'allowSpinning'),
  };
  if (options.interOpThreads !== undefined) settings.interOpThreads = positiveInteger(options.interOpThreads, runner, 'interOpThreads');
  if (options.freeDimensionOverrides !== undefined) {
    for (const [dim, size] of Object.entries(options.freeDimensionOverrides)) positiveInteger(size, runner, `freeDimensionOverrides.${dim}`);
    settings.freeDimensionOverrides = { ...options.freeDimensionOverrides };
  }
  if (options.optimizedModelFilePath !== undefined) settings.optimizedModelFilePath = options.optimizedModelFilePath;
  return settings;
}

/** A positive integer option, or INVALID_ARGUMENT naming runner and option. */
export function positiveInteger(value: unknown, runner: string, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || (value === 0 && label !== 'deviceId')) {
    throw new InvalidArgumentError(`${runner} option ${label} must be a ${label === 'deviceId' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One of the allowed strings, or INVALID_ARGUMENT. */
export function oneOf<T extends string | number>(value: unknown, allowed: readonly T[], runner: string, label: string): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidArgumentError(`${runner} option ${label} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function boolean(value: unknown, runner: string, label: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${runner} option ${label} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
