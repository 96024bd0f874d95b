import { readFile } from 'node:fs/promises';
import type { Runner } from '@ortbench/core';
import { physicalCoreCount } from '@ortbench/core/node';
import * as ort from 'onnxruntime-web';
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
  return createOrtWebRunner(ort as unknown as OrtWebModule, {
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
  });
}
