import { readFileSync } from 'node:fs';
import { firstLineOf } from '@ortbench/core';
import { PythonWorker } from './python-worker';

/** An interpreter that has PyTorch, and what it has. */
export interface TorchPython {
  python: string;
  torch: string;
  pythonVersion: string;
  cuda: boolean;
  /** The BLAS library PyTorch loaded (its matrix products run there), when it can be told. */
  blas?: string;
  /** OpenBLAS's kernel family (`Haswell`, `SkylakeX`, …), when the BLAS is OpenBLAS. */
  blasCore?: string;
}

// OpenBLAS kernel families without AVX2: chosen when it does not recognise a (virtual) CPU.
const GENERIC_CORES = new Set(['Prescott', 'Core2', 'Penryn', 'Dunnington', 'Nehalem', 'Atom', 'Katmai', 'Coppermine', 'Northwood', 'Banias']);

/**
 * Why PyTorch's matrix products would run slower than this machine allows, or undefined: Debian's
 * reference BLAS, or OpenBLAS on SSE-only kernels on a CPU with AVX2 (it mis-detects some VMs).
 */
export function blasWarning(found: Pick<TorchPython, 'blas' | 'blasCore'>, cpuFlags = readCpuFlags()): string | undefined {
  if (isReferenceBlas(found.blas)) return `PyTorch's BLAS is Debian's reference one (${found.blas}): its Linear layers run an order of magnitude slower — apt-get install libopenblas0-pthread`;
  if (found.blasCore && GENERIC_CORES.has(found.blasCore) && cpuFlags.has('avx2')) {
    const suggested = cpuFlags.has('avx512f') ? 'SkylakeX' : 'Haswell';
    return `OpenBLAS chose its ${found.blasCore} kernels (no AVX) on this CPU, which has ${cpuFlags.has('avx512f') ? 'AVX-512' : 'AVX2'}: PyTorch's Linear layers run several times slower than they could — set OPENBLAS_CORETYPE=${suggested}`;
  }
  return undefined;
}

/**
 * Environment for a PyTorch worker that lets it run as fast as this machine allows, each entry
 * with why — only where the user has not set it: OpenBLAS's kernels for this CPU when it fell
 * back to SSE ones, and passive OpenMP waiting when OpenBLAS brings threads of its own (PyTorch's
 * spinning OpenMP threads and OpenBLAS's compete for the cores: BERT-base at 25 tokens took
 * 314 ms with spinning, 82 ms without, here).
 */
export function workerTuning(found: Pick<TorchPython, 'blas' | 'blasCore'>, env: NodeJS.ProcessEnv = process.env, cpuFlags = readCpuFlags()): Record<string, string> {
  const tuning: Record<string, string> = {};
  if (found.blasCore && GENERIC_CORES.has(found.blasCore) && cpuFlags.has('avx2') && !env.OPENBLAS_CORETYPE) {
    tuning.OPENBLAS_CORETYPE = cpuFlags.has('avx512f') ? 'SkylakeX' : 'Haswell';
  }
  if (found.blas?.includes('openblas') && !env.OMP_WAIT_POLICY) tuning.OMP_WAIT_POLICY = 'PASSIVE';
  return tuning;
}

function readCpuFlags(): Set<string> {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return new Set(line?.split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/** Debian's reference BLAS: correct, and an order of magnitude slower than OpenBLAS for PyTorch's Linear layers. */
export function isReferenceBlas(blas: string | undefined): boolean {
  return blas !== undefined && /\/blas\/libblas\.so/.test(blas);
}

/** The oldest PyTorch the worker runs on (torch.frombuffer, inference_mode). */
const MINIMUM = [1, 10];

const INSTALL = 'install it with `apt-get install python3-torch` (Debian, Ubuntu) or `pip install torch`, or point --python / ORTBENCH_PYTHON at an interpreter that has it';

const probes = new Map<string, Promise<TorchPython | { reason: string }>>();

/**
 * Finds a Python with a usable PyTorch: the one named (`--python`, ORTBENCH_PYTHON) and only it,
 * else `python3` on the PATH, then Debian's /usr/bin/python3 (a pyenv or venv python3 often
 * shadows the system one that python3-torch installs into). Probed once per process.
 */
export async function findTorchPython(explicit = process.env.ORTBENCH_PYTHON): Promise<TorchPython | { reason: string }> {
  const candidates = explicit ? [explicit] : ['python3', '/usr/bin/python3'];
  const reasons: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const found = await probe(python);
    if ('torch' in found) return found;
    reasons.push(found.reason);
  }
  return { reason: `no Python with PyTorch ${MINIMUM.join('.')} or newer: ${reasons.join('; ')} — ${INSTALL}` };
}

function probe(python: string): Promise<TorchPython | { reason: string }> {
  let found = probes.get(python);
  if (!found) {
    found = (async () => {
      const worker = new PythonWorker(python);
      try {
        const { header } = await worker.hello(60_000);
        if (!header.ok) return { reason: `${python}: ${header.error ?? 'cannot import torch'}` };
        const torch = String(header.torch);
        const [major = 0, minor = 0] = torch.split('.').map((part) => Number.parseInt(part, 10));
        if (major < MINIMUM[0]! || (major === MINIMUM[0] && minor < MINIMUM[1]!)) return { reason: `${python} has PyTorch ${torch}, older than ${MINIMUM.join('.')}` };
        return {
          python,
          torch,
          pythonVersion: String(header.python),
          cuda: header.cuda === true,
          ...(typeof header.blas === 'string' ? { blas: header.blas } : {}),
          ...(typeof header.blasCore === 'string' ? { blasCore: header.blasCore } : {}),
        };
      } catch (error) {
        return { reason: `${python}: ${firstLineOf(error).replace(/^torch: /, '')}` };
      } finally {
        await worker.close();
      }
    })();
    probes.set(python, found);
  }
  return found;
}
