import type { RuleFamily } from '../context.js';

export const responsesFamily: RuleFamily = {
  name: 'responses',
};
