import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ZodObject, ZodTypeAny } from 'zod';
import { telemetryEnvSchema } from '@aisbf/telemetry';

/**
 * What each app reads from its environment, taken from the source: the zod env schemas its main.ts
 * passes to parseEnv (exported by the apps' *-env.ts files or by the libs), plus the standard
 * OpenTelemetry variables the telemetry lib's schema declares. Nothing is listed by hand, so a variable added on
 * any branch shows up here as soon as its schema declares it.
 */
const REPO = path.resolve(__dirname, '../../..');

export interface AppEnv {
  app: string;
  /** Set when this is the environment of one command of the app only (see COMMAND_SCHEMAS). */
  command?: string;
  /** Schemas parsed by the app's main.ts, by export name. */
  schemas: Record<string, ZodObject<Record<string, ZodTypeAny>>>;
  /** Every variable those schemas declare. */
  variables: string[];
  /** Whether main.ts starts OpenTelemetry (imports ./instrument first): only then are OTEL_* variables read. */
  telemetry: boolean;
}

function filesUnder(dir: string, match: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : filesUnder(full, match);
    return match.test(entry) ? [full] : [];
  });
}

function isZodObject(value: unknown): value is ZodObject<Record<string, ZodTypeAny>> {
  return value instanceof ZodObject;
}

/** Every zod object exported by the apps' env files, and every env schema the libs export. */
export function envSchemaRegistry(): Map<string, ZodObject<Record<string, ZodTypeAny>>> {
  const registry = new Map<string, ZodObject<Record<string, ZodTypeAny>>>();
  const libIndexes = readdirSync(path.join(REPO, 'libs'))
    .map((lib) => path.join(REPO, 'libs', lib, 'src', 'index.ts'))
    .filter((file) => existsSync(file));
  for (const [files, wanted] of [
    [filesUnder(path.join(REPO, 'apps'), /-env\.ts$/), /./],
    [libIndexes, /env/i],
  ] as const) {
    for (const file of files) {
      const exports = require(file) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        if (wanted.test(name) && isZodObject(value)) registry.set(name, value);
      }
    }
  }
  return registry;
}

export function appNames(): string[] {
  return readdirSync(path.join(REPO, 'apps')).filter((app) => existsSync(path.join(REPO, 'apps', app, 'src', 'main.ts')));
}

/** The env schemas each app's main.ts parses, resolved against the registry. */
export function appEnvironments(): AppEnv[] {
  const registry = envSchemaRegistry();
  return appNames().map((app) => {
    const main = readFileSync(path.join(REPO, 'apps', app, 'src', 'main.ts'), 'utf8');
    const parsed = [...main.matchAll(/parseEnv\(\s*([A-Za-z_$][\w$]*)/g)].map((match) => match[1]);
    const unknown = parsed.filter((name) => !registry.has(name));
    if (unknown.length) throw new Error(`apps/${app}/src/main.ts parses ${unknown.join(', ')}, which no env file or lib exports`);
    if (!parsed.length) throw new Error(`apps/${app}/src/main.ts parses no env schema with parseEnv: its variables cannot be checked`);
    const schemas: AppEnv['schemas'] = {};
    for (const name of parsed) schemas[name] = registry.get(name)!;
    return { app, schemas, variables: variablesOf(schemas), telemetry: /^import '\.\/instrument';/m.test(main) };
  });
}

function variablesOf(schemas: AppEnv['schemas']): string[] {
  return [...new Set(Object.values(schemas).flatMap((schema) => Object.keys(schema.shape)))].sort();
}

/**
 * Image commands (deploy/docker/aisbf.mjs) that run one command of an app rather than all of it,
 * with the schemas that command alone parses. `migrate` runs `aisbf migrate`, which parses
 * migrateEnvSchema (where the database is) and none of the CLI's other settings: the Compose
 * one-shot service and the Helm hook Job give it exactly that, and no key, token or bus setting.
 * A schema named here must be one the app's main.ts parses, or the lookup fails.
 */
export const COMMAND_SCHEMAS: Record<string, string[]> = { migrate: ['migrateEnvSchema'] };

/** What the image command `command` of `app` reads: the whole app's variables unless COMMAND_SCHEMAS narrows them. */
export function commandEnvironment(app: AppEnv, command: string): AppEnv {
  const names = COMMAND_SCHEMAS[command];
  if (!names) return app;
  const unknown = names.filter((name) => !app.schemas[name]);
  if (unknown.length) throw new Error(`the image command ${command} is said to parse ${unknown.join(', ')}, which apps/${app.app}/src/main.ts does not parse`);
  const schemas = Object.fromEntries(names.map((name) => [name, app.schemas[name]]));
  return { ...app, command, schemas, variables: variablesOf(schemas) };
}

/** Standard OpenTelemetry variables every service that starts telemetry honours: those its schema declares. */
export function telemetryVariables(): string[] {
  return Object.keys(telemetryEnvSchema.shape).sort();
}

/**
 * Parses an environment exactly as the app's main.ts does (every schema it parses), returning the
 * problems; empty when the app would start with it.
 */
export function envProblems(app: AppEnv, env: Record<string, string>): string[] {
  return Object.entries(app.schemas).flatMap(([name, schema]) => {
    const result = schema.safeParse(env);
    return result.success ? [] : result.error.issues.map((issue) => `${name} ${issue.path.join('.')}: ${issue.message}`);
  });
}

/**
 * The only variables a deployment may set on a service whose schemas do not declare them: settings
 * given to every long-running service alike. AISBF_DATA_DIR is the writable directory of each
 * container; AISBF_METRICS_PORT is the port of /metrics, /healthz and /readyz that the probes and
 * Prometheus use on every service (no worker schema declares it yet). NODE_OPTIONS is read by Node
 * itself: the image's flags plus the heap limit of each service. Anything else a deployment
 * sets must be read by that very service: a typo fails, and so does a secret (a database or
 * Redis URL, a token) handed to a service that has no use for it.
 */
export const SHARED_DEPLOYMENT_VARIABLES = ['AISBF_DATA_DIR', 'AISBF_METRICS_PORT', 'NODE_OPTIONS'];

export interface ParityReport {
  /** Variables the app reads that the deployment unit cannot set. */
  missing: string[];
  /** Variables the unit sets that the app does not read and that are not shared deployment settings. */
  unknown: string[];
}

export function parity(app: AppEnv, declared: string[]): ParityReport {
  const telemetry = app.telemetry ? telemetryVariables() : [];
  const required = [...new Set([...app.variables, ...telemetry])];
  const known = new Set([...required, ...SHARED_DEPLOYMENT_VARIABLES]);
  return {
    missing: required.filter((name) => !declared.includes(name)).sort(),
    unknown: declared.filter((name) => !known.has(name)).sort(),
  };
}
