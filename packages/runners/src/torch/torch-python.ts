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
        return { python, torch, pythonVersion: String(header.python), cuda: header.cuda === true, ...(typeof header.blas === 'string' ? { blas: header.blas } : {}) };
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
