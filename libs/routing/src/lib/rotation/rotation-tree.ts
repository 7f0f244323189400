import type { CompiledModel, CompiledProvider, UserRouteConfig } from '../config/user-route-config';
import { MAX_ROUTE_DEPTH } from '../config/config-references';

/** How a rotation may reference other routes; the grammar itself lives with the contracts. */
export type RouteReference =
  | { kind: 'provider'; providerId: string; model: string }
  | { kind: 'rotation'; name: string }
  | { kind: 'autoselect'; name: string };
export type RouteReferenceParser = (raw: string) => RouteReference | null;

/** Most candidate slots one route may expand to (nesting multiplies). */
export const MAX_EXPANDED_MEMBERS = 1_000;

/** One provider model as a member of a rotation. */
export interface RouteLeaf {
  kind: 'leaf';
  providerId: string;
  model: string;
  weight: number;
  /** The candidate's own error_cooldown, or the one given to the nested rotation that holds it. */
  errorCooldownSeconds: number | undefined;
  /** Rotation names from the requested one down to the one listing this candidate. */
  path: string[];
  /** Capabilities of the nearest enclosing rotation that declares some (used when the model declares none). */
  rotationCapabilities: string[] | null;
  provider: CompiledProvider | null;
  compiledModel: CompiledModel | null;
  /** Why this member cannot be used at all (unknown provider or model, autoselect inside a rotation, ...). */
  problem: string | null;
}

export interface RotationNode {
  kind: 'rotation';
  name: string;
  /** Weight within the parent rotation (1 for the requested one). */
  weight: number;
  strategy: 'weighted' | 'priority';
  privacy: boolean;
  capabilities: string[] | null;
  path: string[];
  members: RouteMember[];
}

export type RouteMember = RouteLeaf | RotationNode;

export type RouteExpansionFailure = 'unknown_rotation' | 'loop' | 'too_deep' | 'too_large';

/** A rotation that cannot be expanded: a loop, too deep, too large, or not there. */
export class RouteExpansionError extends Error {
  constructor(
    readonly reason: RouteExpansionFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RouteExpansionError';
  }
}

interface ExpansionContext {
  config: UserRouteConfig;
  parse: RouteReferenceParser;
  maxDepth: number;
  members: number;
}

export interface ExpansionOptions {
  parseReference: RouteReferenceParser;
  maxDepth?: number;
}

/**
 * The rotation `name` of this user as a tree: nested rotations expanded (bounded depth, loops
 * rejected with the path that loops), AISBF's nested `models` lists flattened into one member per
 * model. Members that cannot be used stay in the tree with a `problem`, so explanations show them.
 */
export function expandRotation(config: UserRouteConfig, name: string, options: ExpansionOptions): RotationNode {
  const context: ExpansionContext = { config, parse: options.parseReference, maxDepth: options.maxDepth ?? MAX_ROUTE_DEPTH, members: 0 };
  return expandNode(context, name, 1, [], null, undefined);
}

function expandNode(
  context: ExpansionContext,
  name: string,
  weight: number,
  parents: string[],
  inheritedCapabilities: string[] | null,
  inheritedCooldown: number | undefined,
): RotationNode {
  const rotation = context.config.rotations.get(name);
  if (!rotation) throw new RouteExpansionError('unknown_rotation', `rotation '${name}' does not exist`);
  const path = [...parents, name];
  if (parents.includes(name)) {
    throw new RouteExpansionError('loop', `rotation loop: ${path.map((n) => `user-rotation/${n}`).join(' -> ')}`);
  }
  if (path.length > context.maxDepth) {
    throw new RouteExpansionError(
      'too_deep',
      `rotations nest deeper than ${context.maxDepth} levels: ${path.map((n) => `user-rotation/${n}`).join(' -> ')}`,
    );
  }
  const capabilities = rotation.capabilities && rotation.capabilities.length > 0 ? rotation.capabilities : inheritedCapabilities;
  const node: RotationNode = {
    kind: 'rotation',
    name,
    weight,
    strategy: rotation.strategy,
    privacy: rotation.privacy,
    capabilities: rotation.capabilities ?? null,
    path,
    members: [],
  };
  const leaf = (providerId: string, model: string, w: number, cooldown: number | undefined, problem: string | null = null): RouteLeaf => {
    const provider = context.config.providers.get(providerId) ?? null;
    const compiledModel = provider?.models.get(model) ?? null;
    let why = problem;
    if (!why && !provider) why = `provider '${providerId}' does not exist`;
    if (!why && !compiledModel) why = `provider '${providerId}' has no model '${model}'`;
    return {
      kind: 'leaf',
      providerId,
      model,
      weight: w,
      errorCooldownSeconds: cooldown ?? inheritedCooldown,
      path,
      rotationCapabilities: capabilities,
      provider,
      compiledModel,
      problem: why,
    };
  };
  const add = (member: RouteMember) => {
    context.members++;
    if (context.members > MAX_EXPANDED_MEMBERS) {
      throw new RouteExpansionError('too_large', `rotation '${path[0]}' expands to more than ${MAX_EXPANDED_MEMBERS} candidates`);
    }
    node.members.push(member);
  };

  for (const entry of rotation.providers) {
    if ('models' in entry) {
      for (const model of entry.models) add(leaf(entry.provider_id, model.name, model.weight, model.error_cooldown));
    } else if ('provider_id' in entry) {
      add(leaf(entry.provider_id, entry.model, entry.weight, entry.error_cooldown));
    } else {
      const reference = context.parse(entry.model_id);
      if (reference?.kind === 'rotation' && context.config.rotations.has(reference.name)) {
        add(expandNode(context, reference.name, entry.weight, path, capabilities, entry.error_cooldown ?? inheritedCooldown));
      } else if (reference?.kind === 'provider') {
        add(leaf(reference.providerId, reference.model, entry.weight, entry.error_cooldown));
      } else {
        const why =
          reference?.kind === 'rotation'
            ? `rotation '${reference.name}' does not exist`
            : reference?.kind === 'autoselect'
              ? `'${entry.model_id}' is an autoselect policy; a rotation lists providers and rotations only`
              : `'${entry.model_id}' is not a route id (user-rotation/{name} or user-provider/{provider}/{model})`;
        add(leaf(entry.model_id, entry.model_id, entry.weight, entry.error_cooldown, why));
      }
    }
  }
  return node;
}

/** Every leaf of the tree, in configuration order (depth first). */
export function treeLeaves(node: RotationNode): RouteLeaf[] {
  const leaves: RouteLeaf[] = [];
  const visit = (member: RouteMember) => {
    if (member.kind === 'leaf') leaves.push(member);
    else member.members.forEach(visit);
  };
  visit(node);
  return leaves;
}

/** Every rotation of the tree (the requested one first). */
export function treeRotations(node: RotationNode): RotationNode[] {
  const rotations: RotationNode[] = [node];
  for (const member of node.members) if (member.kind === 'rotation') rotations.push(...treeRotations(member));
  return rotations;
}

/** The identity of a candidate for cooldowns and statistics: provider + model. */
export function candidateKey(providerId: string, model: string): string {
  return `${providerId}\u0000${model}`;
}
