import type { Command } from 'commander';
import { positiveInteger } from '../parse';

/** Flags of `ortbench encode`. */
export interface EncodeFlags {
  vocab?: string;
  tokenizer?: string;
  model: string;
  runner: string;
  maxLength?: number;
  json?: boolean;
}

/** `ortbench encode`. */
export function registerEncodeCommand(program: Command): void {
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
    .action(async (texts: string[], flags: EncodeFlags) => (await import('../actions/encode')).encode(texts, flags));
}
