import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { KubeObject } from './helm-chart';
import { REPO } from './helm-chart';

/**
 * Kubernetes schema checks for rendered manifests, two ways:
 * - the OpenAPI schemas compiled into kubernetes-models (ajv): types, formats, required fields,
 *   enums; the Prometheus Operator CRDs through @kubernetes-models/prometheus-operator;
 * - the kubernetes-types definitions through the TypeScript compiler, which rejects any field the
 *   API does not define (a misspelt `readinesProbe` would otherwise be silently dropped).
 */
const MODEL_MODULES: Record<string, string> = {
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

function modelModule(apiVersion: string): string {
  if (MODEL_MODULES[apiVersion]) return MODEL_MODULES[apiVersion];
  return `kubernetes-models/${apiVersion}`;
}

/** Schema problems of each object, as "Kind/name: message". */
export function openApiProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata?.name}`;
    let Model: (new (data: unknown) => { validate(): void }) | undefined;
    try {
      Model = require(`${modelModule(object.apiVersion)}/${object.kind}`)[object.kind];
    } catch {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model!(object).validate();
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  return problems;
}

const TYPE_MODULES: Record<string, string> = {
  v1: 'kubernetes-types/core/v1',
  'apps/v1': 'kubernetes-types/apps/v1',
  'batch/v1': 'kubernetes-types/batch/v1',
  'policy/v1': 'kubernetes-types/policy/v1',
  'autoscaling/v2': 'kubernetes-types/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-types/networking/v1',
};

/** Fields the Kubernetes API does not know, found by type-checking each object as its API type. */
export function unknownFieldProblems(objects: KubeObject[]): string[] {
  const typed = objects.filter((object) => TYPE_MODULES[object.apiVersion]);
  const imports = new Map<string, Set<string>>();
  for (const object of typed) {
    const names = imports.get(TYPE_MODULES[object.apiVersion]) ?? new Set<string>();
    names.add(object.kind);
    imports.set(TYPE_MODULES[object.apiVersion], names);
  }
  const alias = (module: string, kind: string) => `${kind}_${module.replace(/[^a-z0-9]/gi, '_')}`;
  const lines = [...imports].map(
    ([module, kinds]) => `import type { ${[...kinds].map((kind) => `${kind} as ${alias(module, kind)}`).join(', ')} } from '${module}';`,
  );
  typed.forEach((object, index) => {
    lines.push(`// ${object.kind}/${object.metadata.name}`);
    lines.push(`export const object${index}: ${alias(TYPE_MODULES[object.apiVersion], object.kind)} = ${JSON.stringify(object, null, 1)};`);
  });
  // Inside the repository so that the compiler resolves kubernetes-types from node_modules.
  const dir = path.join(REPO, 'node_modules', '.cache', 'aisbf-deploy-tools', `kube-check-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'manifests.ts');
  writeFileSync(file, lines.join('\n'));
  try {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      const source = diagnostic.file.text.split('\n');
      const owner = source
        .slice(0, line + 1)
        .reverse()
        .find((text) => text.startsWith('// '));
      return `${owner?.slice(3) ?? '?'}: ${source[line].trim()} -> ${message.split('\n').pop()}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
