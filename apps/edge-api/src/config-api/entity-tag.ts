import { AisbfError } from '@aisbf/contracts';
import type { Precondition } from '@aisbf/persistence';

/** Versions travel as strong ETags: `"12"`. */
export function entityTag(version: number): string {
  return `"${version}"`;
}

function parseTag(header: string, name: string): number | '*' {
  const value = header.trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  if (!match) throw new AisbfError('invalid_request', `${name} must be an ETag returned by GET (like "12") or *`, { param: name });
  return Number(match[1]);
}

/** If-Match (the version the client edited) and If-None-Match: * (create only) into a precondition. */
export function preconditionFrom(headers: Record<string, string | string[] | undefined>): Precondition {
  const precondition: Precondition = {};
  const ifMatch = headers['if-match'];
  if (typeof ifMatch === 'string') precondition.ifMatch = parseTag(ifMatch, 'If-Match');
  const ifNoneMatch = headers['if-none-match'];
  if (typeof ifNoneMatch === 'string') {
    if (parseTag(ifNoneMatch, 'If-None-Match') !== '*') throw new AisbfError('invalid_request', 'only If-None-Match: * is supported on writes', { param: 'If-None-Match' });
    precondition.ifNoneMatch = '*';
  }
  return precondition;
}
