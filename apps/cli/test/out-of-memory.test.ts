import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults } from '@ortbench/core';
import { buildMatMul, encodeModel } from '@ortbench/models';
import { BIN, cliSandbox } from './cli-sandbox';

const { scratch, env } = await cliSandbox('oom');

describe('out of memory', () => {
  it("is labelled OOM in every report, with ORT's message kept in the result instead of sprayed on stderr", async () => {
    // A MatMul whose 16 GiB output cannot be allocated in a 6 GB address space.
    const model = path.join(scratch, 'huge-output.onnx');
    await writeFile(model, encodeModel(buildMatMul({ m: 65536, k: 16, n: 65536 })).model);
    const out = path.join(scratch, 'oom');
    const command = `ulimit -v 6000000; exec "${process.execPath}" "${BIN}" bench "${model}" --batch 65536 --iterations 2 --out "${out}"`;
    const run = spawnSync('bash', ['-c', command], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr).not.toContain('[E:onnxruntime');
    expect(run.stdout).toMatch(/^\s*65536\s+OOM$/m);
    const [result] = parseResults(readFileSync(path.join(out, 'results.json'), 'utf8')).results;
    expect(result!.status).toBe('errored');
    const error = result!.status === 'errored' ? result!.error : undefined;
    expect(error?.code).toBe('OUT_OF_MEMORY');
    expect(error?.message).toMatch(/^node-cpu: out of memory: Failed to allocate memory for requested buffer of size 17179869184 \(MatMul node/);
    expect(error?.log).toContain('bfc_arena');
    expect(readFileSync(path.join(out, 'results.md'), 'utf8')).toContain('| 65536 | OOM |');
    expect(readFileSync(path.join(out, 'results.csv'), 'utf8')).toContain('OUT_OF_MEMORY');
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('OUT_OF_MEMORY: node-cpu: out of memory');
  }, 60_000);
});
