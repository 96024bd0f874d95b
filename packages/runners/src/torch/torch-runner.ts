import { existsSync } from 'node:fs';
import type { Availability, DType, Feeds, MemoryProbe, ModelSource, RunOptions, RunResult, Runner, RunnerOptions, Session, SessionInfo, Tensor, ValueInfo } from '@ortbench/core';
import { ErrorCode, InputMismatchError, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import { physicalCoreCount, pidMemoryProbe } from '@ortbench/core/node';
import * as ort from 'onnxruntime-node';
import { assertModelFile } from '../model-source';
import { toValueInfo } from '../ort-tensor';
import type { WireTensor } from './python-worker';
import { PythonWorker } from './python-worker';
import type { TorchPython } from './torch-python';
import { blasWarning, findTorchPython, workerTuning } from './torch-python';

/** Options of the torch runners. */
export interface TorchOptions extends RunnerOptions {
  /** torch.set_num_threads; default the physical core count, as node-cpu. */
  threads?: number;
  /** The TorchScript file paired with the ONNX model; default: the ONNX path with .pt instead of .onnx. */
  torchModel?: string;
  /** The interpreter to run (default ORTBENCH_PYTHON, python3, /usr/bin/python3 — the first with PyTorch). */
  python?: string;
  /** Seconds one forward call may take before the worker is killed. Default 300. */
  timeout?: number;
}

const KNOWN = new Set(['threads', 'torchModel', 'python', 'timeout']);

/**
 * PyTorch behind the Runner contract: a TorchScript module (`torch.jit.trace`/`script` + `save`)
 * run by a Python worker process, in eval mode under `torch.inference_mode()`. The ONNX model it
 * is paired with gives the inputs' and outputs' names, so feeds and outputs line up with ORT's.
 * Latency is timed inside the worker around the forward call (timing source `runner`); tensors
 * cross the pipe as raw bytes.
 */
export function createTorchRunner(device: 'cpu' | 'cuda' = 'cpu'): Runner {
  const name = device === 'cpu' ? 'torch' : 'torch-cuda';
  return {
    name,
    description: device === 'cpu' ? 'PyTorch (TorchScript) on the CPU, in a Python worker' : 'PyTorch (TorchScript) on a CUDA GPU, in a Python worker',
    async availability(): Promise<Availability> {
      const found = await findTorchPython();
      if (!('torch' in found)) return { available: false, reason: found.reason };
      if (device === 'cuda' && !found.cuda) return { available: false, reason: `PyTorch ${found.torch} (${found.python}) sees no CUDA device: torch.cuda.is_available() is False` };
      const tuning = workerTuning(found);
      const warning = tuning.OPENBLAS_CORETYPE ? undefined : blasWarning(found);
      const blas = found.blas ? `; BLAS ${found.blas}${found.blasCore ? ` (${tuning.OPENBLAS_CORETYPE ?? found.blasCore} kernels${tuning.OPENBLAS_CORETYPE ? `: OpenBLAS detected ${found.blasCore}, ortbench sets OPENBLAS_CORETYPE` : ''})` : ''}` : '';
      return { available: true, details: `PyTorch ${found.torch}, Python ${found.pythonVersion} (${found.python})${blas}${warning ? ` — warning: ${warning}` : ''}` };
    },
    async load(model: ModelSource, options: TorchOptions = {}): Promise<Session> {
      for (const key of Object.keys(options)) {
        if (!KNOWN.has(key)) throw new InvalidArgumentError(`${name}: option ${key} is not a PyTorch setting (options: ${[...KNOWN].join(', ')})`);
      }
      if (typeof model !== 'string') throw new InvalidArgumentError(`${name}: needs the ONNX model as a file path (its TorchScript pair is found from it)`);
      const torchModel = options.torchModel ?? model.replace(/\.onnx$/i, '.pt');
      if (!existsSync(torchModel)) {
        throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${name}: no TorchScript model paired with ${model} (looked for ${torchModel}); pass --torch-model FILE.pt — resnet50 and bert get theirs built automatically`);
      }
      const found = await findTorchPython(options.python);
      if (!('torch' in found)) throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `${name}: ${found.reason}`);
      const signature = await onnxSignature(model);
      return TorchSession.open(name, device, found, torchModel, signature, options);
    },
  };
}

/** The ONNX model's inputs and outputs (names, types, shapes), read with ONNX Runtime without optimising. */
async function onnxSignature(model: string): Promise<{ inputs: ValueInfo[]; outputs: ValueInfo[] }> {
  await assertModelFile(model);
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled' });
  try {
    return { inputs: session.inputMetadata.map(toValueInfo), outputs: session.outputMetadata.map(toValueInfo) };
  } finally {
    await session.release();
  }
}

class TorchSession implements Session {
  readonly serialRuns = 'one Python worker runs one forward call at a time';
  readonly #worker: PythonWorker;
  readonly #timeoutMs: number;
  /** The model lives in the Python worker: its resident set is the session's memory. */
  readonly memoryProbe: MemoryProbe | undefined;

  private constructor(
    readonly info: SessionInfo,
    readonly inputs: readonly ValueInfo[],
    readonly outputs: readonly ValueInfo[],
    worker: PythonWorker,
    timeoutMs: number,
  ) {
    this.#worker = worker;
    this.#timeoutMs = timeoutMs;
    const probe = worker.pid === undefined ? undefined : pidMemoryProbe(worker.pid, 'Python worker RSS');
    this.memoryProbe = probe && info.executionProvider === 'cuda' ? { ...probe, unmeasured: ['GPU memory: the torch worker does not report torch.cuda memory'] } : probe;
  }

  static async open(name: string, device: 'cpu' | 'cuda', python: TorchPython, file: string, signature: { inputs: ValueInfo[]; outputs: ValueInfo[] }, options: TorchOptions): Promise<TorchSession> {
    const tuning = workerTuning(python);
    const worker = new PythonWorker(python.python, name, tuning);
    try {
      const hello = await worker.hello(60_000);
      if (!hello.header.ok) throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `${name}: ${hello.header.error}`);
      // What this worker really runs on, after the tuning.
      const blas = { blas: typeof hello.header.blas === 'string' ? hello.header.blas : undefined, blasCore: typeof hello.header.blasCore === 'string' ? hello.header.blasCore : undefined };
      const slow = blasWarning(blas);
      // Like node-cpu, one thread per physical core unless told: Debian's PyTorch defaults to 1 here,
      // and at 1 thread its convolutions leave oneDNN for a reference path ~15× slower (measured).
      const threads = options.threads ?? physicalCoreCount();
      const loaded = await worker.request({ op: 'load', path: file, device, threads }, [], 300_000);
      if (!loaded.header.ok) throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${file}: PyTorch cannot load it as TorchScript (${loaded.header.error})`);
      const declared = loaded.header.inputs as string[] | null | undefined;
      const expected = signature.inputs.map((i) => i.name);
      if (declared && (declared.length !== expected.length || declared.some((n) => !expected.includes(n)))) {
        throw new InputMismatchError(`${file} takes inputs (${declared.join(', ')}); the ONNX model's are (${expected.join(', ')})`);
      }
      const arity = loaded.header.arity as number | undefined;
      if (!declared && arity !== undefined && arity !== expected.length) {
        throw new InputMismatchError(`${file} takes ${arity} input(s); the ONNX model has ${expected.length} (${expected.join(', ')})`);
      }
      const info: SessionInfo = {
        runner: name,
        executionProvider: device,
        // The BLAS is recorded with every result: with Debian's reference one, Linear layers are ~10× slower.
        settings: { threads: loaded.header.threads, torchModel: file, python: python.python, inputOrder: declared ? 'by name' : 'by position', ...(blas.blas ? { blas: blas.blas } : {}), ...(blas.blasCore ? { blasCore: blas.blasCore } : {}), ...(Object.keys(tuning).length ? { environment: tuning } : {}), ...(slow ? { blasWarning: slow } : {}) },
        runtime: `torch ${python.torch}`,
      };
      return new TorchSession(info, signature.inputs, signature.outputs, worker, Math.round((options.timeout ?? 300) * 1000));
    } catch (error) {
      await worker.close();
      throw error;
    }
  }

  async run(feeds: Feeds, options: RunOptions = {}): Promise<RunResult> {
    const tensors: WireTensor[] = [];
    const blobs: Uint8Array[] = [];
    for (const input of this.inputs) {
      const tensor = feeds[input.name];
      if (!tensor) throw new InputMismatchError(`missing feed "${input.name}" (the model's inputs: ${this.inputs.map((i) => i.name).join(', ')})`);
      if (tensor.dtype === 'string' || !ArrayBuffer.isView(tensor.data)) throw new InputMismatchError(`feed "${input.name}": ${tensor.dtype} tensors cannot be passed to PyTorch`);
      const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
      tensors.push({ name: input.name, dtype: tensor.dtype, dims: [...tensor.dims], nbytes: bytes.byteLength });
      blobs.push(bytes);
    }
    const reply = await this.#worker.request({ op: 'run', tensors, discard: Boolean(options.discardOutputs) }, blobs, this.#timeoutMs);
    if (!reply.header.ok) throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `${this.info.runner}: the forward call failed: ${reply.header.error}`);
    const timing = { inferenceNs: Number(reply.header.ns) };
    if (options.discardOutputs) return { outputs: {}, timing };
    const returned = reply.header.tensors ?? [];
    if (returned.length !== this.outputs.length) {
      throw new InputMismatchError(`${this.info.settings.torchModel} returned ${returned.length} output(s); the ONNX model has ${this.outputs.length} (${this.outputs.map((o) => o.name).join(', ')})`);
    }
    const outputs: Feeds = {};
    returned.forEach((spec, i) => {
      const name = this.outputs[i]!.name;
      if (options.outputNames && !options.outputNames.includes(name)) return;
      outputs[name] = fromWire(spec, reply.blobs[i]!);
    });
    return { outputs, timing };
  }

  dispose(): Promise<void> {
    return this.#worker.close();
  }
}

const ARRAYS: Partial<Record<DType, new (buffer: ArrayBuffer) => ArrayBufferView>> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

function fromWire(spec: WireTensor, blob: Buffer): Tensor {
  const Array = ARRAYS[spec.dtype as DType];
  if (!Array) throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `torch: an output of type ${spec.dtype}, which ortbench does not read`);
  // A copy: the frame's bytes are not aligned for every element type.
  const copy = new ArrayBuffer(blob.byteLength);
  new Uint8Array(copy).set(blob);
  const data = new Array(copy);
  return { dtype: spec.dtype as DType, dims: spec.dims, data } as unknown as Tensor;
}
