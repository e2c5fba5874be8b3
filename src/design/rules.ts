/**
 * The design gate's rules: a stable id, a default level and what each checks. A rules file
 * (`--rules FILE`) may change a level or turn a rule off; ids not listed here are refused.
 */
import type { Level } from '../kit/result.js';

export type RuleFamily = 'security' | 'errors' | 'naming' | 'documentation' | 'readiness';

export interface RuleInfo {
  level: Level;
  family: RuleFamily;
  /** One line for --help and the docs. */
  what: string;
}

export const DESIGN_RULES = {
  // security
  'security-missing': { level: 'error', family: 'security', what: 'an operation with no security requirement (neither its own nor the document-wide one)' },
  'security-scheme-undefined': { level: 'error', family: 'security', what: 'a security requirement names a scheme that components.securitySchemes does not define' },
  'security-public-unmarked': { level: 'warning', family: 'security', what: 'an operation callable without credentials (security: [] or an empty {} alternative) not marked x-public: true' },
  'security-public-mismatch': { level: 'warning', family: 'security', what: 'an operation marked x-public: true that requires credentials' },
  // errors
  'error-response-not-problem-json': { level: 'error', family: 'errors', what: 'a 4xx, 5xx or default response whose body is not application/problem+json (RFC 9457)' },
  'error-response-without-body': { level: 'warning', family: 'errors', what: 'a 4xx, 5xx or default response that declares no body' },
  'error-response-missing': { level: 'warning', family: 'errors', what: 'an operation without any 4xx response' },
  // naming
  'path-segment-not-kebab-case': { level: 'warning', family: 'naming', what: 'a path segment (outside {parameters}) that is not kebab-case' },
  'parameter-name-case': { level: 'warning', family: 'naming', what: 'a path or query parameter name not in the configured case (camelCase by default)' },
  'path-parameter-mismatch': { level: 'error', family: 'naming', what: 'a {parameter} of the path with no in: path parameter, or an in: path parameter not in the path' },
  'operation-id-missing': { level: 'warning', family: 'naming', what: 'an operation without an operationId' },
  'operation-id-duplicate': { level: 'error', family: 'naming', what: 'an operationId used by more than one operation' },
  'schema-name-not-pascal-case': { level: 'warning', family: 'naming', what: 'a components.schemas name that is not PascalCase' },
  // documentation
  'operation-summary-missing': { level: 'warning', family: 'documentation', what: 'an operation with neither a summary nor a description' },
  'success-response-schema-missing': { level: 'warning', family: 'documentation', what: 'a 2xx response (other than 204 and 205) without a body schema' },
  'component-unused': { level: 'info', family: 'documentation', what: 'a component (schema, parameter, response, request body, header, example, security scheme…) no operation reaches' },
  // Definition of Ready (--prd)
  'prd-section-missing': { level: 'error', family: 'readiness', what: 'a required PRD section is missing' },
  'prd-section-empty': { level: 'error', family: 'readiness', what: 'a required PRD section has no content' },
  'prd-placeholder': { level: 'error', family: 'readiness', what: 'a template placeholder ({{…}}, TODO, TBD) is left in the PRD' },
  'prd-asvs-level-missing': { level: 'error', family: 'readiness', what: 'the PRD security section names no ASVS level (1, 2 or 3)' },
  'prd-endpoint-not-in-spec': { level: 'warning', family: 'readiness', what: 'an endpoint the PRD lists (METHOD /path) is not in the spec' },
} as const satisfies Record<string, RuleInfo>;

export type DesignRule = keyof typeof DESIGN_RULES;

export const RULE_IDS = Object.keys(DESIGN_RULES) as DesignRule[];

export function isDesignRule(id: string): id is DesignRule {
  return Object.prototype.hasOwnProperty.call(DESIGN_RULES, id);
}
