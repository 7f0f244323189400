import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPO = path.resolve(__dirname, '../../..');
export const CHART_DIR = path.join(REPO, 'helm', 'aisbf');

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

export interface ChartCopyOptions {
  /** Extra files laid into the chart's files/<dir>/ beside the repository's own. */
  fixtures?: Partial<Record<'dashboards' | 'prometheus-rules', Record<string, string>>>;
  /** Leave the dependency charts out, as in a fresh checkout. */
  withoutDependencies?: boolean;
}

/**
 * A throw-away copy of the chart that Helm can render here: the declared dependency charts (which
 * cannot be downloaded on this machine) are replaced by empty charts of the same name and version,
 * and the symlinked files/ folders point at the repository's deploy/ material as in a checkout.
 */
export function prepareChart(options: ChartCopyOptions = {}): { dir: string; cleanup: () => void } {
  const base = mkdtempSync(path.join(tmpdir(), 'aisbf-chart-'));
  const dir = path.join(base, 'aisbf');
  // Leaves out the symlinks (laid below) and any dependency charts a developer fetched.
  const fetched = path.join(CHART_DIR, 'charts');
  cpSync(CHART_DIR, dir, { recursive: true, filter: (source) => !lstatSync(source).isSymbolicLink() && source !== fetched });
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  for (const entry of readdirSync(path.join(CHART_DIR, 'files'))) {
    const link = path.join(CHART_DIR, 'files', entry);
    if (!lstatSync(link).isSymbolicLink()) continue;
    const fixtures = options.fixtures?.[entry as 'dashboards' | 'prometheus-rules'];
    if (fixtures) {
      cpSync(realpathSync(link), path.join(dir, 'files', entry), { recursive: true });
      for (const [name, content] of Object.entries(fixtures)) writeFileSync(path.join(dir, 'files', entry, name), content);
    } else {
      symlinkSync(realpathSync(link), path.join(dir, 'files', entry));
    }
  }
  const chart = parse(readFileSync(path.join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { dependencies?: { name: string; version: string }[] };
  for (const dependency of options.withoutDependencies ? [] : (chart.dependencies ?? [])) {
    const stub = path.join(dir, 'charts', dependency.name);
    mkdirSync(path.join(stub, 'templates'), { recursive: true });
    const version = dependency.version.replace(/x/g, '0');
    writeFileSync(path.join(stub, 'Chart.yaml'), `apiVersion: v2\nname: ${dependency.name}\nversion: ${version}\n`);
  }
  return { dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export interface RenderOptions {
  valuesFiles?: string[];
  set?: string[];
  release?: string;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
}

export function helmArgs(options: RenderOptions): string[] {
  return [
    ...(options.valuesFiles ?? []).flatMap((file) => ['--values', file]),
    ...(options.set ?? []).flatMap((value) => ['--set', value]),
    ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
    ...(options.apiVersions ?? []).flatMap((api) => ['--api-versions', api]),
  ];
}

/** `helm template`: the manifests Helm would apply, hooks included, as objects. */
export function helmTemplate(helm: string, chartDir: string, options: RenderOptions = {}): KubeObject[] {
  const out = execFileSync(
    helm,
    ['template', options.release ?? 'aisbf', chartDir, '--namespace', options.namespace ?? 'aisbf', ...helmArgs(options)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  return parseManifests(out);
}

/** Runs helm and returns its failure message, or null when it succeeded. */
export function helmFailure(helm: string, args: string[]): string | null {
  try {
    execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return null;
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string };
    return `${failed.stderr ?? ''}${failed.stdout ?? ''}`;
  }
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`rendered YAML is invalid: ${doc.errors[0].message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((object): object is KubeObject => object !== null);
}

export function findObject(objects: KubeObject[], kind: string, nameSuffix: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name.endsWith(nameSuffix));
  if (!found) throw new Error(`no ${kind} named *${nameSuffix} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface ResolvedEnv {
  /** Every variable the container declares (env names, and keys of rendered envFrom sources). */
  declared: string[];
  /** Values Kubernetes would give it, from literals and the rendered Secrets and ConfigMaps. */
  values: Record<string, string>;
  /** Variables whose value comes from an object this render does not contain (an existing Secret). */
  external: string[];
}

function renderedData(objects: KubeObject[], kind: 'Secret' | 'ConfigMap', name: string): Record<string, string> | undefined {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) return undefined;
  if (kind === 'ConfigMap') return object.data ?? {};
  return {
    ...Object.fromEntries(Object.entries((object.data ?? {}) as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')])),
    ...(object.stringData ?? {}),
  };
}

/** The environment of a rendered container, resolved the way the kubelet resolves it. */
export function containerEnv(container: any, objects: KubeObject[]): ResolvedEnv {
  const declared: string[] = [];
  const values: Record<string, string> = {};
  const external: string[] = [];
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    const data = renderedData(objects, from.secretRef ? 'Secret' : 'ConfigMap', ref.name);
    for (const [key, value] of Object.entries(data ?? {})) {
      declared.push(key);
      values[key] = value;
    }
  }
  for (const variable of container.env ?? []) {
    declared.push(variable.name);
    if (variable.value !== undefined) {
      values[variable.name] = String(variable.value);
      continue;
    }
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (!ref) continue;
    const data = renderedData(objects, variable.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name);
    if (!data) external.push(variable.name);
    else if (data[ref.key] !== undefined) values[variable.name] = data[ref.key];
    else if (!ref.optional) throw new Error(`${variable.name}: key ${ref.key} is not in ${ref.name} and the reference is not optional`);
  }
  return { declared: [...new Set(declared)].sort(), values, external };
}

export function podSpecs(objects: KubeObject[]): { owner: KubeObject; spec: any }[] {
  return objects
    .filter((object) => ['Deployment', 'Job', 'StatefulSet', 'DaemonSet'].includes(object.kind))
    .map((owner) => ({ owner, spec: owner.spec.template.spec }));
}
