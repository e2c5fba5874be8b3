import type { RuleFamily } from '../context.js';

export const typesFamily: RuleFamily = {
  name: 'schema-types',
};
