// The child process of an isolated configuration (bench with `isolate`): reads a MeasureRequest
// as JSON on stdin, measures it in one visit, and prints one MeasureReply line on stdout.
import { ConfigurationSkippedError, finishMeasurement, toErrorRecord } from '@ortbench/core';
import type { MeasureReply, MeasureRequest } from './bench/isolate';
import { openConfiguration } from './bench/measure';
import { decodableImages, imageFiles } from './images';
import { loadInputArrays } from './model-inputs';
import { stopRuleOf } from './bench/stop-rule';
import { runnerRegistry } from './registry';

async function measureFromStdin(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const request = JSON.parse(input) as MeasureRequest;
  let reply: MeasureReply;
  try {
    const context = {
      options: request.options,
      plan: {
        configurations: [request.configuration],
        skips: new Map<string, string>(),
        model: request.model,
        tokens: request.configuration.sequenceLength !== undefined || request.model.kind === 'token',
        modelBytes: request.model.bytes,
        ...(request.options.inputs ? { arrays: await loadInputArrays(request.options.inputs, request.model.inputs) } : {}),
        ...(request.options.images ? { images: await decodableImages(await imageFiles([request.options.images]), { skipBad: Boolean(request.options.skipBad) }) } : {}),
      },
      registry: await runnerRegistry({ plugins: request.plugins }),
      plugins: request.plugins,
      stop: stopRuleOf(request.options),
      cache: { variants: new Map(), models: new Map(), warnings: new Set<string>() },
    };
    const measurement = await openConfiguration(request.configuration, context);
    try {
      await measurement.warm();
      await measurement.steady();
      reply = { measurement: await finishMeasurement(measurement) };
    } finally {
      await measurement.close();
    }
  } catch (error) {
    reply = error instanceof ConfigurationSkippedError ? { skipped: error.message } : { error: toErrorRecord(error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

// Nothing left running: when the parent dies (a fleet worker killed mid-job), so does the child.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();

void measureFromStdin();
