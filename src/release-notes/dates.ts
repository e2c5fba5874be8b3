import { InputError } from '../kit/errors.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseDay(v: string | undefined, field: string): string | undefined {
  const s = (v ?? '').trim();
  if (!s) return undefined;
  if (!DAY.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s) {
    throw new InputError(`${field}: '${v}' is not a date as YYYY-MM-DD`, { field });
  }
  return s;
}
