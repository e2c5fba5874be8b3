/** The GateResult itself, pretty-printed: the file other tools and `result-file` read. */
import type { GateResult } from '../result.js';

export function formatJson(result: GateResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
