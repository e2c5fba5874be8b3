import type { RuleFamily } from '../context.js';

export const propertiesFamily: RuleFamily = {
  name: 'schema-properties',
};
