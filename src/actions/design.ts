import { runDesignAction } from './design-action.js';

await runDesignAction();
