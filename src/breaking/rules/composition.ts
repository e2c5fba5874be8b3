import type { RuleFamily } from '../context.js';

export const compositionFamily: RuleFamily = {
  name: 'composition',
};
