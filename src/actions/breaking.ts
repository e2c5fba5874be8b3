import { runBreakingAction } from './breaking-action.js';

await runBreakingAction();
