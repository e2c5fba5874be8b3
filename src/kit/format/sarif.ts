/**
 * SARIF 2.1.0 for GitHub code scanning: one run, one rule per distinct finding id, and a
 * partial fingerprint from id + operation + message so alerts survive line moves.
 */
import { createHash } from 'node:crypto';
import { sortFindings, type Finding, type GateResult, type Level } from '../result.js';
import { isPosition } from './common.js';

export interface SarifOptions {
  toolName?: string;
  toolVersion?: string;
  informationUri?: string;
  rules?: Record<string, { description?: string; level?: Level }>;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'apiDeliveryFinding/v1';

type SarifLevel = 'error' | 'warning' | 'note';
const SARIF_LEVEL: Record<Level, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative URI reference: forward slashes, no leading `./`, each segment percent-encoded. */
export function artifactUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

export function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.id, f.operation ?? '', f.message].join('\u0000'))
    .digest('hex');
}

function location(f: Finding): object[] | undefined {
  const loc = f.location;
  if (!loc?.file) return undefined;
  let region: Record<string, number> | undefined;
  if (isPosition(loc.line)) {
    region = { startLine: loc.line };
    if (isPosition(loc.column)) region.startColumn = loc.column;
  }
  return [{ physicalLocation: { artifactLocation: { uri: artifactUri(loc.file) }, ...(region && { region }) } }];
}

export function formatSarif(result: GateResult, opts: SarifOptions = {}): string {
  const findings = sortFindings(result.findings);
  const ruleIds = [...new Set(findings.map((f) => f.id))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));

  const rules = ruleIds.map((id) => {
    const meta = opts.rules?.[id];
    return {
      id,
      shortDescription: { text: meta?.description || id },
      ...(meta?.level && { defaultConfiguration: { level: SARIF_LEVEL[meta.level] } }),
    };
  });

  const results = findings.map((f) => {
    const locations = location(f);
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id),
      level: SARIF_LEVEL[f.level],
      message: { text: f.message },
      ...(locations && { locations }),
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
      ...(f.operation !== undefined && { properties: { operation: f.operation } }),
    };
  });

  const driver = {
    name: opts.toolName ?? 'api-delivery',
    ...(opts.toolVersion && { version: opts.toolVersion }),
    ...(opts.informationUri && { informationUri: opts.informationUri }),
    rules,
  };

  const sarif = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [{ tool: { driver }, results }] };
  return JSON.stringify(sarif, null, 2) + '\n';
}
