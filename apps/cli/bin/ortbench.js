#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled into dist by tsup.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
