import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `ortbench report` and `ortbench compare`: re-render a results file, or compare two. */
export function registerReportCommands(program: Command, cli: CliContext): void {
  program
    .command('report <results>')
    .description('re-render a results.json as tables, files and charts')
    .option('--out <dir>', 'write the reports here (default: beside the results file)')
    .option('--format <list>', 'formats to write: json, csv, md, html, svg, png', 'csv,md,html,svg,png')
    .addHelpText('after', '\nExamples:\n  $ ortbench report ortbench-results/resnet50-20261122-055310/results.json\n  $ ortbench report results.json --out charts --format svg,png')
    .action(async (file: string, flags: { out?: string; format: string }) => (await import('../actions/report')).renderReport(file, flags));

  program
    .command('compare <baseline> [candidate]')
    .description('compare two results files (or two machines of one fleet sweep): ratio of medians with a 95 % CI and a Mann-Whitney U test per configuration')
    .option('--machines <base,candidate>', 'compare two workers of one --each-worker results file (give one file)')
    .option('--fail-above <percent>', 'exit 1 when any configuration is this much slower (e.g. 5%), significantly', '5%')
    .option('--fail-above-memory <percent>', 'compare peak memory too: exit 1 when any configuration needs this much more (e.g. 10%) or started leaking')
    .option('--allow-missing', 'do not fail when configurations of the baseline are missing from the candidate')
    .option('--json', 'print the comparison as JSON on stdout')
    .addHelpText('after', '\nExit code 1 when a regression beyond --fail-above is found, a configuration needs more peak memory than --fail-above-memory allows (or started leaking), or a configuration errored in (or is missing from) the candidate: use it to gate CI. Exit code 2 when the runs have no configuration in common.\n\nExamples:\n  $ ortbench compare before/results.json after/results.json\n  $ ortbench compare main.json branch.json --fail-above 10%\n  $ ortbench compare main.json branch.json --fail-above-memory 10%\n  $ ortbench compare fleet/results.json --machines cpu-old,cpu-new')
    .action(async (a: string, b: string | undefined, flags: { failAbove: string; failAboveMemory?: string; allowMissing?: boolean; json?: boolean; machines?: string }) => cli.setExitCode(await (await import('../actions/report')).compareFiles(a, b, flags)));
}
