import { runLifecycleAction } from './lifecycle-action.js';

await runLifecycleAction();
