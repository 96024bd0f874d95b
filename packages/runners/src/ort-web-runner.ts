import type { Availability, Feeds, ModelSource, Runner, RunnerOptions, RunResult, Session, SessionInfo } from '@ortbench/core';
import { ErrorCode, firstLineOf, InvalidArgumentError, ModelInvalidError, OrtbenchError } from '@ortbench/core';
import { classifyLoadFailure } from './load-failure';
import type { OrtTensorConstructor } from './ort-tensor';
import { fromOrtOutputs, toOrtFeeds, toValueInfo } from './ort-tensor';

/** The parts of the onnxruntime-web module this runner uses (pass `import * as ort from 'onnxruntime-web'`). */
export interface OrtWebModule {
  env: { wasm: { numThreads?: number }; versions?: Record<string, string | undefined> };
  Tensor: unknown;
  InferenceSession: {
    create(model: Uint8Array | string, options?: Record<string, unknown>): Promise<OrtWebSessionLike>;
  };
}

interface OrtWebSessionLike {
  inputMetadata: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[];
  outputMetadata: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, unknown>, fetches?: string[]): Promise<Record<string, { type: string; dims: readonly number[]; data: unknown }>>;
  release(): Promise<void>;
}

/** Options of runners built on onnxruntime-web. */
export interface OrtWebOptions extends RunnerOptions {
  /** wasm threads. onnxruntime-web defaults to 1 and fixes the count at its first session. */
  threads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  freeDimensionOverrides?: Record<string, number>;
}

/** How a runner built with {@link createOrtWebRunner} identifies itself and reads model paths. */
export interface OrtWebRunnerConfig {
  name: string;
  description: string;
  executionProviders: readonly string[];
  /** Threads when the caller sets none. */
  defaultThreads: number;
  availability?: () => Promise<Availability>;
  /** Turns a path into bytes (Node); without it a string model is passed to ORT as a URL. */
  readModel?: (path: string) => Promise<Uint8Array>;
  /** The external data files a model read by `readModel` names, read from beside it (Node). */
  readExternalData?: (path: string, model: Uint8Array) => Promise<{ path: string; data: Uint8Array }[]>;
}

const OPTIONS = ['threads', 'graphOptimizationLevel', 'enableCpuMemArena', 'enableMemPattern', 'freeDimensionOverrides'];
const initialisedThreads = new WeakMap<object, number>();

/**
 * A runner on an onnxruntime-web module. Usable in a browser bundle (it imports neither
 * onnxruntime-node nor Node built-ins); `web-wasm` wraps it with the Node import.
 */
export function createOrtWebRunner(ort: OrtWebModule, config: OrtWebRunnerConfig): Runner {
  return {
    name: config.name,
    description: config.description,
    ...(config.availability ? { availability: config.availability } : {}),
    async load(model: ModelSource, options: OrtWebOptions = {}): Promise<Session> {
      for (const key of Object.keys(options)) {
        if (options[key] !== undefined && !OPTIONS.includes(key)) {
          throw new InvalidArgumentError(`runner ${config.name} has no option "${key}" (options: ${OPTIONS.join(', ')})`);
        }
      }
      const threads = options.threads ?? config.defaultThreads;
      if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`${config.name} option threads must be a positive integer, got ${threads}`);
      const fixed = initialisedThreads.get(ort);
      if (fixed !== undefined && fixed !== threads) {
        throw new InvalidArgumentError(
          `${config.name}: onnxruntime-web fixed its thread count at ${fixed} when it first started in this process; ${threads} threads need a new process (ortbench --isolate)`,
        );
      }
      ort.env.wasm.numThreads = threads;
      // The wasm module starts (and fixes its threads) inside the first create(), even one that fails.
      if (fixed === undefined) initialisedThreads.set(ort, threads);
      const settings = {
        threads,
        graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
        enableCpuMemArena: options.enableCpuMemArena ?? true,
        enableMemPattern: options.enableMemPattern ?? true,
        ...(options.freeDimensionOverrides ? { freeDimensionOverrides: options.freeDimensionOverrides } : {}),
      };
      const source = typeof model === 'string' && config.readModel ? await config.readModel(model) : model;
      // onnxruntime-web has no file system: the weights a model keeps beside it are handed over.
      const externalData = typeof model === 'string' && typeof source !== 'string' && config.readExternalData ? await config.readExternalData(model, source) : [];
      let session: OrtWebSessionLike;
      try {
        const { threads: _threads, ...sessionOptions } = settings;
        session = await ort.InferenceSession.create(source, {
          executionProviders: [...config.executionProviders],
          ...sessionOptions,
          ...(externalData.length ? { externalData } : {}),
        });
      } catch (error) {
        const label = typeof model === 'string' ? model : `<${model.byteLength} bytes>`;
        throw classifyLoadFailure(config.name, label, String((error as Error)?.message ?? error), 'web', error) ?? new ModelInvalidError(label, firstLineOf(error), { cause: error });
      }
      const version = ort.env.versions?.web ?? 'unknown';
      return new OrtWebSession(session, ort.Tensor as OrtTensorConstructor, {
        runner: config.name,
        executionProvider: config.executionProviders[0] ?? 'wasm',
        settings,
        runtime: `onnxruntime-web ${version}`,
      });
    },
  };
}

class OrtWebSession implements Session {
  readonly serialRuns = 'onnxruntime-web runs one inference at a time per session';
  readonly inputs;
  readonly outputs;
  readonly info: SessionInfo;
  readonly #session: OrtWebSessionLike;
  readonly #Tensor: OrtTensorConstructor;

  constructor(session: OrtWebSessionLike, Tensor: OrtTensorConstructor, info: SessionInfo) {
    this.#session = session;
    this.#Tensor = Tensor;
    this.info = info;
    this.inputs = session.inputMetadata.map(toValueInfo);
    this.outputs = session.outputMetadata.map(toValueInfo);
  }

  async run(feeds: Feeds, options: { outputNames?: readonly string[] } = {}): Promise<RunResult> {
    try {
      const ortFeeds = toOrtFeeds(this.#Tensor, feeds) as Record<string, unknown>;
      const outputs = options.outputNames ? await this.#session.run(ortFeeds, [...options.outputNames]) : await this.#session.run(ortFeeds);
      return { outputs: fromOrtOutputs(outputs) };
    } catch (error) {
      throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `${this.info.runner}: run failed: ${firstLineOf(error)}`, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    await this.#session.release();
  }
}
