import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ortbench/core';
import { BertTokenizer } from '../src/index';
import { SHARED } from '@ortbench/tools/test-support/shared-data';

const directory = await mkdtemp(path.join(os.tmpdir(), 'ortbench-vocab-'));
afterAll(() => rm(directory, { recursive: true, force: true }));
const ids = (values: BigInt64Array) => Array.from(values, Number);

describe.skipIf(!SHARED)('BERT tokenisation gives the reference ids', async () => {
  const uncased = await BertTokenizer.fromFile(path.join(SHARED!, 'vocab/bert-base-uncased/vocab.txt'));
  const chinese = await BertTokenizer.fromFile(path.join(SHARED!, 'vocab/bert-base-chinese/vocab.txt'));

  it('bert-base-uncased: "hello world" → 101 7592 2088 102, word pieces, accents stripped', () => {
    expect(ids(uncased.encode('hello world').inputIds)).toEqual([101, 7592, 2088, 102]);
    expect(ids(uncased.encode('Hello World').inputIds)).toEqual([101, 7592, 2088, 102]);
    expect(uncased.tokenize('Unbelievably, tokenization works. Café!')).toEqual(['un', '##bel', '##ie', '##va', '##bly', ',', 'token', '##ization', 'works', '.', 'cafe', '!']);
  });

  it('bert-base-chinese: CJK characters split one by one', () => {
    expect(ids(chinese.encode('你好，世界！今天天气很好。').inputIds)).toEqual([101, 872, 1962, 8024, 686, 4518, 8013, 791, 1921, 1921, 3698, 2523, 1962, 511, 102]);
  });

  it('encodes pairs with token types and pads a batch to the longest row', () => {
    const e = uncased.encode([['hello', 'world'], 'hello world again']);
    expect(e.dims).toEqual([2, 5]);
    expect(ids(e.inputIds)).toEqual([101, 7592, 102, 2088, 102, 101, 7592, 2088, 2153, 102]);
    expect(ids(e.tokenTypeIds)).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    expect(ids(e.attentionMask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const padded = uncased.encode(['hello', 'hello world'], { padding: 'max-length', maxLength: 6 });
    expect(ids(padded.inputIds)).toEqual([101, 7592, 102, 0, 0, 0, 101, 7592, 2088, 102, 0, 0]);
    expect(ids(padded.attentionMask)).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0]);
  });

  it('truncates the longer text of a pair first, keeping both [SEP]s', () => {
    const e = uncased.encode([['one two three four five six', 'seven']], { maxLength: 7 });
    expect(e.tokens[0]).toEqual(['[CLS]', 'one', 'two', 'three', '[SEP]', 'seven', '[SEP]']);
  });

  it("checks lengths against the model's position limit", () => {
    const long = 'word '.repeat(600);
    expect(uncased.encode(long).dims).toEqual([1, 512]);
    expect(() => uncased.encode(long, { truncation: false })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('602 tokens, above the limit of 512') }));
    expect(() => uncased.encode('hi', { maxLength: 513 })).toThrow(/maxLength 513 exceeds the model's 512 positions/);
  });
});

describe('tokenizer files', () => {
  it('detects a cased vocabulary and keeps case', async () => {
    const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'Hello', 'hello', 'world'].join('\n');
    const cased = BertTokenizer.fromVocab(vocab);
    expect(ids(cased.encode('Hello world').inputIds)).toEqual([2, 5, 7, 3]);
    expect(ids(BertTokenizer.fromVocab(vocab, { lowercase: true }).encode('Hello world').inputIds)).toEqual([2, 6, 7, 3]);
  });

  it('reads a Hugging Face tokenizer.json', async () => {
    const vocab = Object.fromEntries(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'play', '##ing', 'ball'].map((t, i) => [t, i]));
    const file = path.join(directory, 'tokenizer.json');
    await writeFile(
      file,
      JSON.stringify({
        version: '1.0',
        added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content, id) => ({ id, content, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false })),
        normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
        pre_tokenizer: { type: 'BertPreTokenizer' },
        model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
        post_processor: {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
          pair: [],
          special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
        },
        decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      }),
    );
    const tokenizer = await BertTokenizer.fromFile(file);
    expect(tokenizer.encode('Playing ball').tokens[0]).toEqual(['[CLS]', 'play', '##ing', 'ball', '[SEP]']);
    expect(ids(tokenizer.encode('Playing ball').inputIds)).toEqual([2, 5, 6, 7, 3]);
  });

  it('refuses missing, empty and special-less vocabularies', async () => {
    await expect(BertTokenizer.fromFile(path.join(directory, 'none.txt'))).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND });
    const empty = path.join(directory, 'empty.txt');
    await writeFile(empty, '\n');
    await expect(BertTokenizer.fromFile(empty)).rejects.toMatchObject({ code: ErrorCode.VOCAB_INVALID, message: expect.stringContaining(empty) });
    expect(() => BertTokenizer.fromVocab('a\nb\nc', {}, 'tiny.txt')).toThrow(/tiny\.txt: the vocabulary has no \[PAD\] token/);
    const broken = path.join(directory, 'broken.json');
    await writeFile(broken, '{"model": {}}');
    await expect(BertTokenizer.fromFile(broken)).rejects.toMatchObject({ code: ErrorCode.VOCAB_INVALID, message: expect.stringContaining('broken.json: not a usable tokenizer.json') });
  });
});
