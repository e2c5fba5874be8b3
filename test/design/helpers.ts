import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const dirs: string[] = [];
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary folder holding the given files (path → content); returns its path. */
export function folder(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'design-test-'));
  dirs.push(d);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), text);
  }
  return d;
}

/** 1-based line of the first line of `text` matching `re` after line `after`. */
export function lineOf(text: string, re: RegExp, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  throw new Error(`no line matches ${re}`);
}

/**
 * A spec in which every lint rule fires at least once (the comments say which), so tests can
 * assert ids, messages and lines.
 */
export const BAD_SPEC = `openapi: 3.0.3
info:
  title: design fixture
  version: '1'
paths:
  /userAccounts/{account_id}:
    parameters:
      - name: account_id
        in: path
        required: true
        schema: { type: string }
    get:
      responses:
        '200':
          description: ok
        '404':
          description: not found
    delete:
      operationId: deleteAccount
      summary: Delete an account
      security:
        - apiKey: []
      responses:
        '204': { description: gone }
        '500':
          $ref: '#/components/responses/ServerError'
  /pets:
    get:
      operationId: listPets
      summary: List pets
      security: []
      parameters:
        - name: page_size
          in: query
          schema: { type: integer }
      responses:
        '200':
          description: ok
          content:
            application/json: {}
        '400':
          $ref: '#/components/responses/Problem'
    post:
      operationId: listPets
      summary: Create a pet
      x-public: true
      security:
        - bearerAuth: []
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { $ref: '#/components/schemas/pet_record' }
        '400':
          $ref: '#/components/responses/Problem'
        default:
          $ref: '#/components/responses/ServerError'
  /pets/{id}:
    get:
      operationId: getPet
      description: One pet
      security:
        - bearerAuth: []
      parameters:
        - name: petId
          in: path
          required: true
          schema: { type: string }
      responses:
        '200':
          description: the pet
          content:
            application/json:
              schema: { $ref: '#/components/schemas/pet_record' }
        '404':
          $ref: '#/components/responses/Problem'
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
    basicAuth: { type: http, scheme: basic }
  responses:
    ServerError:
      description: failure
      content:
        application/json:
          schema: { type: object }
    Problem:
      description: a problem
      content:
        application/problem+json:
          schema: { $ref: '#/components/schemas/Problem' }
  schemas:
    pet_record:
      type: object
      properties:
        id: { type: string }
    Problem:
      type: object
      properties:
        title: { type: string }
    Orphan:
      type: object
      properties:
        child: { $ref: '#/components/schemas/OrphanChild' }
    OrphanChild:
      type: string
`;

/** A PRD with every required section filled in (endpoints of templates/API-spec-openapi.yaml). */
export const FILLED_PRD = `# PRD: Widget API 0.1

Owner: widgets team · Reviewers: API guild · Spec: templates/API-spec-openapi.yaml

## Problem

Shops cannot manage their widgets without a support ticket; we want self-service within a quarter.

## Consumers

| Consumer | Team / contact | Uses | Expected traffic |
|---|---|---|---|
| shop web app | shop team | all endpoints | 50 rps at peak |

## Endpoints

| Endpoint | Purpose | New / changed |
|---|---|---|
| GET /widgets | list a shop's widgets | new |
| POST /widgets | create one | new |
| GET /widgets/{id} | read one | new |
| DELETE /widgets/{widgetId} | remove one | new |

## Service level objectives (SLOs)

- Availability: 99.9% of requests succeed over 30 days
- Latency: p95 under 300 ms

## Security (ASVS level)

- ASVS level 2
- Bearer tokens from the shop login; the liveness check is public.

## Rollout and deprecation

- Rollout: behind the widgets flag, beta shops first.
- Deprecation: replaces nothing; no sunset planned.

## Open questions

<!-- none yet -->
`;
