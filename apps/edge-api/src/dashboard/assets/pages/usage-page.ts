import { api, userPath } from '../api.js';
import { lineChart } from '../chart.js';
import { field, formatMs, h, replaceChildren } from '../dom.js';
import type { PageContext } from '../session.js';
import { bucketStarts, Dimension, groupKey, Metric, METRIC_LABELS, usageSeries, UsageRow } from '../usage-series.js';

interface UsageReport {
  from: string;
  to: string;
  bucket_seconds: number;
  rows: UsageRow[];
  truncated: boolean;
}

const RANGES: Array<{ label: string; ms: number; bucket: string }> = [
  { label: 'Last hour', ms: 3_600_000, bucket: 'minute' },
  { label: 'Last 6 hours', ms: 6 * 3_600_000, bucket: '5m' },
  { label: 'Last 24 hours', ms: 86_400_000, bucket: '15m' },
  { label: 'Last 7 days', ms: 7 * 86_400_000, bucket: 'hour' },
  { label: 'Last 30 days', ms: 30 * 86_400_000, bucket: '6h' },
];
const METRICS: Metric[] = ['requests', 'tokens', 'errors', 'latency'];
const REFRESH_MS = 15_000;

function totalsTable(rows: UsageRow[], dimension: Dimension): HTMLElement {
  const totals = new Map<string, { requests: number; attempts: number; errors: number; failovers: number; tokens: number; latency: number; max: number }>();
  for (const row of rows) {
    const key = groupKey(row, dimension);
    const t = totals.get(key) ?? { requests: 0, attempts: 0, errors: 0, failovers: 0, tokens: 0, latency: 0, max: 0 };
    totals.set(key, t);
    t.requests += row.requests;
    t.attempts += row.attempts;
    t.errors += row.errors;
    t.failovers += row.failovers;
    t.tokens += row.prompt_tokens + row.completion_tokens;
    t.latency += row.latency_ms_sum;
    t.max = Math.max(t.max, row.latency_ms_max);
  }
  const label = dimension === 'route' ? 'Route' : dimension === 'provider' ? 'Provider' : 'Provider / model';
  return h(
    'table',
    { class: 'list', 'data-testid': 'usage-totals' },
    h('thead', null, h('tr', null, [label, 'Requests', 'Attempts', 'Errors', 'Failovers', 'Tokens', 'Avg latency', 'Max latency'].map((c) => h('th', null, c)))),
    h(
      'tbody',
      null,
      [...totals.entries()]
        .sort((a, b) => b[1].attempts - a[1].attempts)
        .map(([key, t]) =>
          h(
            'tr',
            { 'data-group': key },
            h('td', null, h('code', null, key)),
            h('td', null, String(t.requests)),
            h('td', null, String(t.attempts)),
            h('td', null, String(t.errors)),
            h('td', null, String(t.failovers)),
            h('td', null, String(t.tokens)),
            h('td', null, formatMs(t.attempts ? t.latency / t.attempts : null)),
            h('td', null, formatMs(t.max)),
          ),
        ),
    ),
  );
}

/** Usage: requests, tokens, errors and latency per route, provider and model over time. */
export async function renderUsage(context: PageContext): Promise<void> {
  const { session, main } = context;
  const range = h('select', { name: 'range' }, RANGES.map((r, i) => h('option', { value: String(i), selected: i === 2 }, r.label)));
  const dimension = h('select', { name: 'group_by' }, (['route', 'provider', 'model'] as Dimension[]).map((d) => h('option', { value: d }, d)));
  const charts = h('div', { class: 'charts' });
  const totals = h('div');
  const note = h('p', { class: 'muted small' });

  const load = async () => {
    const chosen = RANGES[Number(range.value)];
    const to = Date.now();
    const from = to - chosen.ms;
    const { data } = await api<UsageReport>('GET', userPath(session.username, `usage?from=${from}&to=${to}&bucket=${chosen.bucket}`));
    const buckets = bucketStarts(Date.parse(data.from), Date.parse(data.to), data.bucket_seconds);
    const by = dimension.value as Dimension;
    replaceChildren(charts, METRICS.map((metric) => lineChart(METRIC_LABELS[metric], usageSeries(data.rows, by, metric, buckets), buckets, data.bucket_seconds * 1000, `chart-${metric}`, metric !== 'latency')));
    replaceChildren(totals, data.rows.length ? totalsTable(data.rows, by) : h('p', { class: 'empty' }, 'No requests in this range.'));
    note.textContent = `${buckets.length} buckets of ${data.bucket_seconds / 60} min${data.truncated ? ' — more rows than one report holds: choose a shorter range' : ''}. Updated ${new Date().toLocaleTimeString()}.`;
  };
  range.addEventListener('change', () => void load());
  dimension.addEventListener('change', () => void load());
  const timer = setInterval(() => void load().catch(() => undefined), REFRESH_MS);
  context.onLeave(() => clearInterval(timer));

  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'Usage'), h('div', { class: 'inline' }, field('Range', range), field('Group by', dimension))),
    note,
    charts,
    h('h2', null, 'Totals'),
    totals,
  );
  await load();
}
