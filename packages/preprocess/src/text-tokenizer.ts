import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Tokenizer } from '@huggingface/tokenizers';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';
import type { BertEncoding } from './bert-tokenizer';

// Required on first use, as in bert-tokenizer.ts: commands without text should not load it.
let TokenizerClass: typeof Tokenizer | undefined;
function newTokenizer(json: object, config: object): Tokenizer {
  TokenizerClass ??= (createRequire(import.meta.url)('@huggingface/tokenizers') as { Tokenizer: typeof Tokenizer }).Tokenizer;
  return new TokenizerClass(json, config);
}

/** Options for {@link TextTokenizer.encode}. */
export interface TextEncodeOptions {
  /** Rows are cut to this many tokens (special tokens included), as transformers.js cuts them: from the end. */
  maxLength?: number;
}

/**
 * Tokenisation exactly as transformers.js prepares text for a model folder: any tokenizer the
 * Hugging Face tokenizer.json format describes (WordPiece, BPE, Unigram, …) with its own
 * normaliser, pre-tokeniser and post-processor (the special tokens of its template), then
 * transformers.js's truncation (the tail of a long row is cut, at `min(maxLength,
 * model_max_length)`) and padding to the longest row with the pad token (`pad_token`, else
 * `eos_token`) on `padding_side`.
 */
export class TextTokenizer {
  /** `model_max_length` of tokenizer_config.json, when it is a real limit (configs write 1e30 for none). */
  readonly modelMaxLength: number;
  readonly padTokenId: number | undefined;
  readonly paddingSide: 'left' | 'right';
  /** The tokenizer.json model type: WordPiece, BPE, Unigram, … */
  readonly type: string;
  readonly #tokenizer: Tokenizer;

  private constructor(tokenizer: Tokenizer, json: Record<string, unknown>, config: Record<string, unknown>, source: string) {
    this.#tokenizer = tokenizer;
    const limit = Number(config.model_max_length);
    this.modelMaxLength = Number.isFinite(limit) && limit > 0 && limit < 1e9 ? limit : Number.POSITIVE_INFINITY;
    const padToken = tokenFromConfig(config, 'pad_token', source) ?? tokenFromConfig(config, 'eos_token', source);
    this.padTokenId = padToken === undefined ? undefined : tokenizer.token_to_id(padToken);
    this.paddingSide = config.padding_side === 'left' ? 'left' : 'right';
    this.type = String((json.model as { type?: unknown } | undefined)?.type ?? 'unknown');
  }

  /** From a tokenizer.json object and its tokenizer_config.json settings. */
  static fromJson(json: Record<string, unknown>, config: Record<string, unknown> = {}, source = 'tokenizer.json'): TextTokenizer {
    let tokenizer: Tokenizer;
    try {
      tokenizer = newTokenizer(json, config);
    } catch (error) {
      throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: not a usable tokenizer.json (${firstLineOf(error)})`);
    }
    return new TextTokenizer(tokenizer, json, config, source);
  }

  /** Reads a tokenizer.json and, when given, its tokenizer_config.json. Errors name the file. */
  static async fromFiles(tokenizerFile: string, configFile?: string): Promise<TextTokenizer> {
    const json = await readJson(tokenizerFile);
    const config = configFile ? await readJson(configFile) : {};
    return TextTokenizer.fromJson(json, config, tokenizerFile);
  }

  /** Tokens of a text as the model sees them, special tokens included. */
  tokenize(text: string): string[] {
    return this.#tokenizer.encode(text).tokens;
  }

  /** The texts as one batch: ids, mask and token types, each row cut and padded as transformers.js does. */
  encode(texts: readonly string[], options: TextEncodeOptions = {}): BertEncoding {
    if (texts.length === 0) throw new InvalidArgumentError('nothing to encode');
    const rows = texts.map((text) => {
      const encoded = this.#tokenizer.encode(text, { add_special_tokens: true, return_token_type_ids: true });
      return { ids: encoded.ids, tokens: encoded.tokens, types: encoded.token_type_ids ?? new Array<number>(encoded.ids.length).fill(0) };
    });
    const limit = Math.min(options.maxLength ?? Number.POSITIVE_INFINITY, this.modelMaxLength);
    const length = Math.min(Math.max(...rows.map((r) => r.ids.length)), limit);
    if (rows.some((r) => r.ids.length < length) && this.padTokenId === undefined) {
      throw new OrtbenchError(ErrorCode.VOCAB_INVALID, 'the texts differ in length and the tokenizer has no pad token (pad_token or eos_token in tokenizer_config.json) to pad them with');
    }
    const count = texts.length * length;
    const encoding: BertEncoding = {
      inputIds: new BigInt64Array(count).fill(BigInt(this.padTokenId ?? 0)),
      attentionMask: new BigInt64Array(count),
      tokenTypeIds: new BigInt64Array(count),
      dims: [texts.length, length],
      tokens: [],
    };
    rows.forEach((row, r) => {
      const kept = Math.min(row.ids.length, length);
      const offset = r * length + (this.paddingSide === 'left' ? length - kept : 0);
      for (let i = 0; i < kept; i++) {
        encoding.inputIds[offset + i] = BigInt(row.ids[i]!);
        encoding.attentionMask[offset + i] = 1n;
        encoding.tokenTypeIds[offset + i] = BigInt(row.types[i]!);
      }
      const padding = new Array<string>(length - kept).fill('<pad>');
      const tokens = row.tokens.slice(0, kept);
      encoding.tokens.push(this.paddingSide === 'left' ? [...padding, ...tokens] : [...tokens, ...padding]);
    });
    return encoding;
  }
}

/** A special token of tokenizer_config.json: a string, or an AddedToken object's content. */
function tokenFromConfig(config: Record<string, unknown>, key: string, source: string): string | undefined {
  const item = config[key];
  if (!item) return undefined;
  if (typeof item === 'string') return item;
  const content = (item as { content?: unknown }).content;
  if (typeof content !== 'string') throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: tokenizer_config.json's ${key} is neither a string nor a token object with content`);
  return content;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OrtbenchError(code === 'ENOENT' ? ErrorCode.FILE_NOT_FOUND : ErrorCode.VOCAB_INVALID, `${file}: ${code === 'ENOENT' ? 'no such file' : firstLineOf(error)}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${file}: not valid JSON (${firstLineOf(error)})`);
  }
}
