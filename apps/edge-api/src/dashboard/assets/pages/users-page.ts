import { api } from '../api.js';
import { badge, field, formatTime, h, replaceChildren } from '../dom.js';
import { clearProblems, showProblems, showSuccess } from '../form-problems.js';
import type { PageContext } from '../session.js';
import { issuedTokenCard } from './tokens-page.js';

interface UserView {
  username: string;
  role: 'admin' | 'user';
  disabled: boolean;
  managed_by: 'file' | 'api';
  created_at: string;
}

const userUrl = (username: string, rest = '') => `/api/admin/users/${encodeURIComponent(username)}${rest}`;

/** Admins: create users, disable them, set passwords, issue tokens. */
export async function renderUsers(context: PageContext): Promise<void> {
  const { main } = context;
  const listArea = h('div');
  const actionArea = h('div');

  const load = async () => {
    const { data } = await api<{ data: UserView[] }>('GET', '/api/admin/users');
    replaceChildren(
      listArea,
      h(
        'table',
        { class: 'list', 'data-testid': 'users-table' },
        h('thead', null, h('tr', null, ['User', 'Role', 'State', 'Created', ''].map((c) => h('th', null, c)))),
        h(
          'tbody',
          null,
          data.data.map((u) =>
            h(
              'tr',
              { 'data-user': u.username },
              h('td', null, h('strong', null, u.username), u.managed_by === 'file' ? badge('file', 'muted') : null),
              h('td', null, u.role),
              h('td', null, u.disabled ? badge('disabled', 'bad') : badge('active', 'ok')),
              h('td', null, formatTime(u.created_at)),
              h(
                'td',
                { class: 'actions' },
                h('button', { type: 'button', class: 'secondary small', disabled: u.managed_by === 'file', onclick: () => void toggle(u) }, u.disabled ? 'Enable' : 'Disable'),
                h('button', { type: 'button', class: 'secondary small', onclick: () => passwordForm(u.username) }, 'Set password'),
                h('button', { type: 'button', class: 'secondary small', onclick: () => void issue(u.username) }, 'Issue token'),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const toggle = async (user: UserView) => {
    try {
      await api('PATCH', userUrl(user.username), { disabled: !user.disabled });
      await load();
    } catch (error) {
      replaceChildren(actionArea, h('p', { class: 'form-message error', role: 'alert' }, (error as Error).message));
    }
  };

  const issue = async (username: string) => {
    try {
      const { data } = await api<{ token: string }>('POST', userUrl(username, '/tokens'), { name: 'dashboard' });
      replaceChildren(actionArea, issuedTokenCard(data.token, username));
    } catch (error) {
      replaceChildren(actionArea, h('p', { class: 'form-message error', role: 'alert' }, (error as Error).message));
    }
  };

  const passwordForm = (username: string) => {
    const password = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password' });
    const form = h(
      'form',
      { class: 'card editor', novalidate: true, 'data-testid': 'password-form' },
      h('h2', null, `Set the password of ${username}`),
      h('div', { class: 'form-message' }),
      field('New password (12+ characters)', password, '$.password', 'Signs the user out of every dashboard session'),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Set password')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearProblems(form);
      try {
        await api('PATCH', userUrl(username), { password: password.value });
        password.value = '';
        showSuccess(form, `Password of ${username} changed.`);
      } catch (error) {
        showProblems(form, error);
      }
    });
    replaceChildren(actionArea, form);
  };

  const username = h('input', { name: 'new_username', placeholder: 'alice' });
  const role = h('select', { name: 'new_role' }, h('option', { value: 'user' }, 'user'), h('option', { value: 'admin' }, 'admin'));
  const password = h('input', { type: 'password', name: 'new_user_password', autocomplete: 'new-password', placeholder: 'optional: 12+ characters to sign in here' });
  const create = h(
    'form',
    { class: 'card editor', novalidate: true, 'data-testid': 'user-form' },
    h('h2', null, 'New user'),
    h('div', { class: 'form-message' }),
    h('div', { class: 'grid3' }, field('Username', username, '$.username'), field('Role', role, '$.role'), field('Password', password, '$.password')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Create user')),
  );
  create.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(create);
    try {
      await api('POST', '/api/admin/users', { username: username.value.trim(), role: role.value, ...(password.value ? { password: password.value } : {}) });
      showSuccess(create, `Created user ${username.value.trim()}.`);
      username.value = '';
      password.value = '';
      await load();
    } catch (error) {
      showProblems(create, error);
    }
  });

  replaceChildren(main, h('header', { class: 'page-head' }, h('h1', null, 'Users')), actionArea, listArea, create);
  await load();
}
