import type { Runner, RunnerOptions, Session } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import type * as ort from 'onnxruntime-node';
import { NodeSession } from './node-session';

/** Options of the node-cpu runner; anything else is refused rather than ignored. */
export interface NodeCpuOptions extends RunnerOptions {
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
}

const KNOWN_OPTIONS = new Set([
  'threads',
  'interOpThreads',
  'executionMode',
  'graphOptimizationLevel',
  'enableCpuMemArena',
  'enableMemPattern',
  'freeDimensionOverrides',
  'optimizedModelFilePath',
]);

/** onnxruntime-node on the CPU execution provider. */
export function createNodeCpuRunner(): Runner {
  return {
    name: 'node-cpu',
    description: 'onnxruntime-node, CPU execution provider',
    async availability() {
      return { available: true, details: `${physicalCoreCount()} physical cores` };
    },
    async load(model, options: NodeCpuOptions = {}): Promise<Session> {
      const settings = resolveCpuSettings(options);
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        executionProviders: ['cpu'],
        intraOpNumThreads: settings.threads,
        graphOptimizationLevel: settings.graphOptimizationLevel,
        executionMode: settings.executionMode,
        enableCpuMemArena: settings.enableCpuMemArena,
        enableMemPattern: settings.enableMemPattern,
      };
      if (settings.interOpThreads !== undefined) sessionOptions.interOpNumThreads = settings.interOpThreads;
      if (settings.freeDimensionOverrides) sessionOptions.freeDimensionOverrides = settings.freeDimensionOverrides;
      if (settings.optimizedModelFilePath) sessionOptions.optimizedModelFilePath = settings.optimizedModelFilePath;
      return NodeSession.create(model, sessionOptions, { runner: 'node-cpu', executionProvider: 'cpu', settings: { ...settings } });
    },
  };
}

type ResolvedCpuSettings = Required<Pick<NodeCpuOptions, 'threads' | 'graphOptimizationLevel' | 'executionMode' | 'enableCpuMemArena' | 'enableMemPattern'>> &
  Pick<NodeCpuOptions, 'interOpThreads' | 'freeDimensionOverrides' | 'optimizedModelFilePath'>;

/** Applies defaults and validates; the result is what the session really gets (and what results record). */
export function resolveCpuSettings(options: NodeCpuOptions): ResolvedCpuSettings {
  for (const key of Object.keys(options)) {
    if (options[key] !== undefined && !KNOWN_OPTIONS.has(key)) {
      throw new InvalidArgumentError(`runner node-cpu has no option "${key}" (options: ${[...KNOWN_OPTIONS].join(', ')})`);
    }
  }
  const settings: ResolvedCpuSettings = {
    threads: positiveInteger(options.threads ?? physicalCoreCount(), 'threads'),
    graphOptimizationLevel: oneOf(options.graphOptimizationLevel ?? 'all', ['disabled', 'basic', 'extended', 'all'], 'graphOptimizationLevel'),
    executionMode: oneOf(options.executionMode ?? 'sequential', ['sequential', 'parallel'], 'executionMode'),
    enableCpuMemArena: options.enableCpuMemArena ?? true,
    enableMemPattern: options.enableMemPattern ?? true,
  };
  if (options.interOpThreads !== undefined) settings.interOpThreads = positiveInteger(options.interOpThreads, 'interOpThreads');
  if (options.freeDimensionOverrides !== undefined) {
    for (const [dim, size] of Object.entries(options.freeDimensionOverrides)) positiveInteger(size, `freeDimensionOverrides.${dim}`);
    settings.freeDimensionOverrides = { ...options.freeDimensionOverrides };
  }
  if (options.optimizedModelFilePath !== undefined) settings.optimizedModelFilePath = options.optimizedModelFilePath;
  return settings;
}

function positiveInteger(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`node-cpu option ${label} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], label: string): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidArgumentError(`node-cpu option ${label} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
