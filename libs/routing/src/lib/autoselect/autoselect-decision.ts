import type { AutoselectEntry } from './autoselect-entries';

/** What the request needs from a backend (the edge's hints). */
export interface RequestNeeds {
  tools: boolean;
  images: boolean;
}

/** What a selector proposed; the policy may still override it. */
export interface SelectionProposal {
  modelId: string | null;
  method: 'local' | 'llm' | 'sticky' | 'single' | 'fallback' | 'priority';
  confidence: number;
  reason: string;
}

export type AutoselectOutcome =
  | {
      ok: true;
      /** Routes to plan, in order: the chosen one, then the fallback when allowed and different. */
      targets: string[];
      selected: string;
      method: SelectionProposal['method'];
      confidence: number;
      reasons: string[];
    }
  | { ok: false; code: 'no_private_route' | 'no_route'; reason: string };

function byPriority(a: AutoselectEntry, b: AutoselectEntry): number {
  return (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER);
}

function fits(entry: AutoselectEntry, needs: RequestNeeds): boolean {
  if (entry.capabilities.length === 0) return true;
  if (needs.tools && !entry.capabilities.includes('tool_use')) return false;
  if (needs.images && !entry.capabilities.includes('vision')) return false;
  return true;
}

/**
 * The candidates a request may reach. Privacy is a hard constraint: a private request only ever
 * reaches private routes. Capabilities narrow further only when some candidate fits.
 */
export function eligibleEntries(entries: AutoselectEntry[], isPrivate: boolean, needs: RequestNeeds): AutoselectEntry[] {
  const allowed = entries.filter((e) => e.known && (!isPrivate || e.private));
  const fitting = allowed.filter((e) => fits(e, needs));
  return fitting.length > 0 ? fitting : allowed;
}

/**
 * The policy's verdict: the selector's proposal when it is allowed, otherwise the fallback when it
 * is allowed, otherwise the preferred allowed candidate; a private request with no private route
 * is refused, never sent elsewhere.
 */
export function decideAutoselect(input: {
  policy: string;
  entries: AutoselectEntry[];
  fallback: AutoselectEntry;
  isPrivate: boolean;
  needs: RequestNeeds;
  proposal: SelectionProposal | null;
}): AutoselectOutcome {
  const { policy, fallback, isPrivate, proposal } = input;
  const eligible = eligibleEntries(input.entries, isPrivate, input.needs);
  const fallbackAllowed = fallback.known && (!isPrivate || fallback.private);
  if (eligible.length === 0 && !fallbackAllowed) {
    return isPrivate
      ? {
          ok: false,
          code: 'no_private_route',
          reason: `this request looks private and policy '${policy}' has no private route (mark a candidate "privacy": true, use a rotation with "privacy": true or a provider declared "private")`,
        }
      : { ok: false, code: 'no_route', reason: `none of the models of policy '${policy}' exists for this user` };
  }
  const reasons: string[] = [];
  const allowedIds = new Set(eligible.map((e) => e.modelId));
  if (fallbackAllowed) allowedIds.add(fallback.modelId);

  let selected: string;
  let method: SelectionProposal['method'];
  let confidence: number;
  if (proposal?.modelId && allowedIds.has(proposal.modelId)) {
    selected = proposal.modelId;
    method = proposal.method;
    confidence = proposal.confidence;
    reasons.push(proposal.reason);
  } else {
    if (proposal?.modelId) {
      reasons.push(
        `${proposal.method} selector chose ${proposal.modelId}, which ${isPrivate ? 'is not a private route' : 'is not an available route'}: overridden`,
      );
    } else if (proposal) {
      reasons.push(proposal.reason);
    }
    if (fallbackAllowed) {
      selected = fallback.modelId;
      method = 'fallback';
      confidence = 0;
      reasons.push(`using the policy's fallback ${fallback.modelId}`);
    } else {
      selected = [...eligible].sort(byPriority)[0].modelId;
      method = eligible.length === 1 ? 'single' : 'priority';
      confidence = eligible.length === 1 ? 1 : 0;
      reasons.push(
        isPrivate
          ? `fallback ${fallback.modelId} is not private: using private route ${selected}`
          : `fallback ${fallback.modelId} does not exist: using ${selected}`,
      );
    }
  }
  const targets = [selected];
  if (fallbackAllowed && fallback.modelId !== selected) targets.push(fallback.modelId);
  return { ok: true, targets, selected, method, confidence, reasons };
}
