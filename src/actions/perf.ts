import { runPerfAction } from './perf-action.js';

await runPerfAction();
