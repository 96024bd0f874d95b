import type { Environment, RunnerStatus } from '@ortbench/core';
import { collectEnvironment } from '@ortbench/core/node';
import type { RunnerSource } from './registry';
import { runnerRegistry } from './registry';
import { textTable } from './text-table';
import { packageVersions } from './versions';

/** This machine, the versions in use, and every runner's availability (with the reason when not). */
export async function describeEnvironment(runners: RunnerSource = {}): Promise<{ environment: Environment; runners: RunnerStatus[] }> {
  return { environment: collectEnvironment(packageVersions()), runners: await (await runnerRegistry(runners)).report() };
}

/** The environment as text. */
export function formatEnvironment({ environment, runners }: Awaited<ReturnType<typeof describeEnvironment>>): string {
  const gib = (environment.memoryBytes / 2 ** 30).toFixed(1);
  return [
    `cpu      ${environment.cpu.model} (${environment.cpu.physicalCores} physical / ${environment.cpu.logicalCores} logical cores)`,
    `memory   ${gib} GiB`,
    `os       ${environment.os.platform} ${environment.os.release} ${environment.os.arch}`,
    `node     ${environment.node}`,
    ...Object.entries(environment.packages).map(([name, version]) => `package  ${name} ${version}`),
    '',
    textTable([['runner', 'available', 'details'], ...runners.map((r) => [r.name, r.available ? 'yes' : 'no', r.reason ?? ''])]),
  ].join('\n');
}
