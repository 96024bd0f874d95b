import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Configuration, ErrorRecord, Measurement, OpenMeasurement } from '@ortbench/core';
import { ConfigurationSkippedError, ErrorCode, openMeasurement, OrtbenchError } from '@ortbench/core';
import type { ModelDescription } from '../model-source';
import type { BenchOptions } from './options';

/** What an isolated child is given on stdin. */
export interface MeasureRequest {
  configuration: Configuration;
  options: BenchOptions;
  model: ModelDescription;
  /** Plugin modules (absolute paths) the child registers, as the parent did. */
  plugins: string[];
}

/** What an isolated child prints as its last line. */
export type MeasureReply = { measurement: Measurement } | { skipped: string } | { error: ErrorRecord };

/**
 * --isolate: one configuration measured whole in a child process, as one visit. A crash (a
 * signal such as SIGSEGV) fails only this configuration, with the cause named; a SIGKILL — what
 * the kernel's out-of-memory killer sends — is labelled OUT_OF_MEMORY. The child's stderr
 * (ORT's own log among it) is kept in the error's log, not printed.
 */
export function isolatedMeasurement(request: MeasureRequest, limits: ChildLimits = {}): OpenMeasurement {
  return openMeasurement({ runner: request.configuration.runner, measure: () => measureInChild(request, limits) });
}

/** Bounds on a child: a fleet worker kills one that hangs, or whose job it hands back. */
export interface ChildLimits {
  /** Kill the child (SIGKILL) when this aborts; the measurement rejects with ABORTED. */
  signal?: AbortSignal;
  /** Kill the child after this many ms; the measurement rejects with RUNNER_FAILED naming the limit. */
  timeoutMs?: number;
}

// The child entry is built beside this module (tsup entry measure-child).
const CHILD = fileURLToPath(new URL('./measure-child.js', import.meta.url));

/**
 * The child's environment. glibc keeps freed memory resident for reuse (what ONNX Runtime frees
 * after parsing a model is ~150 MiB for resnet50), so a process's resident set says more about the
 * allocator than about the model: activations fill that free memory without the RSS moving. The
 * child is told to return freed blocks of 128 KiB and more to the system (unless the user set
 * these themselves), so its memory figures are the configuration's: resnet50 loaded in 125 MiB
 * instead of 272, and its peak grows ~15 MiB per item of the batch. ONNX Runtime's arena keeps
 * the memory a run needs, so steady-state runs do not allocate either way.
 */
export function isolatedEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? '131072', MALLOC_TRIM_THRESHOLD_: env.MALLOC_TRIM_THRESHOLD_ ?? '131072', ORTBENCH_ISOLATED: '1' };
}

function measureInChild(request: MeasureRequest, limits: ChildLimits): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'pipe'], env: isolatedEnvironment() });
    let stdout = '';
    let stderr = '';
    let stopped: OrtbenchError | undefined;
    const stop = (error: OrtbenchError) => {
      stopped ??= error;
      child.kill('SIGKILL');
    };
    const onAbort = () => stop(new OrtbenchError(ErrorCode.ABORTED, 'isolated configuration stopped: its job was handed back'));
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    if (limits.signal?.aborted) onAbort();
    const timer = limits.timeoutMs === undefined ? undefined : setTimeout(() => stop(new OrtbenchError(ErrorCode.RUNNER_FAILED, `isolated configuration killed after ${Math.round(limits.timeoutMs! / 1000)} s (the job time limit)`)), limits.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      if (stopped) {
        reject(stopped);
        return;
      }
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
