// A custom runner: any model server that speaks the KServe v2 / Triton HTTP inference protocol
// (GET /v2/health/ready, GET /v2/models/{name}, POST /v2/models/{name}/infer), measured by the
// same engine as the built-in runners. Register it and ask for it by name:
//
//   const registry = new RunnerRegistry().register(createKServeRunner({ url: 'http://127.0.0.1:8000' }));
//   const measurement = await benchmark({ runner: await registry.resolve('kserve'), model: 'resnet50', feeds, … });
//
// The "model" it loads is the model's name on the server. Tensors travel as JSON, which is
// simple but slow for large inputs; the binary extension of the protocol would be next.
import type { DType, Feeds, Runner, RunResult, Session, Tensor, ValueInfo } from '@ortbench/core';
import { createTensor, ErrorCode, OrtbenchError } from '@ortbench/core';

const KSERVE_TYPES: Record<string, DType> = {
  FP32: 'float32', FP64: 'float64', FP16: 'float16', INT8: 'int8', INT16: 'int16', INT32: 'int32', INT64: 'int64',
  UINT8: 'uint8', UINT16: 'uint16', UINT32: 'uint32', UINT64: 'uint64', BOOL: 'bool',
};
const DTYPE_NAMES = Object.fromEntries(Object.entries(KSERVE_TYPES).map(([name, dtype]) => [dtype, name]));

interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** A runner for a KServe v2 endpoint at `url`, registered under `name` (default `kserve`). */
export function createKServeRunner(options: { url: string; name?: string; fetch?: typeof fetch }): Runner {
  const call = options.fetch ?? fetch;
  const name = options.name ?? 'kserve';
  const base = options.url.replace(/\/$/, '');
  return {
    name,
    description: `KServe v2 inference endpoint at ${base}`,
    async availability() {
      try {
        const response = await call(`${base}/v2/health/ready`);
        return response.ok ? { available: true, details: base } : { available: false, reason: `${base} is not ready (HTTP ${response.status})` };
      } catch (error) {
        return { available: false, reason: `${base} cannot be reached: ${(error as Error).message}` };
      }
    },
    async load(model): Promise<Session> {
      if (typeof model !== 'string') throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `${name}: give the model's name on the server, not bytes`);
      const response = await call(`${base}/v2/models/${encodeURIComponent(model)}`);
      if (!response.ok) throw new OrtbenchError(ErrorCode.MODEL_INVALID, `${name}: the server has no model "${model}" (HTTP ${response.status})`);
      const metadata = (await response.json()) as { inputs: TensorMetadata[]; outputs: TensorMetadata[]; platform?: string };
      const info = (t: TensorMetadata): ValueInfo => ({ name: t.name, dtype: KSERVE_TYPES[t.datatype] ?? 'unknown', dims: t.shape.map((d) => (d < 0 ? null : d)) });
      return {
        inputs: metadata.inputs.map(info),
        outputs: metadata.outputs.map(info),
        info: { runner: name, executionProvider: `remote (${metadata.platform ?? 'unknown platform'})`, settings: { url: base, model } },
        async run(feeds: Feeds): Promise<RunResult> {
          const body = {
            inputs: Object.entries(feeds).map(([input, tensor]) => ({
              name: input,
              shape: tensor.dims,
              datatype: DTYPE_NAMES[tensor.dtype],
              data: Array.from(tensor.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v)),
            })),
          };
          const reply = await call(`${base}/v2/models/${encodeURIComponent(model)}/infer`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (!reply.ok) throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `${name}: inference failed (HTTP ${reply.status}): ${(await reply.text()).slice(0, 200)}`);
          const result = (await reply.json()) as { outputs: (TensorMetadata & { data: number[] })[] };
          const outputs: Feeds = {};
          for (const output of result.outputs) outputs[output.name] = fromJson(output);
          return { outputs };
        },
        async dispose() {},
      };
    },
  };
}

function fromJson(output: TensorMetadata & { data: number[] }): Tensor {
  const dtype = KSERVE_TYPES[output.datatype];
  if (dtype === 'float32') return createTensor('float32', Float32Array.from(output.data), output.shape);
  if (dtype === 'int64') return createTensor('int64', BigInt64Array.from(output.data, BigInt), output.shape);
  if (dtype === 'int32') return createTensor('int32', Int32Array.from(output.data), output.shape);
  throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `kserve: output "${output.name}" has type ${output.datatype}, which this example does not convert`);
}
