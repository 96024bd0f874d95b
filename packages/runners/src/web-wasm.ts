import { readFile } from 'node:fs/promises';
import type { Runner } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import { readExternalData } from './external-data';
import { assertModelFile } from './model-source';
import type { OrtWebModule } from './ort-web-runner';
import { createOrtWebRunner } from './ort-web-runner';

/**
 * onnxruntime-web's wasm backend inside Node (`import 'onnxruntime-web'`; the
 * `onnxruntime-web/wasm` entry does not load in Node). Threads are set explicitly, to the
 * physical core count by default, because onnxruntime-web would otherwise use one.
 */
export function createWebWasmRunner(): Runner {
  // onnxruntime-web is loaded on first use: a command that never runs it (classify on node-cpu)
  // does not pay for importing it.
  let inner: Promise<Runner> | undefined;
  const runner = () =>
    (inner ??= import('onnxruntime-web').then((ort) =>
      createOrtWebRunner(ort as unknown as OrtWebModule, {
        name: 'web-wasm',
        description: 'onnxruntime-web, wasm backend, in Node',
        executionProviders: ['wasm'],
        defaultThreads: physicalCoreCount(),
        availability: async () => ({ available: true, details: `onnxruntime-web ${ort.env.versions.web}` }),
        readModel: async (file) => {
          await assertModelFile(file);
          return readFile(file);
        },
        readExternalData,
      }),
    ));
  return {
    name: 'web-wasm',
    description: 'onnxruntime-web, wasm backend, in Node',
    availability: async () => (await runner()).availability!(),
    load: async (model, options) => (await runner()).load(model, options),
  };
}
