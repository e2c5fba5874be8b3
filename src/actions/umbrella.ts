import * as core from '@actions/core';
import { runBreakingAction } from './breaking-action.js';

const GATES: Record<string, () => Promise<void>> = { breaking: runBreakingAction };

const gate = core.getInput('gate').trim();
const run = Object.prototype.hasOwnProperty.call(GATES, gate) ? GATES[gate] : undefined;
if (!run) {
  core.setFailed(`gate: '${gate}' is not one of ${Object.keys(GATES).join(', ')}`);
  process.exitCode = 2;
} else {
  await run();
}
