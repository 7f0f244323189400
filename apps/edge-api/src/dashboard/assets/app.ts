import { api, ApiError, setCsrfToken, whenSignedOut } from './api.js';
import { h, replaceChildren } from './dom.js';
import { PageContext, Session } from './session.js';
import { renderLogin } from './pages/login-page.js';
import { renderProviders } from './pages/providers-page.js';
import { renderRotations } from './pages/rotations-page.js';
import { renderAutoselect } from './pages/autoselect-page.js';
import { renderTokens } from './pages/tokens-page.js';
import { renderDebugger } from './pages/debugger-page.js';
import { renderUsage } from './pages/usage-page.js';
import { renderTransfer } from './pages/transfer-page.js';
import { renderUsers } from './pages/users-page.js';

interface Page {
  path: string;
  title: string;
  render: (context: PageContext) => Promise<void> | void;
  adminOnly?: boolean;
}

const PAGES: Page[] = [
  { path: 'providers', title: 'Providers', render: renderProviders },
  { path: 'rotations', title: 'Rotations', render: renderRotations },
  { path: 'autoselect', title: 'Autoselect', render: renderAutoselect },
  { path: 'debugger', title: 'Route debugger', render: renderDebugger },
  { path: 'usage', title: 'Usage', render: renderUsage },
  { path: 'tokens', title: 'API tokens', render: renderTokens },
  { path: 'import-export', title: 'Import / export', render: renderTransfer },
  { path: 'users', title: 'Users', render: renderUsers, adminOnly: true },
];

const root = document.getElementById('app')!;
let session: Session | null = null;
let cleanups: Array<() => void> = [];

function leavePage(): void {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
}

async function signOut(): Promise<void> {
  try {
    await api('DELETE', '/api/auth/session');
  } catch {
    // Signed out already, or the server is away: the page forgets the session either way.
  }
  session = null;
  setCsrfToken('');
  location.hash = '#/login';
  await route();
}

function shell(current: Page, active: Session): HTMLElement {
  const nav = h(
    'nav',
    { class: 'sidebar', 'aria-label': 'Dashboard' },
    h('div', { class: 'brand' }, h('img', { src: '/dashboard/favicon.svg', alt: '' }), h('span', null, 'AISBF')),
    h(
      'ul',
      null,
      PAGES.filter((page) => !page.adminOnly || active.role === 'admin').map((page) =>
        h('li', null, h('a', { href: `#/${page.path}`, class: page === current ? 'active' : '', 'aria-current': page === current ? 'page' : undefined }, page.title)),
      ),
    ),
    h(
      'div',
      { class: 'who' },
      h('span', { class: 'who-name', 'data-testid': 'signed-in-user' }, active.username),
      h('span', { class: `badge ${active.role === 'admin' ? 'warn' : 'muted'}` }, active.role),
      h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, 'Sign out'),
    ),
  );
  return nav;
}

async function route(): Promise<void> {
  leavePage();
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'providers';
  if (!session) {
    try {
      session = (await api<Session>('GET', '/api/auth/session')).data;
      setCsrfToken(session.csrf_token);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) {
        replaceChildren(root, h('p', { class: 'form-message error' }, (error as Error).message));
        return;
      }
    }
  }
  if (!session) {
    renderLogin(root, async (signedIn) => {
      session = signedIn;
      setCsrfToken(signedIn.csrf_token);
      location.hash = name === 'login' ? '#/providers' : `#/${name}`;
      await route();
    });
    return;
  }
  const page = PAGES.find((p) => p.path === name && (!p.adminOnly || session!.role === 'admin')) ?? PAGES[0];
  const main = h('main', { class: 'content', 'data-page': page.path }, h('p', { class: 'loading' }, 'Loading…'));
  replaceChildren(root, h('div', { class: 'layout' }, shell(page, session), main));
  document.title = `${page.title} · AISBF`;
  const context: PageContext = { session, main, onLeave: (cleanup) => cleanups.push(cleanup) };
  try {
    await page.render(context);
  } catch (error) {
    replaceChildren(main, h('h1', null, page.title), h('p', { class: 'form-message error' }, (error as Error).message));
  }
}

whenSignedOut(() => {
  if (!session) return;
  session = null;
  void route();
});
window.addEventListener('hashchange', () => void route());
void route();
