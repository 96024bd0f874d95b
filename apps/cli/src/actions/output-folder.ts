import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCode, OrtbenchError } from '@ortbench/core';
import { makeFolders } from '@ortbench/core/node';

/** The files a bench run writes into its folder: replaced as a set, never left from an older run. */
const REPORT_FILE = /^(results\.(json|csv|md)|report\.html|chart-.+\.(svg|png))$/;
const LOCK = '.ortbench.lock';

/** An output folder checked, created and held for one run. */
export interface OutputFolder {
  directory: string;
  /** Removes report files of an earlier run that this run did not write (its charts, say). */
  pruneStale(written: readonly string[]): Promise<void>;
  release(): Promise<void>;
  /** Releases the folder after a run that wrote nothing, removing it when this run created it. */
  abandon(): Promise<void>;
}

/**
 * Checks the output folder before anything is measured: not a file, writable, not another
 * run's results (unless `force`, or it is the file being resumed), and not in use by a run in
 * progress — then holds it with a lock file naming this process. Each refusal is one line
 * with a stable code: INVALID_ARGUMENT for what the user can change, OUTPUT_UNWRITABLE for a
 * folder that cannot be written.
 */
export async function claimOutputFolder(directory: string, options: { force?: boolean; resume?: string }): Promise<OutputFolder> {
  const info = await stat(directory).catch(() => undefined);
  if (info && !info.isDirectory()) throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `--out ${directory}: is a file, not a folder`);
  try {
    await makeFolders(path.resolve(directory));
    const probe = path.join(directory, `.ortbench-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    if (!info) await rm(directory, { recursive: true, force: true }).catch(() => undefined);
    throw new OrtbenchError(ErrorCode.OUTPUT_UNWRITABLE, `--out ${directory}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lock = path.join(directory, LOCK);
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `--out ${directory}: in use by another ortbench run (pid ${holder}); choose another folder`);
    }
    await writeFile(lock, String(process.pid)); // the holder is gone: take the folder over
  }
  const release = () => rm(lock, { force: true });
  const abandon = async () => {
    await release();
    if (!info && (await readdir(directory).catch(() => ['?'])).length === 0) await rm(directory, { recursive: true, force: true });
  };
  const resumed = options.resume && path.resolve(path.dirname(options.resume)) === path.resolve(directory);
  const earlier = (await readdir(directory)).filter((name) => REPORT_FILE.test(name));
  if (earlier.length > 0 && !resumed && !options.force) {
    await abandon();
    throw new OrtbenchError(ErrorCode.INVALID_ARGUMENT, `--out ${directory}: already holds another run's reports (${earlier.slice(0, 3).join(', ')}${earlier.length > 3 ? ', …' : ''}); choose a new folder, or --force to replace them`);
  }
  return {
    directory,
    async pruneStale(written) {
      const keep = new Set(written.map((file) => path.basename(file)));
      for (const name of await readdir(directory)) if (REPORT_FILE.test(name) && !keep.has(name)) await rm(path.join(directory, name), { force: true });
    },
    release,
    abandon,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Where measured results go when their folder cannot take them: a file in the temporary
 * folder, so that a failed write never loses what was measured.
 */
export async function saveFallback(serialized: string): Promise<string> {
  const file = path.join(os.tmpdir(), `ortbench-results-${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}.json`);
  await writeFile(file, serialized);
  return file;
}
