#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`| head`) closes the pipe: the rest of the report is dropped, and the
// exit code still says the verdict, as it does with the whole report.
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  stdoutClosed = true;
});

const code = await main(
  process.argv.slice(2),
  (s) => {
    if (!stdoutClosed) process.stdout.write(s);
  },
  (s) => process.stderr.write(s),
);
process.exitCode = code;
