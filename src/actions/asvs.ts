import { runAsvsAction } from './asvs-action.js';

await runAsvsAction();
