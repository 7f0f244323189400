import { api, ApiError, userPath } from './api.js';
import { badge, formatMs, formatTime, h } from './dom.js';
import type { Session } from './session.js';

/** The route explanation (`POST /route/explain`): what a call would do now, and why. */
export interface CandidateExplanation {
  provider_id: string;
  model: string;
  rotation_path?: string[];
  weight?: number;
  share?: number;
  error_cooldown_seconds?: number;
  status: string;
  position: number | null;
  reason: string;
  probe?: boolean;
  private?: boolean;
  cooldown?: { until: string; remaining_seconds: number; level: number; status: number; code: string | null } | null;
  stats?: { requests: number; success_rate: number | null; avg_latency_ms: number | null; last_failure: { at: string; status: number | null; code: string | null } | null } | null;
}

export interface Classification {
  policy?: string;
  classified?: boolean;
  private?: boolean;
  signals?: Array<{ detector: string; category?: string; messageIndex?: number; start?: number; end?: number }>;
  selected?: string;
  method?: string;
  confidence?: number;
  cache?: string;
  degraded?: string;
}

export interface RouteExplanation {
  route?: string;
  kind?: string;
  strategy?: string | null;
  state_store?: string;
  plan?: Array<{ position: number; provider_id: string; model: string; probe?: boolean }>;
  candidates?: CandidateExplanation[];
  explanation?: string[];
  classification?: Classification | null;
  error?: { code?: string; message?: string; status?: number } | null;
  max_attempts?: number;
}

/** Asks the edge to explain a route for one prompt; null when this server has no explain endpoint. */
export async function explainRoute(session: Session, model: string, prompt: string): Promise<RouteExplanation | null> {
  try {
    const { data } = await api<RouteExplanation>('POST', userPath(session.username, 'route/explain'), { model, messages: [{ role: 'user', content: prompt }] });
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') return null;
    throw error;
  }
}

export const EXPLAIN_MISSING = 'This AISBF server has no route explanation endpoint (POST /api/u/{username}/route/explain), so plans and cooldown state cannot be shown.';

const STATUS_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  selected: 'ok',
  failover: 'info',
  cooling: 'bad',
  half_open: 'warn',
  probe_in_flight: 'warn',
  filtered_capability: 'muted',
  filtered_privacy: 'muted',
  invalid: 'bad',
};

export function statusBadge(status: string): HTMLElement {
  return badge(status.replace(/_/g, ' '), STATUS_TONE[status] ?? 'info');
}

/** Every candidate with its place in the plan, status, cooldown and recent statistics. */
export function candidatesTable(candidates: CandidateExplanation[], testId: string): HTMLElement {
  const sorted = [...candidates].sort((a, b) => (a.position ?? 999) - (b.position ?? 999));
  return h(
    'table',
    { class: 'list compact', 'data-testid': testId },
    h('thead', null, h('tr', null, ['#', 'Candidate', 'Status', 'Weight', 'Cooldown', 'Last 15 min', 'Reason'].map((c) => h('th', null, c)))),
    h(
      'tbody',
      null,
      sorted.map((c) =>
        h(
          'tr',
          { 'data-candidate': `${c.provider_id}/${c.model}`, 'data-status': c.status },
          h('td', null, c.position ?? '—'),
          h('td', null, h('code', null, `${c.provider_id}/${c.model}`), c.private ? badge('private', 'ok') : null, c.probe ? badge('probe', 'warn') : null),
          h('td', null, statusBadge(c.status)),
          h('td', null, c.weight !== undefined ? `${c.weight}${c.share !== undefined ? ` (${Math.round(c.share * 100)}%)` : ''}` : '—'),
          h(
            'td',
            { 'data-testid': 'cooldown' },
            c.cooldown
              ? h('span', null, `${Math.ceil(c.cooldown.remaining_seconds)} s left`, h('small', { class: 'muted block' }, `after ${c.cooldown.code ?? ''} ${c.cooldown.status}, until ${formatTime(c.cooldown.until)}`))
              : c.error_cooldown_seconds !== undefined
                ? h('span', { class: 'muted' }, `none (${c.error_cooldown_seconds} s on error)`)
                : '—',
          ),
          h(
            'td',
            null,
            c.stats
              ? `${c.stats.requests} req${c.stats.success_rate !== null ? `, ${Math.round(c.stats.success_rate * 100)}% ok` : ''}${c.stats.avg_latency_ms !== null ? `, ${formatMs(c.stats.avg_latency_ms)}` : ''}`
              : '—',
          ),
          h('td', { class: 'reason' }, c.reason),
        ),
      ),
    ),
  );
}
