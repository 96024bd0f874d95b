import { readFile } from 'node:fs/promises';
import type { Feeds, ValueInfo } from '@ortbench/core';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { BertEncoding, HfImageSteps } from '@ortbench/preprocess';
import { bertFeeds, BertTokenizer, readHfImageSteps, TextTokenizer } from '@ortbench/preprocess';
import type { ModelFolder } from './model-folder';

/**
 * The sentences a model folder's text variants are compared on when no `--texts` is given:
 * short and long, cased, with punctuation, digits, accents and a question — stated as "8
 * built-in sentences" wherever the figures are reported.
 */
export const SAMPLE_TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'Which file should we ship to the browser, and how much slower is it on a phone?',
  'ONNX Runtime executes the same graph on CPUs, GPUs and in WebAssembly.',
  'I loved this film: the acting was superb, the ending less so.',
  'Café au lait costs €3.50 in Paris — naïve tourists pay more.',
  'Quantised weights shrink the download four-fold, but do the answers stay the same?',
  'Error 404: the page you requested (https://example.com/a/b) was not found.',
  'It rained all day in 2026, so the match was moved to Sunday at 14:30.',
] as const;

/** Texts → ids, mask and token types, as the folder's own tokenizer prepares them. */
export interface FolderTokenizer {
  /** `tokenizer.json (BPE)`, `vocab.txt (WordPiece)`: what the ids come from. */
  source: string;
  encode(texts: readonly string[], maxLength?: number): BertEncoding;
}

/**
 * The folder's tokenizer: tokenizer.json (any type, with tokenizer_config.json) as transformers.js
 * reads it, else a BERT vocab.txt; undefined when it has neither.
 */
export async function folderTokenizer(folder: ModelFolder): Promise<FolderTokenizer | undefined> {
  if (folder.files.tokenizer) {
    const tokenizer = await TextTokenizer.fromFiles(folder.files.tokenizer, folder.files.tokenizerConfig);
    return { source: `tokenizer.json (${tokenizer.type})`, encode: (texts, maxLength) => tokenizer.encode(texts, maxLength ? { maxLength } : {}) };
  }
  if (folder.files.vocab) {
    const positions = maxPositionsOf(folder);
    const tokenizer = await BertTokenizer.fromFile(folder.files.vocab, positions ? { maxPositions: positions } : {});
    return { source: 'vocab.txt (WordPiece)', encode: (texts, maxLength) => tokenizer.encode([...texts], maxLength ? { maxLength } : {}) };
  }
  return undefined;
}

/** The folder's image steps from preprocessor_config.json, when it has one. */
export async function folderImageSteps(folder: ModelFolder | undefined): Promise<HfImageSteps | undefined> {
  return folder?.files.preprocessor ? readHfImageSteps(folder.files.preprocessor) : undefined;
}

/**
 * The longest sequence the folder's model takes, from config.json: max_position_embeddings (less
 * the two positions RoBERTa-family models reserve for padding).
 */
export function maxPositionsOf(folder: ModelFolder): number | undefined {
  const positions = folder.config?.max_position_embeddings;
  if (typeof positions !== 'number' || !Number.isInteger(positions) || positions < 2) return undefined;
  const type = String(folder.config?.model_type ?? '');
  return /^(roberta|xlm-roberta|camembert|longformer|bart|mbart)$/.test(type) ? positions - 2 : positions;
}

/** A `--texts` file: one text per line, blank lines skipped; an empty or unreadable file is an error naming it. */
export async function readTexts(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new OrtbenchError(missing ? ErrorCode.FILE_NOT_FOUND : ErrorCode.INVALID_ARGUMENT, `--texts ${file}: ${missing ? 'no such file' : firstLineOf(error)}`);
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new InvalidArgumentError(`--texts ${file}: no text in it (one text per line)`);
  return lines;
}

/** Feeds of real texts, one set per text (batch 1: no padding to pool over), and what they are. */
export interface TextFeeds {
  feeds: Feeds[];
  description: string;
}

/**
 * Each text as its own batch of one, tokenised by the folder's tokenizer up to the model's
 * positions and mapped onto the model's ids / mask / token-type inputs. Undefined, with the
 * reason, when the model takes inputs a tokenizer does not give (a decoder's past, positions).
 */
export function textFeeds(inputs: readonly ValueInfo[], tokenizer: FolderTokenizer, texts: readonly string[], what: string, maxLength?: number): TextFeeds | { unavailable: string } {
  const feeds: Feeds[] = [];
  try {
    for (const text of texts) feeds.push(bertFeeds(inputs, tokenizer.encode([text], maxLength)));
  } catch (error) {
    if (error instanceof OrtbenchError && error.code === ErrorCode.INPUT_MISMATCH) return { unavailable: `texts cannot be fed: ${error.message}` };
    throw error;
  }
  return { feeds, description: `${what}, tokenised by the folder's ${tokenizer.source}` };
}
