import { collectEnvironment } from '@ortbench/core/node';
import type { Command } from 'commander';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';
import { packageVersions } from '../versions';

/** `ortbench env`: this machine, the versions in use, and every runner's availability. */
export function registerEnvCommand(program: Command): void {
  program
    .command('env')
    .description('show the machine, package versions and which runners can run here')
    .option('--json', 'print JSON on stdout instead of a table')
    .addHelpText('after', '\nExamples:\n  $ ortbench env\n  $ ortbench env --json | jq .runners')
    .action(async (options: { json?: boolean }) => {
      const environment = collectEnvironment(packageVersions());
      const runners = await createDefaultRegistry().report();
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ environment, runners }, null, 2)}\n`);
        return;
      }
      const gib = (environment.memoryBytes / 2 ** 30).toFixed(1);
      const lines = [
        `cpu      ${environment.cpu.model} (${environment.cpu.physicalCores} physical / ${environment.cpu.logicalCores} logical cores)`,
        `memory   ${gib} GiB`,
        `os       ${environment.os.platform} ${environment.os.release} ${environment.os.arch}`,
        `node     ${environment.node}`,
        ...Object.entries(environment.packages).map(([name, version]) => `package  ${name} ${version}`),
        '',
        table([['runner', 'available', 'details'], ...runners.map((r) => [r.name, r.available ? 'yes' : 'no', r.reason ?? ''])]),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
