import { collectEnvironment } from '@ortbench/core/node';
import { createDefaultRegistry } from '../registry';
import { table } from '../table';
import { packageVersions } from '../versions';

/** `ortbench env`: this machine, the versions in use, and every runner's availability. */
export async function showEnvironment(flags: { json?: boolean }): Promise<void> {
  const environment = collectEnvironment(packageVersions());
  const runners = await (await createDefaultRegistry()).report();
  if (flags.json) {
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
}
