import type { Command } from 'commander';

/** `ortbench env`: this machine, the versions in use, and every runner's availability. */
export function registerEnvCommand(program: Command): void {
  program
    .command('env')
    .description('show the machine, package versions and which runners can run here')
    .option('--json', 'print JSON on stdout instead of a table')
    .addHelpText('after', '\nExamples:\n  $ ortbench env\n  $ ortbench env --json | jq .runners')
    .action(async (flags: { json?: boolean }) => (await import('../actions/env')).showEnvironment(flags));
}
