import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Feeds, MemoryProbe, ModelSource, Runner, RunnerOptions, RunOptions, RunResult, Session, SessionInfo, Tensor } from '@ortbench/core';
import { ErrorCode, InvalidArgumentError, ModelInvalidError, OrtbenchError, RunnerUnavailableError } from '@ortbench/core';
import { physicalCoreCount, processGroupMemoryProbe } from '@ortbench/core/node';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { ExternalDataFile } from '../external-data';
import { readExternalData } from '../external-data';
import { classifyLoadFailure } from '../load-failure';
import { assertModelFile, describeSource } from '../model-source';
import { toValueInfo } from '../ort-tensor';
import { chromiumArgs, chromiumAvailability, findChromium } from './chromium';
import type { PageLoadResult, WireTensor } from './page-functions';
import { pageLoad, pageRelease, pageRun, pageStoreFeeds } from './page-functions';
import type { ServedFile } from './static-server';
import { serveFiles } from './static-server';

/** Options of the browser runner. */
export interface BrowserOptions extends RunnerOptions {
  /** `wasm` (default) or `webgpu` (headless Chromium offers a software adapter where there is no GPU). */
  executionProvider?: 'wasm' | 'webgpu';
  /** wasm threads in the page (cross-origin isolation makes more than one possible). */
  threads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

const OPTIONS = ['executionProvider', 'threads', 'graphOptimizationLevel'];
const require = createRequire(import.meta.url);

/**
 * onnxruntime-web inside a real headless Chromium driven by playwright-core with the system
 * browser. The page is served from 127.0.0.1 on a random port with COOP/COEP headers, and
 * runs are timed inside the page with performance.now().
 */
export function createBrowserRunner(): Runner {
  return {
    name: 'browser',
    description: 'onnxruntime-web in headless Chromium (wasm; webgpu where an adapter exists)',
    availability: chromiumAvailability,
    async load(model: ModelSource, options: BrowserOptions = {}): Promise<Session> {
      for (const key of Object.keys(options)) {
        if (options[key] !== undefined && !OPTIONS.includes(key)) {
          throw new InvalidArgumentError(`runner browser has no option "${key}" (options: ${OPTIONS.join(', ')})`);
        }
      }
      const ep = options.executionProvider ?? 'wasm';
      if (ep !== 'wasm' && ep !== 'webgpu') throw new InvalidArgumentError(`browser option executionProvider must be wasm or webgpu, got ${JSON.stringify(ep)}`);
      const threads = options.threads ?? physicalCoreCount();
      if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`browser option threads must be a positive integer, got ${threads}`);
      const executable = findChromium();
      if (!executable) {
        const availability = await chromiumAvailability();
        throw new RunnerUnavailableError('browser', availability.available ? 'no Chromium found' : availability.reason);
      }
      await assertModelFile(model);
      const modelBytes = typeof model === 'string' ? await readFile(model) : model;
      const externalData = typeof model === 'string' ? await readExternalData(model, modelBytes) : [];
      const server = await serveFiles(await pageFiles(modelBytes, externalData));
      let browser: Browser | undefined;
      try {
        // Loaded on first use: playwright-core takes a third of a second to import.
        const { chromium } = await import('playwright-core');
        browser = await chromium.launch({ executablePath: executable, headless: true, args: chromiumArgs(ep === 'webgpu') });
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${server.url}/`);
        let loaded: PageLoadResult;
        try {
          const data = externalData.map((file, index) => ({ path: file.path, url: `/data/${index}` }));
          loaded = await page.evaluate(pageLoad, { modelUrl: '/model.onnx', externalData: data, ep, threads, graphOptimizationLevel: options.graphOptimizationLevel ?? 'all' });
        } catch (error) {
          const message = pageMessage(error);
          if (/WebGPU adapter/i.test(message)) throw new RunnerUnavailableError('browser', `webgpu: ${message}`);
          throw classifyLoadFailure('browser', describeSource(model), message, 'web', error) ?? new ModelInvalidError(describeSource(model), message);
        }
        const software = loaded.adapter && (loaded.adapter.isFallbackAdapter || /swiftshader|software|llvmpipe/i.test(`${loaded.adapter.vendor} ${loaded.adapter.architecture} ${loaded.adapter.description}`));
        const info: SessionInfo = {
          runner: 'browser',
          executionProvider: ep === 'webgpu' && software ? 'webgpu (software)' : ep,
          settings: {
            threads: loaded.threads,
            crossOriginIsolated: loaded.crossOriginIsolated,
            graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
            browser: browser.version(),
            ...(loaded.adapter ? { adapter: loaded.adapter } : {}),
          },
          runtime: `onnxruntime-web ${loaded.version} in Chromium ${browser.version()}`,
        };
        return new BrowserSession(browser, page, server.close, loaded, info);
      } catch (error) {
        await browser?.close();
        await server.close();
        throw error;
      }
    },
  };
}

/** Feed sets a page keeps: enough for a measurement's one set and a few alternating ones. */
const RESIDENT_FEEDS = 4;

class BrowserSession implements Session {
  readonly inputs;
  readonly outputs;
  readonly info: SessionInfo;
  readonly #browser: Browser;
  readonly #page: Page;
  readonly #closeServer: () => Promise<void>;
  readonly #uploaded = new WeakMap<Feeds, number>();
  /** Ids of the feed sets the page holds, oldest first (at most RESIDENT_FEEDS). */
  readonly #resident: number[] = [];
  #nextId = 1;

  /** How many feed sets the page holds now (for tests: it must stay bounded). */
  async residentFeedCount(): Promise<number> {
    return this.#page.evaluate(() => (window as unknown as { __ortbench: { feeds: Map<number, unknown> } }).__ortbench.feeds.size);
  }

  constructor(browser: Browser, page: Page, closeServer: () => Promise<void>, loaded: PageLoadResult, info: SessionInfo) {
    this.#browser = browser;
    this.#page = page;
    this.#closeServer = closeServer;
    this.inputs = loaded.inputs.map(toValueInfo);
    this.outputs = loaded.outputs.map(toValueInfo);
    this.info = info;
  }

  readonly serialRuns = 'one page runs one inference at a time';

  /**
   * The model lives in Chromium: the resident sets of all its processes (browser, renderer, GPU,
   * services) as Chromium lists them over CDP, summed. The wasm heap is in the renderer's.
   */
  get memoryProbe(): MemoryProbe {
    this.#probe ??= processGroupMemoryProbe(async () => {
      this.#cdp ??= await this.#browser.newBrowserCDPSession();
      const { processInfo } = (await this.#cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { id: number }[] };
      return processInfo.map((p) => p.id);
    }, 'Chromium processes RSS');
    if (this.info.executionProvider === 'webgpu') return { ...this.#probe, unmeasured: ['GPU memory: WebGPU exposes no allocation figure'] };
    return this.#probe;
  }
  #probe: MemoryProbe | undefined;
  #cdp: CDPSession | undefined;

  async run(feeds: Feeds, options: RunOptions = {}): Promise<RunResult> {
    try {
      let id = this.#uploaded.get(feeds);
      if (id === undefined || !this.#resident.includes(id)) {
        id = this.#nextId++;
        const wire = Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, toWire(tensor)]));
        // The page keeps the few latest feed sets only: classify/eval feed a new batch each run, and
        // every one kept would stay in the page's memory for the session's life.
        const evict = this.#resident.length >= RESIDENT_FEEDS ? this.#resident.splice(0, this.#resident.length - RESIDENT_FEEDS + 1) : [];
        await this.#page.evaluate(pageStoreFeeds, { id, feeds: wire, evict });
        this.#resident.push(id);
        this.#uploaded.set(feeds, id);
      }
      const { ms, outputs } = await this.#page.evaluate(pageRun, { id, fetchOutputs: !options.discardOutputs });
      return {
        outputs: Object.fromEntries(Object.entries(outputs).map(([name, wire]) => [name, fromWire(wire)])),
        timing: { inferenceNs: Math.round(ms * 1e6) },
      };
    } catch (error) {
      throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `browser: run failed: ${pageMessage(error)}`, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    await this.#page.evaluate(pageRelease).catch(() => undefined);
    await this.#browser.close();
    await this.#closeServer();
  }
}

/** The page, onnxruntime-web's browser build and wasm files, the model and its external data: nothing else is served. */
async function pageFiles(model: Uint8Array, externalData: readonly ExternalDataFile[]): Promise<Map<string, ServedFile>> {
  const dist = path.dirname(require.resolve('onnxruntime-web')); // its entry lives in dist/
  const files = new Map<string, ServedFile>([
    ['/', { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>ortbench</title><script src="/ort/ort.all.min.js"></script>' }],
    ['/model.onnx', { type: 'application/octet-stream', body: model }],
    ['/ort/ort.all.min.js', { type: 'text/javascript', body: () => readFile(path.join(dist, 'ort.all.min.js')) }],
  ]);
  externalData.forEach((file, index) => files.set(`/data/${index}`, { type: 'application/octet-stream', body: file.data }));
  for (const name of await readdir(dist)) {
    if (/^ort-wasm.*\.(wasm|mjs)$/.test(name)) {
      files.set(`/ort/${name}`, { type: name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript', body: () => readFile(path.join(dist, name)) });
    }
  }
  return files;
}

function toWire(tensor: Tensor): WireTensor {
  if (tensor.dtype === 'string') throw new InvalidArgumentError('the browser runner cannot send string tensors');
  const view = tensor.data as ArrayBufferView;
  return { dtype: tensor.dtype, dims: [...tensor.dims], base64: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') };
}

const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  float16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
};

function fromWire(wire: WireTensor): Tensor {
  const bytes = Buffer.from(wire.base64, 'base64');
  const aligned = new Uint8Array(bytes.byteLength); // a fresh buffer: typed arrays need alignment
  aligned.set(bytes);
  const Ctor = TYPED[wire.dtype];
  if (!Ctor) throw new OrtbenchError(ErrorCode.RUNNER_FAILED, `browser: output of unsupported type ${wire.dtype}`);
  return { dtype: wire.dtype as Tensor['dtype'], dims: wire.dims, data: new Ctor(aligned.buffer) as Tensor['data'] };
}

function pageMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Playwright prefixes "page.evaluate: Error: …" and appends a call log.
  return (text.replace(/^page\.evaluate:\s*(Error:\s*)?/, '').split('\n', 1)[0] ?? text).trim();
}
