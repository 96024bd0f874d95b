import type { Command } from 'commander';
import { InvalidArgumentError } from '@ortbench/core';
import type { CliContext } from '../context';

// Listed in the help without loading the tasks package (and its runtimes) just to print it.
export const PRESET_NAMES = ['seed-resnet50', 'seed-bert', 'fixed-vs-dynamic', 'throughput-curve', 'seed-000', 'seed-003', 'seed-004'];

/** Repeatable flags: every occurrence, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `ortbench bench`: a sweep of runners × batch sizes × sequence lengths × threads on one model. */
export function registerBenchCommand(program: Command, cli: CliContext): void {
  program
    .command('bench [model]')
    .description('benchmark a model (resnet50, bert, another built-in, an .onnx file, or a model folder with one file per variant) over runners, batch sizes, sequence lengths and threads')
    .option('--runner <names>', 'comma-separated runners (default node-cpu)')
    .option('--batch <list>', 'batch sizes, e.g. 1,2,4,8')
    .option('--seq <list>', 'sequence lengths for token models, e.g. 32,128 (default 32,128; refused for a model with no sequence axis)')
    .option('--dim <name=values>', 'a symbolic dimension\'s value(s), by name or input:axis when unnamed; a list is an axis (e.g. --dim height=320,640); repeatable', collect)
    .option('--shape <input=AxB>', 'an input\'s whole shape (e.g. --shape images=1x3x640x640; a list is an axis); repeatable', collect)
    .option('--input <name=value>', 'the value every element of an input takes, e.g. a sample rate or a flag (--input sr=16000); repeatable', collect)
    .option('--inputs <file|dir>', 'feed real arrays: a NumPy .npz (one array per input), a .npy (the first input), or a folder of <input>.npy files')
    .option('--vocab-size <n>', 'the vocabulary of ids inputs whose embedding table ortbench cannot find in the model')
    .option('--threads <list>', 'intra-op threads to sweep (default: each runner sets the physical core count)')
    .option('--opt-level <list>', 'ONNX Runtime graph optimisation levels to sweep: disabled, basic, extended, all (e.g. disabled,all: the seeds\' "ONNX" and "ONNX opt" columns)')
    .option('--component <name>', "a model folder's graph to measure: encoder_model, decoder_model_merged, … (default model, else the encoder; a decoder's single step: --seq 1 --dim past_sequence_length=N)")
    .option('--variant <list>', "a model folder's variants to measure (fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4 — its onnx/model*.onnx files, named as transformers.js names them); default: all it has")
    .option('--arena <list>', "ONNX Runtime's CPU memory arena to sweep: on, off or on,off (what it costs and saves in memory and speed)")
    .option('--mem-pattern <list>', "ONNX Runtime's memory pattern (allocations planned once for fixed shapes) to sweep: on, off or on,off")
    .option('--ci-target <pct>', "run each configuration until its median's 95 % CI is within ± this (default 2%)")
    .option('--max-duration <s>', 'but for at most this many seconds; one that stops here is flagged unstable (default 8)')
    .option('--iterations <n>', 'instead: exactly this many timed runs per configuration, no target (the seeds ran 1000)')
    .option('--duration <s>', 'instead: exactly this many seconds per configuration, no target (not with --iterations; with --scenario, both are minimums, as LoadGen\'s)')
    .option('--baseline <axis=value>', 'the baseline the paired ratios are taken against, per axis (default each axis\'s first value), e.g. --baseline precision=fp32 --baseline runner=node-cpu; repeatable', collect)
    .option('--rounds <n>', 'instead of alternating the configurations run by run (the default): visit them in this many rounds of slices, in a shuffled order')
    .option('--warmup <n>', 'untimed runs after the first one (default 5)')
    .option('--concurrency <list>', 'sessions measured at once, one per worker thread (runs on one onnxruntime session never overlap); several values give a scaling curve, e.g. 1,2')
    .option('--precision <list>', 'model precisions to compare: fp32, fp16, int8-static (QDQ, calibrated on --images or synthetic), int8-dynamic, int8 (static for image models, dynamic for token models; ids and reports say which)')
    .option('--models <list>', 'several models, one sweep each, in one results document (instead of [model])')
    .option('--batch-mode <mode>', 'built-in models: dynamic batch axis, fixed per batch size, or both')
    .option('--out <dir>', 'write results.json, results.csv, results.md and report.html here (default ortbench-results/<model>-<time>)')
    .option('--force', 'with --out: replace the reports of another run there (otherwise refused)')
    .option('--config <file>', 'options from a .json, .js or .mjs file (flags win)')
    .option('--preset <name>', `the seed experiments: ${PRESET_NAMES.join(', ')} (seed-000 with a token model, e.g. bench bert --preset seed-000: the seed's BERT grid)`)
    .option('--resume <results.json>', 'continue an interrupted sweep: keep its finished configurations, run the rest (reports go beside it unless --out)')
    .option('--isolate', 'run each configuration in a child process: a native crash or out-of-memory fails only that configuration')
    .option('--scenario <name>', 'MLPerf LoadGen scenario: single-stream (p90), multi-stream (p99; samples per query = batch), server (Poisson arrivals, p99), offline (samples/s)')
    .option('--target-qps <n>', 'server: queries per second arriving as a Poisson process')
    .option('--latency-bound <ms>', 'server: search the highest rate whose p99 stays within this bound')
    .option('--roofline', "measure each runner's achievable GFLOP/s (a large MatMul, cached) and report every configuration's fraction of it")
    .option('--images <dir>', 'image models: also decode + preprocess these photos overlapped with inference, and report preprocess-only and end-to-end throughput beside inference-only')
    .option('--skip-bad', 'with --images: leave unreadable images out (a warning each) instead of stopping at the first')
    .option('--texts <file>', "a model folder's text variants: compare their outputs with fp32's on these texts (one per line), tokenised by the folder's tokenizer.json or vocab.txt (default: 8 built-in sentences)")
    .option('--labels <file>', 'with --images: JSON image → class(es), to report top-1/top-5 next to speed (e.g. per --precision)')
    .option('--json', 'print the results document on stdout and nothing else there')
    .option('--per-1000-runs', "tables also show the seeds' unit: total seconds for 1000 runs (timeit's)")
    .option('--torch-model <file.pt>', 'torch runners: the TorchScript model paired with a model file (resnet50 and bert get their PyTorch twin with the same weights built)')
    .option('--python <path>', 'torch runners: the Python with PyTorch (default ORTBENCH_PYTHON, python3, /usr/bin/python3)')
    .option('--queue <url>', 'run the sweep on fleet workers (ortbench worker) through this Redis: redis://[user:password@]host:port[/db] or rediss://… (password also from ORTBENCH_QUEUE_PASSWORD)')
    .option('--spread', 'with --queue: each configuration once, on whichever worker of the pool is free (default)')
    .option('--each-worker', 'with --queue: every configuration on every live worker (with --tags: those having all of them), for comparing machines')
    .option('--tags <list>', 'with --each-worker: only workers having all these tags')
    .option('--pool <name>', 'with --queue: the pool of workers that takes --spread jobs (default "default")')
    .option('--queue-ca <file>', 'with rediss://: a PEM CA that signed the server certificate')
    .option('--max-model-size <mib>', 'with --queue: largest model file sent through the queue, in MiB (default 256)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ortbench bench resnet50\n  $ ortbench bench detector.onnx --dim height=640,960 --dim width=640\n  $ ortbench bench vad.onnx --dim input:1=512 --dim state:1=1 --input sr=16000\n  $ ortbench bench bert --batch 1,8 --seq 32,128 --runner node-cpu,web-wasm\n  $ ortbench bench resnet50 --runner node-cpu,torch\n  $ ortbench bench model.onnx --threads 1,2 --json > results.json\n  $ ortbench bench --preset seed-resnet50 --out seed\n  $ ortbench bench --preset seed-bert --isolate --resume seed/results.json\n  $ ortbench bench resnet50 --batch 1 --scenario server --latency-bound 100 --roofline\n  $ ortbench bench mobilenet.onnx --batch 8 --precision fp32,fp16,int8 --images photos/ --labels expected.json\n  $ ortbench bench --preset seed-004 --batch 8 --images photos/ --labels expected.json\n  $ ortbench bench resnet50 --batch 1,8 --queue redis://fleet:6379 --each-worker --tags cpu\n  $ ortbench bench --queue redis://fleet:6379 --resume 3f9a0c7d12e4b856',
    )
    .action(async (model: string | undefined, flags: Record<string, unknown>) => {
      if (flags.queue !== undefined) {
        const { runFleetBench } = await import('../actions/fleet-bench');
        cli.setExitCode(await runFleetBench(model, flags, process.argv.slice(2).join(' ')));
        return;
      }
      for (const flag of ['spread', 'eachWorker', 'tags', 'pool', 'queueCa', 'maxModelSize']) {
        if (flags[flag] !== undefined) throw new InvalidArgumentError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --queue`);
      }
      const { resolveBenchOptions } = await import('@ortbench/tasks');
      const options = await resolveBenchOptions(model, flags); // bad flags: one line, before anything runs
      const { runBench } = await import('../actions/bench');
      cli.setExitCode(await runBench(options, process.argv.slice(2).join(' '), cli.plugins()));
    });
}
