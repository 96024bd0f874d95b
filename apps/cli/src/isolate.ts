import { spawn } from 'node:child_process';
import type { Configuration, ErrorRecord, Measurement, OpenMeasurement } from '@ortbench/core';
import { ConfigurationSkippedError, ErrorCode, measuredOnce, OrtbenchError, toErrorRecord } from '@ortbench/core';
import type { BenchOptions } from './bench-options';
import { pluginFiles } from './registry';

/** What a `__measure` child is given on stdin. */
export interface MeasureRequest {
  configuration: Configuration;
  options: BenchOptions;
  tokens: boolean;
  modelBytes: number;
}

/** What a `__measure` child prints as its last line. */
export type MeasureReply = { measurement: Measurement } | { skipped: string } | { error: ErrorRecord };

/**
 * --isolate: one configuration measured whole in a child process, as one visit. A crash (a
 * signal such as SIGSEGV) fails only this configuration, with the cause named; a SIGKILL — what
 * the kernel's out-of-memory killer sends — is labelled OUT_OF_MEMORY. The child's stderr
 * (ORT's own log among it) is kept in the error's log, not printed.
 */
export function isolatedMeasurement(request: MeasureRequest): OpenMeasurement {
  return measuredOnce(request.configuration.runner, () => measureInChild(request));
}

function measureInChild(request: MeasureRequest): Promise<Measurement> {
  const args = [process.argv[1] as string, ...pluginFiles().flatMap((file) => ['--plugin', file]), '__measure'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const log = stderr.trim().slice(-4000);
      const reply = stdout.trim().split('\n').at(-1);
      if (signal || !reply?.startsWith('{')) {
        const options = { ...(log ? { log } : {}) };
        if (signal === 'SIGKILL') reject(new OrtbenchError(ErrorCode.OUT_OF_MEMORY, 'isolated configuration killed by SIGKILL (out of memory: the kernel kills with it)', options));
        else reject(new OrtbenchError(ErrorCode.RUNNER_FAILED, `isolated configuration died: ${signal ? `killed by ${signal}` : `exited with code ${code}: ${log.split('\n').at(-1) ?? ''}`}`, options));
        return;
      }
      const parsed = JSON.parse(reply) as MeasureReply;
      if ('measurement' in parsed) resolve(parsed.measurement);
      else if ('skipped' in parsed) reject(new ConfigurationSkippedError(parsed.skipped));
      else reject(new OrtbenchError(parsed.error.code as ErrorCode, parsed.error.message, { ...(parsed.error.log || log ? { log: parsed.error.log ?? log } : {}) }));
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/** The child side of --isolate: read a request, measure it in one visit, print one JSON line. */
export async function measureFromStdin(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const request = JSON.parse(input) as MeasureRequest;
  const { createDefaultRegistry } = await import('./registry');
  const { openConfiguration } = await import('./bench-measure');
  const { stopRuleOf } = await import('./actions/bench');
  let reply: MeasureReply;
  try {
    const context = {
      options: request.options,
      plan: { configurations: [request.configuration], skips: new Map<string, string>(), tokens: request.tokens, modelBytes: request.modelBytes },
      registry: await createDefaultRegistry(),
      stop: stopRuleOf(request.options),
      cache: { variants: new Map(), models: new Map() },
    };
    const measurement = await openConfiguration(request.configuration, context);
    try {
      await measurement.warm();
      await measurement.steady();
      reply = { measurement: await measurement.result() };
    } finally {
      await measurement.close();
    }
  } catch (error) {
    reply = error instanceof ConfigurationSkippedError ? { skipped: error.message } : { error: toErrorRecord(error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
