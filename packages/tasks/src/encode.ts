import type { Tensor } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';
import { bertFeeds, BertTokenizer } from '@ortbench/preprocess';
import { resolveModel } from './model-source';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';

/** What `encodeTexts` needs besides the texts. */
export interface EncodeOptions extends RunnerSource {
  /** A BERT vocab.txt, or a Hugging Face tokenizer.json. */
  vocabulary: string;
  /** A built-in BERT or an .onnx file; default bert. */
  model?: string;
  runner?: string;
  /** Truncate rows to this many tokens. */
  maxLength?: number;
  onWarning?: (message: string) => void;
}

/** Texts → tokens and ids → the encoder's outputs, summarised per text. */
export interface Encoding {
  inputs: { text: string; tokens: string[]; ids: number[] }[];
  /** Every output's shape. */
  outputs: Record<string, readonly number[]>;
  /** The pooled output per text (pooler_output, or the last output): first values, norm, mean, sd. */
  pooled: { head: number[]; norm: number; mean: number; sd: number }[];
  /** Milliseconds of the one run. */
  ms: number;
  runner: string;
}

/**
 * BERT encode: tokenise texts (padding, truncation, attention mask as Hugging Face does) and run
 * the encoder once on them.
 *
 * @example
 *   const encoding = await encodeTexts(['hello world'], { vocabulary: 'vocab.txt', model: 'bert' });
 */
export async function encodeTexts(texts: readonly string[], options: EncodeOptions): Promise<Encoding> {
  if (!options.vocabulary) throw new InvalidArgumentError('--vocab FILE (a BERT vocab.txt) or --tokenizer FILE (a tokenizer.json) is required');
  const tokenizer = await BertTokenizer.fromFile(options.vocabulary);
  const encoding = tokenizer.encode([...texts], { ...(options.maxLength ? { maxLength: options.maxLength } : {}) });
  const model = await resolveModel(options.model ?? 'bert');
  if (model.preset) options.onWarning?.(`the built-in ${model.preset} has random weights: shapes and speed are real, the vectors mean nothing`);
  const session = await (await (await runnerRegistry(options)).resolve(options.runner ?? 'node-cpu')).load(model.path);
  try {
    const start = performance.now();
    const { outputs } = await session.run(bertFeeds(session.inputs, encoding));
    const ms = performance.now() - start;
    const width = encoding.dims[1];
    const inputs = texts.map((text, i) => ({
      text,
      tokens: encoding.tokens[i]!.filter((t) => t !== '[PAD]'),
      ids: Array.from(encoding.inputIds.subarray(i * width, (i + 1) * width), Number).filter((_, k) => encoding.attentionMask[i * width + k] === 1n),
    }));
    const pooled = outputs.pooler_output ?? Object.values(outputs).at(-1)!;
    return {
      inputs,
      outputs: Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, t.dims])),
      pooled: texts.map((_, i) => summarise(pooled, i)),
      ms,
      runner: session.info.runner,
    };
  } finally {
    await session.dispose();
  }
}

/** The encoding as text: tokens, ids and the pooled summary per text, then the output shapes. */
export function formatEncoding(encoding: Encoding): string {
  const lines: string[] = [];
  encoding.inputs.forEach((row, i) => {
    const s = encoding.pooled[i]!;
    lines.push(`"${row.text}"`, `  tokens  ${row.tokens.join(' ')}`, `  ids     ${row.ids.join(' ')}`, `  pooled  [${s.head.map((v) => v.toFixed(4)).join(', ')}, …]  norm ${s.norm.toFixed(4)}  mean ${s.mean.toFixed(4)}  sd ${s.sd.toFixed(4)}`, '');
  });
  lines.push(`outputs ${Object.entries(encoding.outputs).map(([name, dims]) => `${name} [${dims.join(', ')}]`).join(', ')} in ${encoding.ms.toFixed(1)} ms on ${encoding.runner}`);
  return lines.join('\n');
}

function summarise(tensor: Tensor, row: number): { head: number[]; norm: number; mean: number; sd: number } {
  const width = tensor.dims.at(-1)!;
  const stride = tensor.data.length / (tensor.dims[0] ?? 1);
  const values = Array.from((tensor.data as Float32Array).subarray(row * stride, row * stride + width));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { head: values.slice(0, 5), norm: Math.sqrt(values.reduce((a, b) => a + b * b, 0)), mean, sd };
}
