import { runTelemetryAction } from './telemetry-action.js';

await runTelemetryAction();
