import type { FastifyRequest } from 'fastify';
import { MemorySharedCache } from '@aisbf/cache';
import type { ConfigDatabase, ConfigStore } from '@aisbf/persistence';
import type { EdgeEnv } from '../config/edge-env';
import { DashboardSessions, SESSION_MAX_AGE_SECONDS } from './dashboard-sessions.service';

const IDLE_SECONDS = 600;

function setup() {
  const disabled = new Set<string>();
  const store = { authenticate: async () => null, loadRouteConfig: async (username: string) => (disabled.has(username) ? null : ({} as never)) } as ConfigStore;
  const database = { shared: new MemorySharedCache() } as unknown as ConfigDatabase;
  const sessions = new DashboardSessions(database, store, { AISBF_SESSION_TTL_SECONDS: IDLE_SECONDS } as EdgeEnv);
  return { sessions, disabled };
}

const request = (init: { cookie?: string; method?: string; headers?: Record<string, string> }) =>
  ({ method: init.method ?? 'GET', headers: { host: 'aisbf.test', ...(init.cookie ? { cookie: `aisbf_session=${init.cookie}` } : {}), ...init.headers } }) as unknown as FastifyRequest;

describe('dashboard sessions', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) }));
  afterEach(() => jest.useRealTimers());

  it('a session is found by its cookie, and only by it', async () => {
    const { sessions } = setup();
    const active = await sessions.create({ username: 'alice', role: 'user' });
    expect((await sessions.fromRequest(request({ cookie: active.id })))?.session.username).toBe('alice');
    expect(await sessions.fromRequest(request({ cookie: `${active.id}x` }))).toBeNull();
    expect(await sessions.fromRequest(request({}))).toBeNull();
  });

  it('ends after the idle time without use, but lives on while used', async () => {
    const { sessions } = setup();
    const active = await sessions.create({ username: 'alice', role: 'user' });
    for (let i = 0; i < 5; i++) {
      jest.setSystemTime(Date.now() + (IDLE_SECONDS - 60) * 1000);
      expect(await sessions.fromRequest(request({ cookie: active.id }))).not.toBeNull();
    }
    jest.setSystemTime(Date.now() + (IDLE_SECONDS + 1) * 1000);
    expect(await sessions.fromRequest(request({ cookie: active.id }))).toBeNull();
  });

  it('ends 7 days after sign-in however active', async () => {
    const { sessions } = setup();
    const active = await sessions.create({ username: 'alice', role: 'user' });
    const signedIn = Date.now();
    while (Date.now() - signedIn < SESSION_MAX_AGE_SECONDS * 1000 - IDLE_SECONDS * 1000) {
      jest.setSystemTime(Date.now() + (IDLE_SECONDS / 2) * 1000);
      expect(await sessions.fromRequest(request({ cookie: active.id }))).not.toBeNull();
    }
    jest.setSystemTime(signedIn + SESSION_MAX_AGE_SECONDS * 1000 + 1);
    expect(await sessions.fromRequest(request({ cookie: active.id }))).toBeNull();
  });

  it('ends every session of a user whose password or role changed, or who is disabled, and no one else\'s', async () => {
    const { sessions, disabled } = setup();
    const a1 = await sessions.create({ username: 'alice', role: 'user' });
    const a2 = await sessions.create({ username: 'alice', role: 'user' });
    const b = await sessions.create({ username: 'bob', role: 'user' });
    await sessions.endAll('alice');
    expect(await sessions.fromRequest(request({ cookie: a1.id }))).toBeNull();
    expect(await sessions.fromRequest(request({ cookie: a2.id }))).toBeNull();
    expect(await sessions.fromRequest(request({ cookie: b.id }))).not.toBeNull();
    const again = await sessions.create({ username: 'alice', role: 'user' });
    expect(await sessions.fromRequest(request({ cookie: again.id }))).not.toBeNull();
    disabled.add('bob');
    expect(await sessions.fromRequest(request({ cookie: b.id }))).toBeNull();
  });

  it('state-changing requests need the session\'s CSRF token and this host as origin', async () => {
    const { sessions } = setup();
    const { session } = await sessions.create({ username: 'alice', role: 'user' });
    expect(() => sessions.assertSameOrigin(request({ method: 'GET' }), session)).not.toThrow();
    expect(() => sessions.assertSameOrigin(request({ method: 'POST' }), session)).toThrow(/CSRF/);
    expect(() => sessions.assertSameOrigin(request({ method: 'DELETE', headers: { 'x-csrf-token': `${session.csrf}x` } }), session)).toThrow(/CSRF/);
    expect(() => sessions.assertSameOrigin(request({ method: 'PUT', headers: { 'x-csrf-token': session.csrf } }), session)).not.toThrow();
    expect(() => sessions.assertSameOrigin(request({ method: 'PUT', headers: { 'x-csrf-token': session.csrf, origin: 'https://aisbf.test' } }), session)).not.toThrow();
    expect(() => sessions.assertSameOrigin(request({ method: 'PUT', headers: { 'x-csrf-token': session.csrf, origin: 'https://evil.test' } }), session)).toThrow(/cross-origin/);
    expect(() => sessions.assertSameOrigin(request({ method: 'POST', headers: { origin: 'null' } }), null)).toThrow(/cross-origin/);
  });
});
