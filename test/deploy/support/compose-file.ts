import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO = path.resolve(__dirname, '../../..');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | Record<string, unknown>)[];
  expose?: (string | number)[];
  volumes?: (string | Record<string, unknown>)[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string; [key: string]: unknown };
  profiles?: string[];
  deploy?: { replicas?: number | string; [key: string]: unknown };
  restart?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The YAML of a compose file with anchors and merge keys resolved, before interpolation. */
export function readComposeYaml(file: string): ComposeFile {
  return parse(readFileSync(path.join(REPO, file), 'utf8'), { merge: true, maxAliasCount: -1 }) as ComposeFile;
}

/**
 * Compose interpolation (the subset of the specification these files use, applied the same way):
 * $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt},
 * ${VAR+alt}; defaults may themselves hold ${...}.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        j++;
      }
      if (depth !== 0) throw new Error(`unterminated \${ in ${text}`);
      out += substitute(text.slice(i + 2, j - 1), env);
      i = j;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (name) {
      out += env[name[0]] ?? '';
      i += 1 + name[0].length;
      continue;
    }
    out += char;
    i++;
  }
  return out;
}

function substitute(expression: string, env: Record<string, string | undefined>): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(expression);
  if (!match) throw new Error(`invalid interpolation \${${expression}}`);
  const [, name, colon, operator, argument = ''] = match;
  const value = env[name];
  const unset = colon ? value === undefined || value === '' : value === undefined;
  switch (operator) {
    case undefined:
      return value ?? '';
    case '-':
      return unset ? interpolate(argument, env) : value!;
    case '?':
      if (unset) throw new Error(`required variable ${name} is missing: ${interpolate(argument, env)}`);
      return value!;
    case '+':
      return unset ? '' : interpolate(argument, env);
    default:
      throw new Error(`invalid interpolation \${${expression}}`);
  }
}

function interpolateDeep(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

/** A compose file as `docker compose config` sees it: merged and interpolated. */
export function loadCompose(file: string, env: Record<string, string | undefined> = {}): ComposeFile {
  return interpolateDeep(readComposeYaml(file), env) as ComposeFile;
}

/**
 * The environment a service's container gets: `KEY: value` is set, a bare `KEY` takes the value
 * from the interpolation environment (.env or the shell) and is absent when that has none.
 */
export function serviceEnvironment(
  service: ComposeService,
  shell: Record<string, string | undefined> = {},
): { declared: string[]; values: Record<string, string> } {
  const entries: [string, string | null][] = Array.isArray(service.environment)
    ? service.environment.map((item) => {
        const at = item.indexOf('=');
        return at < 0 ? [item, null] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? null : String(value)]);
  const values: Record<string, string> = {};
  for (const [key, value] of entries) {
    const resolved = value ?? shell[key];
    if (resolved !== undefined) values[key] = resolved;
  }
  return { declared: entries.map(([key]) => key).sort(), values };
}

export function commandOf(service: ComposeService): string[] {
  if (Array.isArray(service.command)) return service.command;
  return service.command ? service.command.split(/\s+/) : [];
}
