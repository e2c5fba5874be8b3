/** Name cases the naming rules check, and how a name reads in another case (for the suggested fix). */
import type { ParameterCase } from './config.js';

/** `petID_list-item` → `pet id list item` (lower-case words). */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

export function toCase(name: string, c: ParameterCase | 'PascalCase'): string {
  const ws = words(name);
  if (ws.length === 0) return name;
  switch (c) {
    case 'camelCase':
      return ws[0]! + ws.slice(1).map(cap).join('');
    case 'PascalCase':
      return ws.map(cap).join('');
    case 'snake_case':
      return ws.join('_');
    case 'kebab-case':
      return ws.join('-');
  }
}

const PATTERNS: Record<ParameterCase | 'PascalCase', RegExp> = {
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
  PascalCase: /^[A-Z][a-zA-Z0-9]*$/,
  snake_case: /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/,
  'kebab-case': /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
};

export function isCase(name: string, c: ParameterCase | 'PascalCase'): boolean {
  return PATTERNS[c].test(name);
}

/**
 * A parameter name's parts: `filter[status]` and `page.size` (deepObject and dotted styles) are
 * judged part by part, so a bracket or a dot is no naming fault of its own.
 */
export function nameParts(name: string): string[] {
  return name.split(/[[\].]+/).filter(Boolean);
}

/** A parameter name in case `c`, part by part. */
export function parameterNameOk(name: string, c: ParameterCase): boolean {
  const parts = nameParts(name);
  return parts.length > 0 && parts.every((p) => isCase(p, c));
}

export function parameterNameIn(name: string, c: ParameterCase): string {
  return name.replace(/[^[\].]+/g, (p) => toCase(p, c));
}

/**
 * A schema name: PascalCase, or dotted parts each PascalCase or a version tag, so versioned and
 * namespaced names (`Pet.v2`, `Billing.Invoice`) pass and `api.v2010.account` does not.
 */
export function schemaNameOk(name: string): boolean {
  const parts = name.split('.');
  return isCase(parts[0]!, 'PascalCase') && parts.slice(1).every((p) => VERSION_TAG.test(p) || isCase(p, 'PascalCase'));
}

const VERSION_TAG = /^[vV]\d+(?:(?:alpha|beta|rc)\d*)?$/;

/** A schema name as PascalCase, dotted parts kept (a version tag stays as written). */
export function schemaNameIn(name: string): string {
  if (!name.includes('.')) return toCase(name, 'PascalCase');
  return name
    .split('.')
    .map((p, i) => (i > 0 && VERSION_TAG.test(p) ? p : toCase(p, 'PascalCase')))
    .join('.');
}

/**
 * The path of a `paths` key as a URL has it: a `?query` or `#fragment` some specs append to tell
 * two operations on one path apart (`/oauth2/token#refresh`) is not a path segment.
 */
export function pathOf(key: string): string {
  const end = key.search(/[?#]/);
  return end < 0 ? key : key.slice(0, end);
}

/** A path segment's literal parts: `{id}` placeholders removed, `.json` suffixes split off. */
function segmentParts(segment: string): string[] {
  return segment
    .split(/\{[^}]*\}/)
    .flatMap((p) => p.split('.'))
    .map((p) => p.replace(/^-+|-+$/g, ''))
    .filter(Boolean);
}

const KEBAB_SEGMENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Literal segments of a path that are not kebab-case, each with its kebab-case spelling. */
export function nonKebabSegments(path: string): { segment: string; suggestion: string }[] {
  const out: { segment: string; suggestion: string }[] = [];
  for (const segment of path.split('/')) {
    const parts = segmentParts(segment);
    if (parts.every((p) => KEBAB_SEGMENT.test(p))) continue;
    out.push({ segment, suggestion: segment.replace(/(\{[^}]*\})|([^{}.]+)/g, (m, param: string | undefined) => (param ? m : kebabChunk(m))) });
  }
  return out;
}

/** `-Details` → `-details`: hyphens next to a `{param}` stay. */
function kebabChunk(chunk: string): string {
  const m = /^(-*)(.*?)(-*)$/.exec(chunk)!;
  return `${m[1]}${toCase(m[2]!, 'kebab-case') || m[2]}${m[3]}`;
}
