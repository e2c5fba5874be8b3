import type { RuleFamily } from '../context.js';

export const keywordsFamily: RuleFamily = {
  name: 'schema-keywords',
};
