import type { RuleFamily } from '../context.js';

export const lifecycleFamily: RuleFamily = {
  name: 'lifecycle',
};
