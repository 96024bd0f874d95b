import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Tokenizer } from '@huggingface/tokenizers';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';

// @huggingface/tokenizers is required on first use, not imported: it costs ~70 ms of start-up that
// commands without text (classify, compare, report) should not pay. Its CommonJS build is the
// same code as its ES module.
let TokenizerClass: typeof Tokenizer | undefined;
function newTokenizer(json: object, config: object): Tokenizer {
  TokenizerClass ??= (createRequire(import.meta.url)('@huggingface/tokenizers') as { Tokenizer: typeof Tokenizer }).Tokenizer;
  return new TokenizerClass(json, config);
}

/** Token ids, attention mask and token type ids of a batch, each row-major [batch, sequence]. */
export interface BertEncoding {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  /** [batch, sequence] */
  dims: [number, number];
  /** The tokens of each row, padding included, for display. */
  tokens: string[][];
}

/** A single text, or a pair (question + context, sentence A + sentence B). */
export type TextInput = string | readonly [string, string];

/** Options for {@link BertTokenizer.encode}. */
export interface EncodeOptions {
  /** `longest`: pad to the longest row; `max-length`: pad every row to `maxLength`; `none`: rows must be equal. */
  padding?: 'longest' | 'max-length' | 'none';
  /** Row length limit, special tokens included. Default: the tokenizer's `maxPositions`. */
  maxLength?: number;
  /** Cut rows longer than `maxLength` (longest text of a pair first). When false, a long row is an error. Default true. */
  truncation?: boolean;
}

/** Options for building a tokenizer from a vocab.txt. */
export interface VocabOptions {
  /** Lower-case (and strip accents). Default: detected from the vocabulary (no upper-case word pieces → uncased). */
  lowercase?: boolean;
  /** The model's position limit (max_position_embeddings). Default 512. */
  maxPositions?: number;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/**
 * BERT WordPiece tokenisation by @huggingface/tokenizers, from a local vocab.txt or
 * tokenizer.json — never the network. CJK characters are split one by one, as
 * bert-base-chinese expects.
 */
export class BertTokenizer {
  readonly maxPositions: number;
  readonly #tokenizer: Tokenizer;
  readonly #ids: Record<(typeof SPECIALS)[number], number>;

  private constructor(tokenizer: Tokenizer, maxPositions: number, source: string) {
    this.#tokenizer = tokenizer;
    this.maxPositions = maxPositions;
    const id = (token: string) => {
      const value = tokenizer.token_to_id(token);
      if (value === undefined) throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: the vocabulary has no ${token} token`);
      return value;
    };
    this.#ids = { '[PAD]': id('[PAD]'), '[UNK]': id('[UNK]'), '[CLS]': id('[CLS]'), '[SEP]': id('[SEP]'), '[MASK]': id('[MASK]') };
  }

  /** Builds a WordPiece tokenizer from the lines of a vocab.txt. */
  static fromVocab(vocabText: string, options: VocabOptions = {}, source = 'vocab.txt'): BertTokenizer {
    const { json, config } = wordPieceTokenizerJson(vocabText, options, source);
    return new BertTokenizer(newTokenizer(json, config), options.maxPositions ?? 512, source);
  }

  /** Builds a tokenizer from a Hugging Face tokenizer.json (and optional tokenizer_config.json) object. */
  static fromTokenizerJson(json: object, config: object = {}, maxPositions = 512, source = 'tokenizer.json'): BertTokenizer {
    let tokenizer: Tokenizer;
    try {
      tokenizer = newTokenizer(json, config);
    } catch (error) {
      throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: not a usable tokenizer.json (${firstLineOf(error)})`);
    }
    return new BertTokenizer(tokenizer, maxPositions, source);
  }

  /** Reads a vocab.txt, or a tokenizer.json (by extension), from disk. Errors name the file. */
  static async fromFile(file: string, options: VocabOptions = {}): Promise<BertTokenizer> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new OrtbenchError(code === 'ENOENT' ? ErrorCode.FILE_NOT_FOUND : ErrorCode.VOCAB_INVALID, `${file}: ${code === 'ENOENT' ? 'no such vocabulary file' : (error as Error).message}`);
    }
    if (text.trim() === '') throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${file}: the vocabulary is empty`);
    if (!file.endsWith('.json')) return BertTokenizer.fromVocab(text, options, file);
    let json: object;
    try {
      json = JSON.parse(text) as object;
    } catch (error) {
      throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${file}: not valid JSON (${firstLineOf(error)})`);
    }
    return BertTokenizer.fromTokenizerJson(json, { do_lower_case: options.lowercase }, options.maxPositions ?? 512, file);
  }

  /** The id of a token, or undefined. */
  tokenId(token: string): number | undefined {
    return this.#tokenizer.token_to_id(token);
  }

  /** Word pieces of a text, without special tokens. */
  tokenize(text: string): string[] {
    return this.#tokenizer.tokenize(text, { add_special_tokens: false });
  }

  /**
   * Encodes a text, or a batch of texts and pairs (`[['question', 'context'], 'plain text']`),
   * as `[CLS] A [SEP] (B [SEP])` with attention mask and token types, padded.
   */
  encode(inputs: string | readonly TextInput[], options: EncodeOptions = {}): BertEncoding {
    const rows: readonly TextInput[] = typeof inputs === 'string' ? [inputs] : inputs;
    if (rows.length === 0) throw new InvalidArgumentError('nothing to encode');
    const maxLength = options.maxLength ?? this.maxPositions;
    if (!Number.isInteger(maxLength) || maxLength < 2) throw new InvalidArgumentError(`maxLength must be an integer ≥ 2, got ${maxLength}`);
    if (maxLength > this.maxPositions) {
      throw new InvalidArgumentError(`maxLength ${maxLength} exceeds the model's ${this.maxPositions} positions`);
    }
    const truncation = options.truncation ?? true;
    const encoded = rows.map((row, index) => this.#encodeRow(row, maxLength, truncation, index));
    const padding = options.padding ?? 'longest';
    const longest = Math.max(...encoded.map((r) => r.ids.length));
    if (padding === 'none' && encoded.some((r) => r.ids.length !== longest)) {
      throw new InvalidArgumentError('rows differ in length and padding is "none"');
    }
    const length = padding === 'max-length' ? maxLength : longest;
    const count = rows.length * length;
    const result: BertEncoding = {
      inputIds: new BigInt64Array(count).fill(BigInt(this.#ids['[PAD]'])),
      attentionMask: new BigInt64Array(count),
      tokenTypeIds: new BigInt64Array(count),
      dims: [rows.length, length],
      tokens: [],
    };
    encoded.forEach((row, r) => {
      for (let i = 0; i < row.ids.length; i++) {
        result.inputIds[r * length + i] = BigInt(row.ids[i] as number);
        result.attentionMask[r * length + i] = 1n;
        result.tokenTypeIds[r * length + i] = BigInt(row.types[i] as number);
      }
      result.tokens.push([...row.tokens, ...new Array<string>(length - row.tokens.length).fill('[PAD]')]);
    });
    return result;
  }

  #encodeRow(row: TextInput, maxLength: number, truncation: boolean, index: number): { ids: number[]; types: number[]; tokens: string[] } {
    const [textA, textB] = typeof row === 'string' ? [row, undefined] : row;
    const a = this.#tokenizer.encode(textA, { add_special_tokens: false });
    const b = textB === undefined ? undefined : this.#tokenizer.encode(textB, { add_special_tokens: false });
    const specials = b ? 3 : 2;
    let lengthA = a.ids.length;
    let lengthB = b?.ids.length ?? 0;
    if (lengthA + lengthB + specials > maxLength) {
      if (!truncation) {
        throw new InvalidArgumentError(`text ${index + 1} has ${lengthA + lengthB + specials} tokens, above the limit of ${maxLength} (allow truncation, or shorten it)`);
      }
      // Hugging Face's longest_first: drop from the longer text until the pair fits.
      while (lengthA + lengthB + specials > maxLength) {
        if (lengthA >= lengthB) lengthA--;
        else lengthB--;
      }
    }
    const cls = this.#ids['[CLS]'];
    const sep = this.#ids['[SEP]'];
    const ids = [cls, ...a.ids.slice(0, lengthA), sep];
    const tokens = ['[CLS]', ...a.tokens.slice(0, lengthA), '[SEP]'];
    const types = new Array<number>(ids.length).fill(0);
    if (b) {
      ids.push(...b.ids.slice(0, lengthB), sep);
      tokens.push(...b.tokens.slice(0, lengthB), '[SEP]');
      types.push(...new Array<number>(lengthB + 1).fill(1));
    }
    return { ids, types, tokens };
  }
}

/**
 * The tokenizer.json (and its tokenizer_config.json settings) of a BERT WordPiece vocabulary:
 * the standard BERT pipeline in Hugging Face's terms — what ortbench tokenises with, and what a
 * model folder it writes carries, so that transformers.js reads the same tokens.
 */
export function wordPieceTokenizerJson(vocabText: string, options: VocabOptions = {}, source = 'vocab.txt'): { json: Record<string, unknown>; config: { do_lower_case: boolean; model_max_length: number; clean_up_tokenization_spaces: boolean } } {
  const tokens = vocabText.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (tokens.at(-1) === '') tokens.pop();
  if (tokens.length === 0) throw new OrtbenchError(ErrorCode.VOCAB_INVALID, `${source}: the vocabulary is empty`);
  const vocab: Record<string, number> = {};
  tokens.forEach((token, index) => {
    vocab[token] ??= index;
  });
  const lowercase = options.lowercase ?? !tokens.some((t) => !/^\[.*\]$/.test(t) && /[A-Z]/.test(t));
  const addedTokens = SPECIALS.filter((t) => t in vocab).map((content) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  // The standard BERT pipeline, in tokenizer.json terms; the library does the work.
  const json = {
    version: '1.0',
    added_tokens: addedTokens,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const config = { do_lower_case: lowercase, model_max_length: options.maxPositions ?? 512, clean_up_tokenization_spaces: true };
  return { json, config };
}
