import type { AutoselectConfig } from './autoselect.schema';
import type { ProviderConfig } from './provider.schema';
import type { RotationConfig } from './rotation.schema';
import { ConfigProblem, formatJsonPath } from './config-problems';

/** A user's three documents, each already valid on its own (schemas passed). */
export interface UserConfigDocuments {
  providers: Record<string, ProviderConfig>;
  rotations: Record<string, RotationConfig>;
  autoselect: Record<string, AutoselectConfig>;
}

export type ConfigDocumentKind = keyof UserConfigDocuments;

/** A cross-document problem: which document and item it sits in, and where inside that item. */
export interface ReferenceProblem {
  document: ConfigDocumentKind;
  item: string;
  segments: Array<string | number>;
  message: string;
}

/** Nesting of rotations and autoselects deeper than this is refused (the resolver's bound too). */
export const MAX_ROUTE_DEPTH = 8;

type RouteRef =
  | { kind: 'provider'; providerId: string; model: string }
  | { kind: 'rotation' | 'autoselect'; name: string }
  | { kind: 'invalid' };

const ROUTE_PREFIX: Record<string, 'provider' | 'rotation' | 'autoselect'> = {
  'user-provider': 'provider',
  'user-rotation': 'rotation',
  'user-autoselect': 'autoselect',
};

/** The client model-id grammar (`user-provider/{id}/{model}`, `user-rotation/{name}`, `user-autoselect/{name}`). */
function parseRouteRef(id: string): RouteRef {
  const slash = id.indexOf('/');
  const kind = slash > 0 ? ROUTE_PREFIX[id.slice(0, slash)] : undefined;
  if (!kind) return { kind: 'invalid' };
  const rest = id.slice(slash + 1);
  if (kind === 'provider') {
    const second = rest.indexOf('/');
    if (second <= 0 || second === rest.length - 1) return { kind: 'invalid' };
    return { kind, providerId: rest.slice(0, second), model: rest.slice(second + 1) };
  }
  return rest && !rest.includes('/') ? { kind, name: rest } : { kind: 'invalid' };
}

const nodeKey = (kind: 'rotation' | 'autoselect', name: string) => `${kind}:${name}`;
const nodeLabel = (key: string) => `user-${key.replace(':', '/')}`;

interface Edge {
  target: string;
  document: ConfigDocumentKind;
  item: string;
  segments: Array<string | number>;
}

/**
 * Checks what no single document's schema can: every reference points at something that exists,
 * no member is listed twice, and rotations and autoselects form no loop and nest at most
 * MAX_ROUTE_DEPTH deep. Pure: the caller decides what to store.
 */
export function checkConfigReferences(docs: UserConfigDocuments): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const edges = new Map<string, Edge[]>();
  const addEdge = (from: string, edge: Edge) => edges.set(from, [...(edges.get(from) ?? []), edge]);

  const checkProviderModel = (
    document: ConfigDocumentKind,
    item: string,
    providerId: string,
    model: string,
    providerPath: Array<string | number>,
    modelPath: Array<string | number>,
  ) => {
    const provider = docs.providers[providerId];
    if (!provider) {
      problems.push({ document, item, segments: providerPath, message: `unknown provider '${providerId}'` });
    } else if (!provider.models.some((m) => m.name === model)) {
      problems.push({ document, item, segments: modelPath, message: `provider '${providerId}' has no model '${model}'` });
    }
  };

  /** A route id used as a member, fallback or candidate; returns false when it is unusable. */
  const checkRouteId = (
    document: ConfigDocumentKind,
    item: string,
    id: string,
    segments: Array<string | number>,
    allowAutoselect: boolean,
  ) => {
    const ref = parseRouteRef(id);
    const from = nodeKey(document === 'rotations' ? 'rotation' : 'autoselect', item);
    if (ref.kind === 'invalid') {
      problems.push({
        document,
        item,
        segments,
        message: `'${id}' is not a route id (user-provider/{provider}/{model}, user-rotation/{name} or user-autoselect/{name})`,
      });
    } else if (ref.kind === 'provider') {
      checkProviderModel(document, item, ref.providerId, ref.model, segments, segments);
    } else if (ref.kind === 'autoselect' && !allowAutoselect) {
      problems.push({ document, item, segments, message: `a rotation's members are provider models or rotations, not '${id}'` });
    } else if (!(ref.kind === 'rotation' ? docs.rotations : docs.autoselect)[ref.name]) {
      problems.push({ document, item, segments, message: `unknown ${ref.kind} '${ref.name}'` });
    } else {
      addEdge(from, { target: nodeKey(ref.kind, ref.name), document, item, segments });
    }
  };

  const checkModelName = (document: ConfigDocumentKind, item: string, modelName: string | undefined) => {
    if (modelName !== undefined && modelName !== item) {
      problems.push({ document, item, segments: ['model_name'], message: `model_name must be the id it is stored under ('${item}') or be left out` });
    }
  };

  for (const [name, rotation] of Object.entries(docs.rotations)) {
    checkModelName('rotations', name, rotation.model_name);
    const seen = new Set<string>();
    const once = (key: string, segments: Array<string | number>) => {
      if (seen.has(key)) problems.push({ document: 'rotations', item: name, segments, message: `duplicate member ${key}` });
      seen.add(key);
    };
    rotation.providers.forEach((member, index) => {
      const at = ['providers', index];
      if ('model_id' in member) {
        once(member.model_id, [...at, 'model_id']);
        checkRouteId('rotations', name, member.model_id, [...at, 'model_id'], false);
      } else if ('models' in member) {
        member.models.forEach((model, j) => {
          once(`user-provider/${member.provider_id}/${model.name}`, [...at, 'models', j, 'name']);
          checkProviderModel('rotations', name, member.provider_id, model.name, [...at, 'provider_id'], [...at, 'models', j, 'name']);
        });
      } else {
        once(`user-provider/${member.provider_id}/${member.model}`, [...at, 'model']);
        checkProviderModel('rotations', name, member.provider_id, member.model, [...at, 'provider_id'], [...at, 'model']);
      }
    });
  }

  for (const [name, policy] of Object.entries(docs.autoselect)) {
    checkModelName('autoselect', name, policy.model_name);
    checkRouteId('autoselect', name, policy.fallback, ['fallback'], true);
    if (policy.selection_model.startsWith('user-')) {
      checkRouteId('autoselect', name, policy.selection_model, ['selection_model'], false);
    }
    const seen = new Set<string>();
    policy.available_models.forEach((model, index) => {
      const at = ['available_models', index, 'model_id'];
      if (seen.has(model.model_id)) problems.push({ document: 'autoselect', item: name, segments: at, message: `duplicate model_id ${model.model_id}` });
      seen.add(model.model_id);
      checkRouteId('autoselect', name, model.model_id, at, true);
    });
  }

  problems.push(...checkLoopsAndDepth(edges));
  return problems;
}

/** Depth-first walk: a back edge is a loop (reported once, where it closes); long chains are too deep. */
function checkLoopsAndDepth(edges: Map<string, Edge[]>): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const depth = new Map<string, number>();
  const stack: string[] = [];
  const reportedLoops = new Set<string>();
  let tooDeep = false;

  const visit = (node: string): number => {
    state.set(node, 'visiting');
    stack.push(node);
    let deepest = 0;
    for (const edge of edges.get(node) ?? []) {
      const seen = state.get(edge.target);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(edge.target)), edge.target];
        const id = [...cycle.slice(0, -1)].sort().join('|');
        if (!reportedLoops.has(id)) {
          reportedLoops.add(id);
          problems.push({ ...edgeLocation(edge), message: `loop: ${cycle.map(nodeLabel).join(' -> ')}` });
        }
        continue;
      }
      const below = seen === 'done' ? (depth.get(edge.target) ?? 0) : visit(edge.target);
      if (below + 1 >= MAX_ROUTE_DEPTH && !tooDeep) {
        tooDeep = true;
        problems.push({ ...edgeLocation(edge), message: `routes nest more than ${MAX_ROUTE_DEPTH} levels deep from ${nodeLabel(node)}` });
      }
      deepest = Math.max(deepest, below + 1);
    }
    stack.pop();
    state.set(node, 'done');
    depth.set(node, deepest);
    return deepest;
  };

  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return problems;
}

function edgeLocation(edge: Edge): Omit<ReferenceProblem, 'message'> {
  return { document: edge.document, item: edge.item, segments: edge.segments };
}

/** Where the client submitted a change: a whole document, or one item of it. */
export type SubmittedConfig = { document: ConfigDocumentKind; item?: string };

/**
 * The JSON path of a problem as the client sees it: inside the body it sent when the problem is
 * there, else in the user's whole configuration (`$.providers.x`, `$.rotations.x`, `$.autoselect.x`).
 */
export function locateProblem(problem: ReferenceProblem, submitted: SubmittedConfig): ConfigProblem {
  if (submitted.document === problem.document) {
    if (submitted.item === undefined) {
      const base = problem.document === 'autoselect' ? [problem.item] : [problem.document, problem.item];
      return { path: formatJsonPath([...base, ...problem.segments]), message: problem.message };
    }
    if (submitted.item === problem.item) return { path: formatJsonPath(problem.segments), message: problem.message };
  }
  return { path: formatJsonPath([problem.document, problem.item, ...problem.segments]), message: problem.message };
}
