import * as core from '@actions/core';
import { runAsvsAction } from './asvs-action.js';
import { runBreakingAction } from './breaking-action.js';
import { runConformanceAction } from './conformance-action.js';
import { runContractAction } from './contract-action.js';
import { runDesignAction } from './design-action.js';
import { runFlagsAction } from './flags-action.js';
import { runLifecycleAction } from './lifecycle-action.js';
import { runPerfAction } from './perf-action.js';
import { runReleaseNotesAction } from './release-notes-action.js';
import { runTelemetryAction } from './telemetry-action.js';
import { GATE_DEFAULTS } from './lib/umbrella-defaults.js';

const GATES: Record<string, () => Promise<void>> = {
  asvs: runAsvsAction,
  breaking: runBreakingAction,
  conformance: runConformanceAction,
  contract: runContractAction,
  design: runDesignAction,
  flags: runFlagsAction,
  lifecycle: runLifecycleAction,
  perf: runPerfAction,
  'release-notes': runReleaseNotesAction,
  telemetry: runTelemetryAction,
};

const gate = core.getInput('gate').trim();
const run = Object.prototype.hasOwnProperty.call(GATES, gate) ? GATES[gate] : undefined;
if (!run) {
  core.setFailed(`gate: '${gate}' is not one of ${Object.keys(GATES).join(', ')}`);
  process.exitCode = 2;
} else {
  // Inputs several gates share carry an empty umbrella default; put back this gate's own.
  for (const [name, value] of Object.entries(GATE_DEFAULTS[gate] ?? {})) {
    const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
    if (!process.env[key]) process.env[key] = value;
  }
  await run();
}
