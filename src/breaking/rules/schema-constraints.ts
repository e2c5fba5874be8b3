import type { RuleFamily } from '../context.js';

export const constraintsFamily: RuleFamily = {
  name: 'schema-constraints',
};
