// Functions that run inside the browser page: Playwright sends their source text, so each
// must be self-contained (no imports, no outer variables) and talk to the page only through
// `window.__ortbench`.

/** A tensor crossing the Node ↔ page boundary: raw little-endian bytes in base64. */
export interface WireTensor {
  dtype: string;
  dims: number[];
  base64: string;
}

/** What the page reports after loading a model. */
export interface PageLoadResult {
  inputs: { name: string; isTensor: boolean; type?: string; shape?: (number | string)[] }[];
  outputs: { name: string; isTensor: boolean; type?: string; shape?: (number | string)[] }[];
  crossOriginIsolated: boolean;
  threads: number;
  adapter?: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean };
  version: string;
}

/** Loads the model in the page with onnxruntime-web. */
export async function pageLoad(args: { modelUrl: string; externalData: { path: string; url: string }[]; ep: 'wasm' | 'webgpu'; threads: number; graphOptimizationLevel: string }): Promise<PageLoadResult> {
  const w = window as unknown as { ort: any; __ortbench: any; crossOriginIsolated: boolean }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const ort = w.ort;
  ort.env.wasm.numThreads = args.threads;
  ort.env.wasm.wasmPaths = '/ort/';
  let adapter: PageLoadResult['adapter'];
  if (args.ep === 'webgpu') {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<any> } }).gpu; // eslint-disable-line @typescript-eslint/no-explicit-any
    const found = gpu ? await gpu.requestAdapter() : null;
    if (!found) throw new Error('no WebGPU adapter in this browser (navigator.gpu.requestAdapter() gave none)');
    const info = found.info ?? {};
    adapter = { vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '', isFallbackAdapter: Boolean(found.isFallbackAdapter ?? info.isFallbackAdapter) };
  }
  const bytes = new Uint8Array(await (await fetch(args.modelUrl)).arrayBuffer());
  // onnxruntime-web fetches each external data file from its URL, under the name the model uses.
  const externalData = args.externalData.map((file) => ({ path: file.path, data: file.url }));
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: [args.ep],
    graphOptimizationLevel: args.graphOptimizationLevel,
    ...(externalData.length ? { externalData } : {}),
  });
  w.__ortbench = { session, feeds: new Map() };
  const meta = (list: any[]) => list.map((m) => ({ name: m.name, isTensor: m.isTensor, type: m.type, shape: m.shape })); // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    inputs: meta(session.inputMetadata),
    outputs: meta(session.outputMetadata),
    crossOriginIsolated: w.crossOriginIsolated,
    threads: ort.env.wasm.numThreads,
    ...(adapter ? { adapter } : {}),
    version: ort.env.versions?.web ?? 'unknown',
  };
}

/** Stores feeds in the page under `id`, so repeated runs do not send them again. */
export function pageStoreFeeds(args: { id: number; feeds: Record<string, WireTensor>; evict: number[] }): void {
  const w = window as unknown as { ort: any; __ortbench: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const typed: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
    float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
    float16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
  };
  const tensors: Record<string, unknown> = {};
  for (const [name, wire] of Object.entries(args.feeds)) {
    const binary = atob(wire.base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    tensors[name] = new w.ort.Tensor(wire.dtype, new typed[wire.dtype]!(bytes.buffer), wire.dims);
  }
  for (const old of args.evict) w.__ortbench.feeds.delete(old);
  w.__ortbench.feeds.set(args.id, tensors);
}

/** Runs stored feeds, timing session.run() alone with performance.now(). */
export async function pageRun(args: { id: number; fetchOutputs: boolean }): Promise<{ ms: number; outputs: Record<string, WireTensor> }> {
  const w = window as unknown as { __ortbench: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const feeds = w.__ortbench.feeds.get(args.id);
  const start = performance.now();
  const results = await w.__ortbench.session.run(feeds);
  const ms = performance.now() - start;
  const outputs: Record<string, WireTensor> = {};
  if (args.fetchOutputs) {
    for (const [name, tensor] of Object.entries<any>(results)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const data = await tensor.getData();
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      outputs[name] = { dtype: tensor.type, dims: [...tensor.dims], base64: btoa(binary) };
    }
  }
  return { ms, outputs };
}

/** Frees the page's session. */
export async function pageRelease(): Promise<void> {
  const w = window as unknown as { __ortbench?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  await w.__ortbench?.session?.release();
}
