import type { RuleFamily } from '../context.js';

export const pathsFamily: RuleFamily = {
  name: 'paths',
};
