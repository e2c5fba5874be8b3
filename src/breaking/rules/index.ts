import type { RuleFamily } from '../context.js';
import { compositionFamily } from './composition.js';
import { lifecycleFamily } from './lifecycle.js';
import { parametersFamily } from './parameters.js';
import { pathsFamily } from './paths.js';
import { requestBodyFamily } from './request-body.js';
import { responsesFamily } from './responses.js';
import { constraintsFamily } from './schema-constraints.js';
import { keywordsFamily } from './schema-keywords.js';
import { propertiesFamily } from './schema-properties.js';
import { typesFamily } from './schema-types.js';
import { securityFamily } from './security.js';

/** Every rule family; each module holds one family's rules. */
export const FAMILIES: readonly RuleFamily[] = [
  pathsFamily,
  lifecycleFamily,
  parametersFamily,
  requestBodyFamily,
  responsesFamily,
  securityFamily,
  typesFamily,
  constraintsFamily,
  propertiesFamily,
  compositionFamily,
  keywordsFamily,
];
