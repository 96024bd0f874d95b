import { Command, CommanderError } from 'commander';
import { isOrtbenchError } from '@ortbench/core';
import { createRequire } from 'node:module';
import { registerAbCommand } from './commands/ab';
import { registerBenchCommand } from './commands/bench';
import { registerClassifyCommand } from './commands/classify';
import { registerEncodeCommand } from './commands/encode';
import { registerEnvCommand } from './commands/env';
import { registerEvalCommand } from './commands/eval';
import { registerModelsCommand } from './commands/models';
import { registerPreprocessCommand } from './commands/preprocess';
import { registerReportCommands } from './commands/report';
import { registerTuneCommand } from './commands/tune';
import { registerVerifyCommand } from './commands/verify';
import { registerWorkerCommand } from './commands/worker';
import type { CliContext } from './context';
import { EXIT, exitCodeFor } from './exit-codes';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Builds the `ortbench` program. */
export function createProgram(setExitCode: (code: number) => void = () => {}): Command {
  let plugins: string[] = [];
  const cli: CliContext = { plugins: () => plugins, setExitCode };
  const program = new Command('ortbench')
    .description('Benchmark and verify ONNX models on ONNX Runtime (Node CPU, Node GPU, web).')
    .version(version, '-V, --version')
    .option('--verbose', 'print stack traces with errors')
    .option('--plugin <file>', 'load runners from a module exporting register(registry) or a default runner (repeatable)', (file: string, list: string[] = []) => [...list, file])
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text), outputError: (text, write) => write(usageLine(text)) })
    .hook('preAction', (command) => {
      plugins = (command.opts() as { plugin?: string[] }).plugin ?? [];
    });
  registerBenchCommand(program, cli);
  registerAbCommand(program, cli);
  registerClassifyCommand(program, cli);
  registerEncodeCommand(program, cli);
  registerEnvCommand(program, cli);
  registerEvalCommand(program, cli);
  registerPreprocessCommand(program, cli);
  registerModelsCommand(program);
  registerVerifyCommand(program, cli);
  registerReportCommands(program, cli);
  registerTuneCommand(program, cli);
  registerWorkerCommand(program, cli);
  listDefaultsAsFlags(program);
  program.addHelpText('after', '\nExamples:\n  $ ortbench bench resnet50\n  $ ortbench env\n  $ ortbench models inspect resnet50 --batch 8\n  $ ortbench verify resnet50-tiny --runner node-cpu,web-wasm,browser');
  return program;
}

/** Help shows a list default as it is typed (`1,2,4`), not as JSON (`[1,2,4]`). */
function listDefaultsAsFlags(command: Command): void {
  for (const option of command.options) {
    if (Array.isArray(option.defaultValue) && option.defaultValueDescription === undefined) option.defaultValueDescription = option.defaultValue.join(',');
  }
  for (const sub of command.commands) listDefaultsAsFlags(sub);
}

/**
 * Commander's usage errors ("error: unknown option '--dimm'" and its "(Did you mean --dim?)")
 * as the one line every other error is: `ortbench: INVALID_ARGUMENT: …`.
 */
export function usageLine(text: string): string {
  const [first = '', ...rest] = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const hints = rest.map((line) => line.replace(/^\((.*)\)$/, '$1')).map((line) => line.charAt(0).toLowerCase() + line.slice(1));
  return `ortbench: INVALID_ARGUMENT: ${first.replace(/^error:\s*/, '')}${hints.length ? ` (${hints.join('; ')})` : ''}; run ortbench --help for usage\n`;
}

/**
 * Runs the CLI and returns its exit code. Errors become one line on stderr
 * (`ortbench: CODE: message`); the stack trace only with --verbose.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram((code) => (exitCode = Math.max(exitCode, code)));
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message; --help and --version end here too.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const verbose = argv.includes('--verbose');
    if (isOrtbenchError(error)) {
      process.stderr.write(`ortbench: ${error.code}: ${error.message}\n`);
      if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
      return exitCodeFor(error.code);
    }
    const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
    process.stderr.write(`ortbench: INTERNAL: ${message}${verbose ? '' : ' (run with --verbose for details)'}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.runtime;
  }
}
