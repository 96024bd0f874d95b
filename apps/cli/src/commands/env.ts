import type { Command } from 'commander';
import type { CliContext } from '../context';
import { print, printJson } from '../output';

/** `ortbench env`: this machine, the versions in use, and every runner's availability. */
export function registerEnvCommand(program: Command, cli: CliContext): void {
  program
    .command('env')
    .description('show the machine, package versions and which runners can run here')
    .option('--json', 'print JSON on stdout instead of a table')
    .addHelpText('after', '\nExamples:\n  $ ortbench env\n  $ ortbench env --json | jq .runners')
    .action(async (flags: { json?: boolean }) => {
      const { describeEnvironment, formatEnvironment } = await import('@ortbench/tasks');
      const description = await describeEnvironment({ plugins: cli.plugins() });
      if (flags.json) printJson(description);
      else print(formatEnvironment(description));
    });
}
