#!/usr/bin/env node
import { main } from './main.js';

const code = await main(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
);
process.exitCode = code;
