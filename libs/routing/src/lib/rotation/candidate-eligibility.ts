import type { RouteLeaf } from './rotation-tree';

/** What a request needs from a backend (the edge derives it from the body). */
export interface RouteNeeds {
  stream: boolean;
  tools: boolean;
  images: boolean;
}

/** Request feature -> the capability a candidate must declare for it. */
export const NEEDED_CAPABILITIES: ReadonlyArray<{ need: keyof RouteNeeds; capability: string; why: string }> = [
  { need: 'tools', capability: 'tool_use', why: 'the request has tools' },
  { need: 'images', capability: 'vision', why: 'the request has images' },
];

export function requiredCapabilities(needs: RouteNeeds): Array<{ capability: string; why: string }> {
  return NEEDED_CAPABILITIES.filter((entry) => needs[entry.need]).map(({ capability, why }) => ({ capability, why }));
}

/**
 * What a candidate is known to do: the model's own declaration, else its rotation's; null when
 * nothing is declared (unknown candidates are not filtered out).
 */
export function leafCapabilities(leaf: RouteLeaf): string[] | null {
  const own = leaf.compiledModel?.capabilities ?? [];
  if (own.length > 0) return own;
  return leaf.rotationCapabilities && leaf.rotationCapabilities.length > 0 ? leaf.rotationCapabilities : null;
}

/** A candidate is private only when its provider is declared `private` (data stays on infrastructure you control). */
export function leafIsPrivate(leaf: RouteLeaf): boolean {
  return leaf.provider?.private === true;
}

export type EligibilityVerdict =
  | { eligible: true }
  | { eligible: false; filter: 'invalid' | 'capability' | 'privacy'; reason: string };

export function leafEligibility(leaf: RouteLeaf, needs: RouteNeeds, requirePrivate: boolean): EligibilityVerdict {
  if (leaf.problem) return { eligible: false, filter: 'invalid', reason: leaf.problem };
  if (requirePrivate && !leafIsPrivate(leaf)) {
    return { eligible: false, filter: 'privacy', reason: `provider '${leaf.providerId}' is not declared private and this request must stay private` };
  }
  const declared = leafCapabilities(leaf);
  if (declared) {
    const missing = requiredCapabilities(needs).filter((entry) => !declared.includes(entry.capability));
    if (missing.length > 0) {
      return {
        eligible: false,
        filter: 'capability',
        reason: missing.map((entry) => `lacks ${entry.capability} (${entry.why})`).join('; '),
      };
    }
  }
  return { eligible: true };
}
