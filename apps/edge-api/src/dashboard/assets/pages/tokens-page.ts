import { api, userPath } from '../api.js';
import { badge, field, formatTime, h, replaceChildren } from '../dom.js';
import { clearProblems, showProblems } from '../form-problems.js';
import { numberFrom } from '../repeater.js';
import type { PageContext } from '../session.js';

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  managed_by: 'file' | 'api';
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export function tokenState(token: TokenView): HTMLElement {
  if (token.revoked_at) return badge('revoked', 'bad');
  if (token.expires_at && Date.parse(token.expires_at) <= Date.now()) return badge('expired', 'muted');
  return badge('active', 'ok');
}

/** The one time a token is visible: copy it now, only its hash is stored. */
export function issuedTokenCard(token: string, who: string): HTMLElement {
  const value = h('input', { readonly: true, value: token, class: 'mono', 'data-testid': 'issued-token', 'aria-label': 'New token' });
  const copy = h('button', { type: 'button', class: 'secondary small' }, 'Copy');
  copy.addEventListener('click', () => {
    value.select();
    void navigator.clipboard?.writeText(token).catch(() => undefined);
    copy.textContent = 'Copied';
  });
  return h('div', { class: 'card issued', role: 'status' }, h('h2', null, `New token for ${who}`), h('p', null, 'Copy it now: it is shown only this once (AISBF keeps only its hash).'), h('div', { class: 'inline' }, value, copy));
}

/** API tokens: create (shown once), list, revoke. */
export async function renderTokens(context: PageContext): Promise<void> {
  const { session, main } = context;
  const base = userPath(session.username, 'tokens');
  const listArea = h('div');
  const issuedArea = h('div');

  const load = async () => {
    const { data } = await api<{ data: TokenView[] }>('GET', base);
    replaceChildren(
      listArea,
      data.data.length
        ? h(
            'table',
            { class: 'list', 'data-testid': 'tokens-table' },
            h('thead', null, h('tr', null, ['Name', 'Prefix', 'State', 'Created', 'Last used', 'Expires', ''].map((c) => h('th', null, c)))),
            h(
              'tbody',
              null,
              data.data.map((t) =>
                h(
                  'tr',
                  { 'data-token': t.id },
                  h('td', null, t.name, t.managed_by === 'file' ? badge('file', 'muted') : null),
                  h('td', { class: 'mono' }, `${t.prefix}…`),
                  h('td', null, tokenState(t)),
                  h('td', null, formatTime(t.created_at)),
                  h('td', null, formatTime(t.last_used_at)),
                  h('td', null, t.expires_at ? formatTime(t.expires_at) : 'never'),
                  h('td', { class: 'actions' }, t.revoked_at || t.managed_by === 'file' ? null : h('button', { type: 'button', class: 'danger small', onclick: () => void revoke(t) }, 'Revoke')),
                ),
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'No tokens yet.'),
    );
  };

  const revoke = async (token: TokenView) => {
    if (!confirm(`Revoke token "${token.name}" (${token.prefix}…)? Applications using it stop working at once.`)) return;
    await api('DELETE', `${base}/${encodeURIComponent(token.id)}`);
    await load();
  };

  const name = h('input', { name: 'token_name', placeholder: 'ci, laptop, my-app' });
  const days = h('input', { type: 'number', name: 'expires_in_days', placeholder: 'never' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create token');
  const form = h(
    'form',
    { class: 'card editor', novalidate: true, 'data-testid': 'token-form' },
    h('h2', null, 'New token'),
    h('div', { class: 'form-message' }),
    h('div', { class: 'grid2' }, field('Name', name, '$.name'), field('Expires in (days)', days, '$.expires_in_days')),
    h('div', { class: 'buttons' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    submit.disabled = true;
    try {
      const body: Record<string, unknown> = { name: name.value.trim() || 'api' };
      const expires = numberFrom(days);
      if (expires !== undefined) body.expires_in_days = expires;
      const { data } = await api<TokenView & { token: string }>('POST', base, body);
      replaceChildren(issuedArea, issuedTokenCard(data.token, session.username));
      name.value = '';
      days.value = '';
      await load();
    } catch (error) {
      showProblems(form, error);
    } finally {
      submit.disabled = false;
    }
  });

  replaceChildren(
    main,
    h('header', { class: 'page-head' }, h('h1', null, 'API tokens')),
    h('p', { class: 'lead' }, 'Applications send a token as "Authorization: Bearer …" to ', h('code', null, `/api/u/${session.username}/chat/completions`), ' or ', h('code', null, '/v1'), '.'),
    issuedArea,
    form,
    listArea,
  );
  await load();
}
