import { runConformanceAction } from './conformance-action.js';

await runConformanceAction();
