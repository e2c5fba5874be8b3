import { runFlagsAction } from './flags-action.js';

await runFlagsAction();
