import type { RuleFamily } from '../context.js';

export const requestBodyFamily: RuleFamily = {
  name: 'request-body',
};
