/**
 * Hand-made Hugging Face tokenizer.json files of the kinds real model folders carry — a byte-level
 * BPE (GPT-2 / RoBERTa) and a SentencePiece-style Unigram (T5, XLM-R) — trained here on a small
 * corpus, so tests can tokenise with tokenizers other than BERT's WordPiece without downloads.
 */

/** Sentences to train on and to tokenise. */
export const SAMPLE_CORPUS = [
  'The quick brown fox jumps over the lazy dog.',
  'ONNX Runtime runs the same model on every device.',
  'Which variant should we ship: fp32, fp16 or int8?',
  'Tokenizers split words into pieces the model knows.',
  'the the the of of and and to to in is it that',
  'Café naïve résumé — unicode and emoji 🙂 too.',
];

/** GPT-2's bytes_to_unicode: each byte as a printable character. */
function byteCharacters(): string[] {
  const printable = new Set<number>();
  for (let b = 33; b <= 126; b++) printable.add(b);
  for (let b = 161; b <= 172; b++) printable.add(b);
  for (let b = 174; b <= 255; b++) printable.add(b);
  let extra = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable.has(b) ? b : 256 + extra++));
}

/**
 * A byte-level BPE tokenizer.json with RoBERTa's `<s> A </s>` template: 256 byte symbols plus
 * `merges` pair merges learned greedily from `corpus` (GPT-2's pre-tokenisation: words keep their
 * leading space as `Ġ`).
 */
export function byteLevelBpeTokenizerJson(corpus: readonly string[] = SAMPLE_CORPUS, merges = 120): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const bytes = byteCharacters();
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const vocab: Record<string, number> = {};
  for (const token of [...specials, ...bytes]) vocab[token] ??= Object.keys(vocab).length;
  const encoder = new TextEncoder();
  const words = corpus.flatMap((line) => line.match(/ ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu) ?? []).map((word) => Array.from(encoder.encode(word), (b) => bytes[b]!));
  const learned: string[] = [];
  for (let m = 0; m < merges; m++) {
    const counts = new Map<string, number>();
    for (const word of words) for (let i = 0; i + 1 < word.length; i++) counts.set(`${word[i]} ${word[i + 1]}`, (counts.get(`${word[i]} ${word[i + 1]}`) ?? 0) + 1);
    const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (!best || best[1] < 2) break;
    const [left, right] = best[0].split(' ') as [string, string];
    learned.push(best[0]);
    vocab[left + right] ??= Object.keys(vocab).length;
    for (const word of words) {
      for (let i = 0; i + 1 < word.length; i++) if (word[i] === left && word[i + 1] === right) word.splice(i, 2, left + right);
    }
  }
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', vocab['</s>']], cls: ['<s>', vocab['<s>']], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: learned },
  };
  const config = { tokenizer_class: 'RobertaTokenizer', bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>', model_max_length: 512, add_prefix_space: false };
  return { json, config };
}

/**
 * A SentencePiece-style Unigram tokenizer.json (Metaspace `▁`, T5's `A </s>` template): every
 * character of `corpus` and its frequent words, scored by log frequency.
 */
export function unigramTokenizerJson(corpus: readonly string[] = SAMPLE_CORPUS): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const specials: [string, number][] = [
    ['<pad>', 0],
    ['</s>', 0],
    ['<unk>', 0],
  ];
  const counts = new Map<string, number>();
  for (const line of corpus) {
    for (const word of line.split(/\s+/).filter(Boolean)) {
      const piece = `▁${word}`;
      counts.set(piece, (counts.get(piece) ?? 0) + 1);
      for (const character of piece) counts.set(character, (counts.get(character) ?? 0) + 2);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const pieces = [...counts].filter(([piece, count]) => [...piece].length === 1 || count >= 2).map(([piece, count]): [string, number] => [piece, Math.log(count / total)]);
  const vocab = [...specials, ...pieces];
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(([content], id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab, byte_fallback: false },
  };
  const config = { tokenizer_class: 'T5Tokenizer', eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>', model_max_length: 512 };
  return { json, config };
}
