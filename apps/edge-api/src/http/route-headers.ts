import { Candidate, classificationHeader, RoutePlan, selectedHeader } from '@aisbf/contracts';
import type { AisbfError } from '@aisbf/contracts';

/** Header values are ASCII without control characters; anything else (a model name in another script) is percent-encoded. */
export function headerSafe(value: string): string {
  const safe = /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
  return safe.length > 512 ? `${safe.slice(0, 509)}...` : safe;
}

export interface FailedAttempt {
  candidate: Candidate;
  error: AisbfError;
}

/**
 * The headers that name the route a response took: the id asked for, the candidate that answered,
 * how many attempts it took, and which candidates failed before it.
 */
export function routeHeaders(
  plan: RoutePlan,
  requestId: string,
  answered: { candidate: Candidate; attempt: number } | null,
  failed: readonly FailedAttempt[],
): Record<string, string> {
  const headers: Record<string, string> = { 'x-aisbf-route': headerSafe(plan.routeId), 'x-aisbf-request-id': requestId };
  if (plan.classification) {
    // What a policy route decided: private or not (detector names only) and the model it chose.
    headers['x-aisbf-classification'] = headerSafe(classificationHeader(plan.classification));
    headers['x-aisbf-selected'] = headerSafe(selectedHeader(plan.classification));
  }
  if (answered) {
    headers['x-aisbf-provider'] = headerSafe(answered.candidate.providerId);
    headers['x-aisbf-model'] = headerSafe(answered.candidate.model);
    headers['x-aisbf-attempts'] = String(answered.attempt);
  }
  if (failed.length > 0) {
    headers['x-aisbf-failover'] = headerSafe(
      failed.map(({ candidate, error }) => `${candidate.providerId}/${candidate.model} (${error.code} ${error.upstreamStatus ?? error.status})`).join(', '),
    );
  }
  return headers;
}
