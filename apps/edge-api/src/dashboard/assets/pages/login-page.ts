import { api } from '../api.js';
import { field, h, replaceChildren } from '../dom.js';
import { clearProblems, showProblems } from '../form-problems.js';
import type { Session } from '../session.js';

/** Sign in with a username and password; the session lives in an httpOnly cookie. */
export function renderLogin(root: HTMLElement, signedIn: (session: Session) => Promise<void>): void {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const token = h('input', { name: 'token', type: 'password', autocomplete: 'off', placeholder: 'sk-…' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const withPassword = h('div', { class: 'stack' }, field('Username', username, '$.username'), field('Password', password, '$.password'));
  const withToken = h('div', { class: 'stack', hidden: true }, field('API token', token, '$.token', 'The token `npm start` printed, or any token of yours'));
  const toggle = h('button', { type: 'button', class: 'link dark' }, 'Sign in with an API token instead');
  toggle.addEventListener('click', () => {
    const useToken = withToken.hidden;
    withToken.hidden = !useToken;
    withPassword.hidden = useToken;
    toggle.textContent = useToken ? 'Sign in with a password instead' : 'Sign in with an API token instead';
    clearProblems(form);
  });
  const form = h(
    'form',
    { class: 'card login', novalidate: true },
    h('div', { class: 'brand big' }, h('img', { src: '/dashboard/favicon.svg', alt: '' }), h('span', null, 'AISBF')),
    h('p', { class: 'muted' }, 'AI Service Broker Framework — sign in to manage your routes.'),
    h('div', { class: 'form-message' }),
    withPassword,
    withToken,
    submit,
    toggle,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    submit.disabled = true;
    try {
      const body = withToken.hidden ? { username: username.value.trim(), password: password.value } : { token: token.value.trim() };
      const { data } = await api<Session>('POST', '/api/auth/session', body);
      await signedIn(data);
    } catch (error) {
      showProblems(form, error);
      password.value = '';
      token.value = '';
    } finally {
      submit.disabled = false;
    }
  });
  replaceChildren(root, h('div', { class: 'login-screen' }, form));
  username.focus();
}
