import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dirs: string[] = [];
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary folder holding the given files (path → content); returns its path. */
export function folder(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'lifecycle-test-'));
  dirs.push(d);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), text);
  }
  return d;
}

/** The day every test judges against; dates in the fixtures are relative to it. */
export const TODAY = '2026-06-15';

/**
 * A YAML spec with one of each case, and the line of each x-sunset / deprecated key (1-based),
 * so tests assert lines without counting by hand.
 */
export const SPEC_YAML = `openapi: 3.0.3
info:
  title: lifecycle fixture
  version: '1'
paths:
  /pets:
    get:
      deprecated: true
      x-sunset: '2026-06-01'
      parameters:
        - $ref: '#/components/parameters/Limit'
        - name: sort
          in: query
          x-sunset: '2026-06-20'
          schema: { type: string }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: { $ref: '#/components/schemas/Pet' }
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
      responses:
        '201': { description: created }
  /pets/{id}:
    get:
      deprecated: true
      x-sunset: 2026-07-15T00:00:00Z
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
    delete:
      deprecated: true
      x-sunset: 'soon'
      responses:
        '204': { description: gone }
    put:
      deprecated: true
      x-stability-level: beta
      x-sunset: '2026-06-15'
      responses:
        '204': { description: replaced }
components:
  parameters:
    Limit:
      name: limit
      in: query
      deprecated: true
      schema: { type: integer }
  schemas:
    Pet:
      type: object
      properties:
        id: { type: string }
        nickname:
          type: string
          deprecated: true
          x-sunset: '2026-05-01'
        parent: { $ref: '#/components/schemas/Pet' }
`;

/** 1-based line of the first line of `text` matching `re` after line `after`. */
export function lineOf(text: string, re: RegExp, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  throw new Error(`no line matches ${re}`);
}
