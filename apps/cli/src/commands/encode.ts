import type { Command } from 'commander';
import { positiveInteger } from '@ortbench/core';
import type { CliContext } from '../context';
import { print, printJson, warn } from '../output';

/** `ortbench encode`. */
export function registerEncodeCommand(program: Command, cli: CliContext): void {
  program
    .command('encode <texts...>')
    .description('BERT: tokenise texts and run the encoder: tokens, ids, output shapes and a summary of the pooled vector')
    .option('--vocab <file>', 'a BERT vocab.txt (uncased, cased or Chinese)')
    .option('--tokenizer <file>', 'a Hugging Face tokenizer.json')
    .option('--model <model>', 'a built-in BERT or an .onnx file', 'bert')
    .option('--runner <name>', 'runner to use', 'node-cpu')
    .option('--max-length <n>', 'truncate rows to this many tokens', (v) => positiveInteger(v, '--max-length'))
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench encode "hello world" --vocab vocab.txt\n  $ ortbench encode "你好，世界！" --vocab bert-base-chinese/vocab.txt --model bert-base-chinese')
    .action(async (texts: string[], flags: { vocab?: string; tokenizer?: string; model: string; runner: string; maxLength?: number; json?: boolean }) => {
      const { encodeTexts, formatEncoding } = await import('@ortbench/tasks');
      const { vocab, tokenizer, json, ...rest } = flags;
      const encoding = await encodeTexts(texts, { ...rest, vocabulary: tokenizer ?? vocab ?? '', plugins: cli.plugins(), onWarning: warn });
      if (json) printJson({ inputs: encoding.inputs, outputs: encoding.outputs, pooled: encoding.pooled, ms: encoding.ms });
      else print(formatEncoding(encoding));
    });
}
