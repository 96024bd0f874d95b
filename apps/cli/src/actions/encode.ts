import type { Tensor } from '@ortbench/core';
import { InvalidArgumentError } from '@ortbench/core';
import { bertFeeds, BertTokenizer } from '@ortbench/preprocess';
import type { EncodeFlags } from '../commands/encode';
import { resolveModel } from '../model-source';
import { createDefaultRegistry } from '../registry';

/** `ortbench encode`: tokenise texts, run the encoder, and summarise what came out. */
export async function encode(texts: string[], flags: EncodeFlags): Promise<void> {
  const vocabulary = flags.tokenizer ?? flags.vocab;
  if (!vocabulary) throw new InvalidArgumentError('--vocab FILE (a BERT vocab.txt) or --tokenizer FILE (a tokenizer.json) is required');
  const tokenizer = await BertTokenizer.fromFile(vocabulary);
  const encoding = tokenizer.encode(texts, { ...(flags.maxLength ? { maxLength: flags.maxLength } : {}) });
  const model = await resolveModel(flags.model);
  if (model.preset) process.stderr.write(`warning: the built-in ${model.preset} has random weights: shapes and speed are real, the vectors mean nothing\n`);
  const session = await (await (await createDefaultRegistry()).resolve(flags.runner)).load(model.path);
  try {
    const start = performance.now();
    const { outputs } = await session.run(bertFeeds(session.inputs, encoding));
    const ms = performance.now() - start;
    const rows = texts.map((text, i) => ({
      text,
      tokens: encoding.tokens[i]!.filter((t) => t !== '[PAD]'),
      ids: Array.from(encoding.inputIds.subarray(i * encoding.dims[1], (i + 1) * encoding.dims[1]), Number).filter((_, k) => encoding.attentionMask[i * encoding.dims[1] + k] === 1n),
    }));
    const shapes = Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, t.dims]));
    const pooled = outputs.pooler_output ?? Object.values(outputs).at(-1)!;
    const summaries = texts.map((_, i) => summarise(pooled, i));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ inputs: rows, outputs: shapes, pooled: summaries, ms }, null, 2)}\n`);
      return;
    }
    const lines: string[] = [];
    rows.forEach((row, i) => {
      const s = summaries[i]!;
      lines.push(`"${row.text}"`, `  tokens  ${row.tokens.join(' ')}`, `  ids     ${row.ids.join(' ')}`, `  pooled  [${s.head.map((v) => v.toFixed(4)).join(', ')}, …]  norm ${s.norm.toFixed(4)}  mean ${s.mean.toFixed(4)}  sd ${s.sd.toFixed(4)}`, '');
    });
    lines.push(`outputs ${Object.entries(shapes).map(([name, dims]) => `${name} [${dims.join(', ')}]`).join(', ')} in ${ms.toFixed(1)} ms on ${session.info.runner}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await session.dispose();
  }
}

function summarise(tensor: Tensor, row: number): { head: number[]; norm: number; mean: number; sd: number } {
  const width = tensor.dims.at(-1)!;
  const stride = tensor.data.length / (tensor.dims[0] ?? 1);
  const values = Array.from((tensor.data as Float32Array).subarray(row * stride, row * stride + width));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { head: values.slice(0, 5), norm: Math.sqrt(values.reduce((a, b) => a + b * b, 0)), mean, sd };
}
