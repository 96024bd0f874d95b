import type { Feeds, ModelSource, ProfileSummary, RunOptions, RunResult, Session, SessionInfo, ValueInfo } from '@ortbench/core';
import { ErrorCode, firstLineOf, isOutOfMemoryMessage, ModelInvalidError, OrtbenchError } from '@ortbench/core';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { classifyLoadFailure } from './load-failure';
import { assertModelFile, describeSource } from './model-source';
import { readOrtProfile } from './ort-profile';
import type { OrtTensorConstructor } from './ort-tensor';
import { fromOrtOutputs, toOrtFeeds, toValueInfo } from './ort-tensor';

/** onnxruntime-node's version, as reported by the native binding. */
export const ORT_NODE_VERSION: string = ort.env.versions.node ?? 'unknown';

/**
 * A session of onnxruntime-node. The node runners (cpu, cuda, webgpu) share it and differ
 * only in the execution providers and settings they pass.
 */
export class NodeSession implements Session {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly info: SessionInfo;
  readonly serialRuns = 'onnxruntime-node runs each call on the calling thread, so runs on one session never overlap';
  readonly #session: ort.InferenceSession;
  readonly #profilePrefix: string | undefined;

  private constructor(session: ort.InferenceSession, info: SessionInfo, profilePrefix: string | undefined) {
    this.#session = session;
    this.#profilePrefix = profilePrefix;
    this.info = info;
    this.inputs = session.inputMetadata.map(toValueInfo);
    this.outputs = session.outputMetadata.map(toValueInfo);
  }

  /** Creates a session; bad model bytes become MODEL_INVALID naming the source. */
  static async create(
    model: ModelSource,
    options: ort.InferenceSession.SessionOptions,
    info: Omit<SessionInfo, 'runtime'>,
  ): Promise<NodeSession> {
    await assertModelFile(model);
    let session: ort.InferenceSession;
    try {
      // Two calls because ORT's overloads take a path or bytes, not the union of both.
      session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, options)
          : await ort.InferenceSession.create(model, options);
    } catch (error) {
      const log = errorText(error);
      if (isOutOfMemoryMessage(log)) throw new OrtbenchError(ErrorCode.OUT_OF_MEMORY, `${info.runner}: out of memory loading ${describeSource(model)}: ${allocationFailure(log)}`, { cause: error, log });
      throw sessionFailure(model, options, info.runner, error);
    }
    return new NodeSession(session, { ...info, runtime: `onnxruntime-node ${ORT_NODE_VERSION}` }, options.enableProfiling ? options.profileFilePrefix : undefined);
  }

  async run(feeds: Feeds, options: RunOptions = {}): Promise<RunResult> {
    const ortFeeds = toOrtFeeds(ort.Tensor as unknown as OrtTensorConstructor, feeds) as unknown as ort.InferenceSession.FeedsType;
    let outputs: ort.InferenceSession.ReturnType;
    try {
      outputs = options.outputNames
        ? await this.#session.run(ortFeeds, [...options.outputNames])
        : await this.#session.run(ortFeeds);
    } catch (error) {
      const log = errorText(error);
      if (isOutOfMemoryMessage(log)) throw new OrtbenchError(ErrorCode.OUT_OF_MEMORY, `${this.info.runner}: out of memory: ${allocationFailure(log)}`, { cause: error, log });
      throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `${this.info.runner}: run failed: ${ortMessage(error)}`, { cause: error, log });
    }
    return { outputs: fromOrtOutputs(outputs) };
  }

  async dispose(): Promise<void> {
    await this.#session.release();
  }

  /** Ends ORT's profiling and summarises the file it wrote (undefined when not profiling). */
  async endProfiling(): Promise<ProfileSummary | undefined> {
    if (!this.#profilePrefix) return undefined;
    this.#session.endProfiling();
    const directory = path.dirname(this.#profilePrefix);
    const prefix = path.basename(this.#profilePrefix);
    const files = (await readdir(directory)).filter((f) => f.startsWith(`${prefix}_`) && f.endsWith('.json')).sort();
    const file = files.at(-1);
    return file ? readOrtProfile(path.join(directory, file)) : undefined;
  }
}

/** ORT's whole message, every line: kept as the result's log. */
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim();
}

/** "Failed to allocate memory for requested buffer of size N", with the node that asked, from ORT's message. */
function allocationFailure(text: string): string {
  const what = /failed to allocate memory[^\n]*?of size \d+/i.exec(text)?.[0] ?? firstLineOf(text);
  const node = /running (\w+) node\. Name:'([^']*)'/.exec(text);
  return node ? `${what} (${node[1]} node ${node[2]})` : what;
}

/** ORT's messages carry a code prefix and several lines; keep the part a person needs. */
export function ortMessage(error: unknown): string {
  return firstLineOf(error).replace(/^\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/, '');
}

/**
 * What a failed session creation really means: a file ortbench was told to write (the optimised
 * model, the profile) that cannot be written is the option's fault, an op the runtime lacks is
 * the runner's limit, and only the rest says the model itself is not valid ONNX.
 */
function sessionFailure(model: ModelSource, options: ort.InferenceSession.SessionOptions, runner: string, error: unknown): OrtbenchError {
  const message = ortMessage(error);
  for (const [option, file] of [['optimizedModelFilePath', options.optimizedModelFilePath], ['profileFilePrefix', options.profileFilePrefix]] as const) {
    if (file && errorText(error).includes(file)) return new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${runner} option ${option} ${file}: cannot be written: ${message}`, { cause: error });
  }
  const classified = classifyLoadFailure(runner, describeSource(model), errorText(error), 'node', error);
  if (classified) return classified;
  if (/NOT_IMPLEMENTED|Could not find an implementation/i.test(errorText(error))) {
    return new OrtbenchError(ErrorCode.RUNNER_FAILED, `${runner} cannot run ${describeSource(model)}: ${message}`, { cause: error });
  }
  return new ModelInvalidError(describeSource(model), message, { cause: error });
}
