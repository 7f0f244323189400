import { api, ApiError, userPath } from '../api.js';
import { badge, field, formatMs, formatTime, h, replaceChildren } from '../dom.js';
import { candidatesTable, Classification, EXPLAIN_MISSING, explainRoute, RouteExplanation } from '../explain.js';
import { clearProblems, showProblems } from '../form-problems.js';
import { loadCatalog, PageContext } from '../session.js';

interface RecentAttempt {
  attempt: number;
  provider_id: string;
  model: string;
  ok: boolean;
  status: number;
  code: string | null;
  latency_ms: number;
  ttft_ms: number | null;
}

interface RecentRequest {
  request_id: string;
  route: string;
  at: string;
  ok: boolean;
  status: number;
  provider_id: string;
  model: string;
  failover: boolean;
  latency_ms: number;
  attempts: RecentAttempt[];
}

const REFRESH_MS = 5_000;

/** Where a signal matched, with some context: the prompt is the user's own, held by this page only. */
function excerpt(prompt: string, start: number | undefined, end: number | undefined): HTMLElement | string {
  if (start === undefined || end === undefined || end > prompt.length || start >= end) return '';
  const from = Math.max(0, start - 24);
  const to = Math.min(prompt.length, end + 24);
  return h('span', { class: 'excerpt' }, from > 0 ? '…' : '', prompt.slice(from, start), h('mark', null, prompt.slice(start, end)), prompt.slice(end, to), to < prompt.length ? '…' : '');
}

function classificationCard(c: Classification, prompt: string): HTMLElement {
  const signals = c.signals ?? [];
  return h(
    'section',
    { class: 'card', 'data-testid': 'classification' },
    h('h2', null, 'Classification'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Privacy'),
      h('dd', { 'data-testid': 'privacy' }, c.classified === false && !c.degraded ? badge('not classified', 'muted') : c.private ? badge('private', 'bad') : badge('not private', 'ok'), c.degraded ? badge(`degraded: ${c.degraded}`, 'warn') : null),
      h('dt', null, 'Selected model'),
      h('dd', { 'data-testid': 'selected-model' }, c.selected ? h('code', null, c.selected) : '—'),
      h('dt', null, 'Method'),
      h('dd', null, `${c.method ?? '—'}${c.confidence !== undefined ? `, confidence ${c.confidence.toFixed(2)}` : ''}${c.cache ? `, decision cache: ${c.cache}` : ''}`),
    ),
    signals.length
      ? h(
          'table',
          { class: 'list compact', 'data-testid': 'signals' },
          h('thead', null, h('tr', null, h('th', null, 'Signal'), h('th', null, 'Category'), h('th', null, 'Where'))),
          h(
            'tbody',
            null,
            signals.map((s) =>
              h(
                'tr',
                { 'data-signal': s.detector },
                h('td', null, h('code', null, s.detector)),
                h('td', null, s.category ?? ''),
                h('td', null, s.messageIndex === 0 ? excerpt(prompt, s.start, s.end) : `message ${(s.messageIndex ?? 0) + 1}, characters ${s.start}–${s.end}`),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, c.classified === false ? 'This policy does not classify privacy.' : 'No privacy signals found.'),
  );
}

function explanationView(result: RouteExplanation, prompt: string): HTMLElement {
  const plan = result.plan ?? [];
  return h(
    'div',
    { 'data-testid': 'explanation' },
    result.classification ? classificationCard(result.classification, prompt) : null,
    h(
      'section',
      { class: 'card' },
      h('h2', null, 'Plan ', result.kind ? badge(result.kind, 'muted') : null, result.strategy ? badge(result.strategy, 'muted') : null),
      result.error ? h('p', { class: 'form-message error', role: 'alert' }, `This call would fail: ${result.error.code ?? ''} ${result.error.message ?? ''}`) : null,
      plan.length
        ? h(
            'ol',
            { class: 'plan', 'data-testid': 'plan' },
            plan.map((step, i) => h('li', null, h('code', null, `${step.provider_id}/${step.model}`), i === 0 ? badge('first choice', 'ok') : badge('failover', 'info'), step.probe ? badge('probe', 'warn') : null)),
          )
        : null,
      result.max_attempts ? h('p', { class: 'muted small' }, `At most ${result.max_attempts} candidates are tried per request.`) : null,
      result.candidates?.length ? candidatesTable(result.candidates, 'explain-candidates') : null,
      result.explanation?.length ? h('details', { open: true }, h('summary', null, 'Reasons'), h('ul', { class: 'reasons' }, result.explanation.map((line) => h('li', null, line)))) : null,
    ),
  );
}

function recentTable(requests: RecentRequest[]): HTMLElement {
  if (!requests.length) return h('p', { class: 'empty' }, 'No requests yet. Calls made with your tokens appear here within seconds.');
  return h(
    'table',
    { class: 'list', 'data-testid': 'recent-requests' },
    h('thead', null, h('tr', null, ['Time', 'Route', 'Answered by', 'Status', 'Attempts', 'Latency'].map((c) => h('th', null, c)))),
    requests.map((r) =>
      h(
        'tbody',
        { 'data-request': r.request_id },
        h(
          'tr',
          null,
          h('td', null, formatTime(r.at)),
          h('td', null, h('code', null, r.route)),
          h('td', null, h('code', null, `${r.provider_id}/${r.model}`)),
          h('td', null, r.ok ? badge(String(r.status), 'ok') : badge(`${r.status} ${r.attempts[r.attempts.length - 1]?.code ?? ''}`, 'bad')),
          h('td', null, String(r.attempts.length), r.failover ? badge('failover', 'warn') : null),
          h('td', null, formatMs(r.latency_ms)),
        ),
        r.attempts.length > 1 || !r.ok
          ? h(
              'tr',
              { class: 'attempts' },
              h(
                'td',
                { colspan: 6 },
                h('ol', null, r.attempts.map((a) => h('li', null, h('code', null, `${a.provider_id}/${a.model}`), ' ', a.ok ? badge(`ok ${a.status}`, 'ok') : badge(`${a.code ?? 'error'} ${a.status}`, 'bad'), ` ${formatMs(a.latency_ms)}`))),
              ),
            )
          : null,
      ),
    ),
  );
}

/** Route debugger: explain a prompt's route, and see what recent requests actually did. */
export async function renderDebugger(context: PageContext): Promise<void> {
  const { session, main } = context;
  const catalog = await loadCatalog(session);
  const preferred = catalog.find((m) => m.kind === 'autoselect') ?? catalog.find((m) => m.kind === 'rotation') ?? catalog[0];
  const model = h('input', { name: 'model', list: 'debug-routes', value: preferred?.id ?? '', placeholder: 'user-autoselect/engineering' });
  const prompt = h('textarea', { name: 'prompt', rows: 5, placeholder: 'Fix this failing private test.' }, 'Fix this failing private test.');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Explain route');
  const result = h('div');
  const recentArea = h('div');
  const form = h(
    'form',
    { class: 'card editor', novalidate: true, 'data-testid': 'debug-form' },
    h('datalist', { id: 'debug-routes' }, catalog.map((m) => h('option', { value: m.id }, m.description ?? m.kind))),
    h('div', { class: 'form-message' }),
    field('Model id', model, '$.model'),
    field('Prompt', prompt, '$.messages'),
    h('div', { class: 'buttons' }, submit, h('span', { class: 'muted small' }, 'A dry run: no backend is called and nothing changes.')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    submit.disabled = true;
    replaceChildren(result, h('p', { class: 'loading' }, 'Explaining…'));
    try {
      const explanation = await explainRoute(session, model.value.trim(), prompt.value);
      replaceChildren(result, explanation ? explanationView(explanation, prompt.value) : h('p', { class: 'form-message error' }, EXPLAIN_MISSING));
    } catch (error) {
      replaceChildren(result);
      const failure = error as ApiError;
      showProblems(form, failure.param === 'model' ? new ApiError(failure.status, failure.code, failure.message, '$.model', []) : error);
    } finally {
      submit.disabled = false;
    }
  });

  const loadRecent = async () => {
    try {
      const { data } = await api<{ data: RecentRequest[] }>('GET', userPath(session.username, 'requests/recent?limit=50'));
      replaceChildren(recentArea, recentTable(data.data));
    } catch (error) {
      replaceChildren(recentArea, h('p', { class: 'form-message error' }, (error as Error).message));
    }
  };
  const timer = setInterval(() => void loadRecent(), REFRESH_MS);
  context.onLeave(() => clearInterval(timer));

  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'Route debugger')),
    h('p', { class: 'lead' }, 'Paste a prompt and a model id to see the classification signals, the selected model and the ordered plan with its reasons.'),
    form,
    result,
    h('header', { class: 'page-head' }, h('h2', null, 'Recent requests'), h('button', { type: 'button', class: 'secondary small', onclick: () => void loadRecent() }, 'Refresh')),
    recentArea,
  );
  await loadRecent();
}
