import type { RuleFamily } from '../context.js';

export const securityFamily: RuleFamily = {
  name: 'security',
};
