#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled into dist by tsup.
import { main } from '../dist/main.js';

// A reader that goes away (`ortbench help bench | head -3`) is not an error of ours: end quietly
// with the exit code the command had so far, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
