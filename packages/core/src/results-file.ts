import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write';
import { ErrorCode, OrtbenchError } from './errors';
import type { ResultsDocument } from './schema';
import { parseResults, serializeResults } from './schema';

/** Reads and validates a results file; errors name the file. */
export async function readResultsFile(file: string): Promise<ResultsDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a results file' : (error as Error).message;
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `${file}: ${problem}`);
  }
  return parseResults(text, file);
}

/** Validates and writes a results document atomically. */
export async function writeResultsFile(file: string, document: ResultsDocument): Promise<void> {
  await writeFileAtomic(file, serializeResults(document));
}
