import type { RuleFamily } from '../context.js';

export const parametersFamily: RuleFamily = {
  name: 'parameters',
};
