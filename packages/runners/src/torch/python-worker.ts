import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCode, OrtbenchError } from '@ortbench/core';

/** One tensor as it crosses the pipe: its header entry; the bytes follow the JSON. */
export interface WireTensor {
  name?: string;
  dtype: string;
  dims: number[];
  nbytes: number;
}

/** A reply: `ok`, and the worker's fields; tensors' bytes in `blobs`. */
export interface Reply {
  header: { ok: boolean; error?: string; kind?: string; tensors?: WireTensor[]; [field: string]: unknown };
  blobs: Buffer[];
}

// The worker script ships in the package (python/torch_worker.py), beside dist/.
const SCRIPT_CANDIDATES = [new URL('../python/torch_worker.py', import.meta.url), new URL('../../python/torch_worker.py', import.meta.url)].map((u) => fileURLToPath(u));

/** The path of the worker script inside the installed package. */
export function workerScript(): string {
  const found = SCRIPT_CANDIDATES.find((file) => existsSync(file));
  if (!found) throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `torch: the worker script is missing from @ortbench/runners (looked in ${SCRIPT_CANDIDATES.join(', ')}); reinstall the package`);
  return found;
}

/**
 * A Python process running torch_worker.py, spoken to in length-prefixed frames. One request at
 * a time; each has a time limit, after which the process is killed (nothing left running) and
 * the request fails with RUNNER_FAILED naming the limit. A process that dies fails its request
 * with its last stderr line.
 */
export class PythonWorker {
  readonly #child: ChildProcess;
  #buffer: Buffer = Buffer.alloc(0);
  #stderr = '';
  #pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  #exit: string | undefined;

  constructor(python: string, label = 'torch', env: Record<string, string> = {}) {
    this.label = label;
    this.#child = spawn(python, ['-u', workerScript()], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.#child.stdout!.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#child.stderr!.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-8000)));
    this.#child.on('error', (error) => this.#fail(`cannot start ${python}: ${error.message}`));
    this.#child.on('exit', (code, signal) => this.#fail(`the Python worker exited (${signal ? `killed by ${signal}` : `code ${code}`})${this.#lastStderr()}`));
    this.#child.stdin!.on('error', () => undefined); // a dead worker is reported by 'exit'
  }

  readonly label: string;

  /** The worker process's id (its memory is read from /proc). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The worker's greeting (torch and Python versions), within `timeoutMs`. */
  hello(timeoutMs: number): Promise<Reply> {
    return this.#await(timeoutMs, 'start');
  }

  /** Sends a request with tensors and waits for its reply. */
  request(header: Record<string, unknown>, blobs: readonly Uint8Array[], timeoutMs: number): Promise<Reply> {
    const body = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    const reply = this.#await(timeoutMs, String(header.op));
    this.#child.stdin!.write(length);
    this.#child.stdin!.write(body);
    for (const blob of blobs) this.#child.stdin!.write(blob);
    return reply;
  }

  /** Asks the worker to exit; kills it if it does not within a second. */
  async close(): Promise<void> {
    if (this.#exit) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 1000);
    this.request({ op: 'exit' }, [], 1000).catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }

  #await(timeoutMs: number, what: string): Promise<Reply> {
    if (this.#exit) return Promise.reject(new OrtbenchError(ErrorCode.RUNNER_FAILED, `${this.label}: ${this.#exit}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        this.#child.kill('SIGKILL');
        reject(new OrtbenchError(ErrorCode.RUNNER_FAILED, `${this.label}: the Python worker did not answer ${what} within ${Math.round(timeoutMs / 1000)} s; it was killed`));
      }, timeoutMs);
      this.#pending = { resolve, reject, timer };
      this.#deliver();
    });
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    this.#deliver();
  }

  /** Hands a complete frame (header and all its tensors' bytes) to the waiting request. */
  #deliver(): void {
    if (!this.#pending || this.#buffer.length < 4) return;
    const length = this.#buffer.readUInt32LE(0);
    if (this.#buffer.length < 4 + length) return;
    const header = JSON.parse(this.#buffer.subarray(4, 4 + length).toString('utf8')) as Reply['header'];
    const sizes = (header.tensors ?? []).map((t) => t.nbytes);
    const total = 4 + length + sizes.reduce((a, b) => a + b, 0);
    if (this.#buffer.length < total) return;
    const blobs: Buffer[] = [];
    let offset = 4 + length;
    for (const size of sizes) {
      blobs.push(this.#buffer.subarray(offset, offset + size));
      offset += size;
    }
    this.#buffer = this.#buffer.subarray(total);
    const { resolve, timer } = this.#pending;
    this.#pending = undefined;
    clearTimeout(timer);
    resolve({ header, blobs });
  }

  #fail(reason: string): void {
    this.#exit ??= reason;
    if (!this.#pending) return;
    const { reject, timer } = this.#pending;
    this.#pending = undefined;
    clearTimeout(timer);
    reject(new OrtbenchError(ErrorCode.RUNNER_FAILED, `${this.label}: ${reason}`, { log: this.#stderr.trim() }));
  }

  #lastStderr(): string {
    const last = this.#stderr.trim().split('\n').at(-1);
    return last ? `: ${last}` : '';
  }
}
