import { randomBytes } from 'node:crypto';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { rawRequest, RawResponse } from '../support/http/raw-http';

/*
 * Token and password guessing, on every surface that authenticates, across two edge replicas that
 * share the budget through Redis. Each surface is guessed at from a client address of its own
 * (127.0.0.x: Linux routes the whole block to loopback), so each budget starts full.
 */

const LIMIT = 4;
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

interface Surface {
  name: string;
  /** A request with a wrong credential. */
  wrong: (attempt: number) => Attempt;
  /** The same request with the right one, and the status it then gets. */
  right: () => Attempt;
  rightStatus: number;
}

interface Attempt {
  method: string;
  path: string;
  token?: string;
  body?: unknown;
}

describe('guessing tokens and passwords is cut off on every surface, across edge replicas', () => {
  const upstream = new MockOpenAiServer('guessing-upstream');
  let stack: AisbfStack;
  let alice = '';
  let requests = 0;
  let nextAddress = 10;
  const address = () => `127.0.0.${nextAddress++}`;

  async function send(edge: string, attempt: Attempt, from: string): Promise<RawResponse & { json: any }> {
    requests++;
    const headers: Record<string, string> = {};
    if (attempt.token) headers.authorization = `Bearer ${attempt.token}`;
    if (attempt.body !== undefined) headers['content-type'] = 'application/json';
    const res = await rawRequest(edge, attempt.method, attempt.path, headers, attempt.body === undefined ? undefined : JSON.stringify(attempt.body), from);
    return { ...res, json: res.text ? JSON.parse(res.text) : null };
  }

  const guess = (attempt: number) => `sk-aisbf-guess${attempt}${randomBytes(12).toString('base64url')}`;
  const chat = { model: 'user-provider/up/m', messages: [{ role: 'user', content: 'hi' }] };
  const bearer = (name: string, method: string, path: string, rightStatus: number, body?: unknown, right = () => alice): Surface => ({
    name,
    wrong: (attempt) => ({ method, path, token: guess(attempt), body }),
    right: () => ({ method, path, token: right(), body }),
    rightStatus,
  });
  const surfaces: Surface[] = [
    bearer('chat on /v1', 'POST', '/v1/chat/completions', 200, chat),
    bearer('chat on /api/u/{user}', 'POST', '/api/u/alice/chat/completions', 200, chat),
    bearer('chat on /api/u/{user}/v1', 'POST', '/api/u/alice/v1/chat/completions', 200, chat),
    bearer('models on /v1', 'GET', '/v1/models', 200),
    bearer('models on /api/u/{user}', 'GET', '/api/u/alice/models', 200),
    bearer('route explain', 'POST', '/v1/route/explain', 200, chat),
    bearer('configuration API', 'GET', '/api/u/alice/config/providers', 200),
    bearer('tokens API', 'GET', '/api/u/alice/tokens', 200),
    bearer('admin API (operator token guessed)', 'GET', '/api/admin/users', 200, undefined, () => stack.adminToken),
    {
      name: 'dashboard password sign-in',
      wrong: (attempt) => ({ method: 'POST', path: '/api/auth/session', body: { username: 'alice', password: `guess-${attempt}` } }),
      right: () => ({ method: 'POST', path: '/api/auth/session', body: { username: 'alice', password: PASSWORD } }),
      rightStatus: 201,
    },
    {
      name: 'dashboard token sign-in',
      wrong: (attempt) => ({ method: 'POST', path: '/api/auth/session', body: { token: guess(attempt) } }),
      right: () => ({ method: 'POST', path: '/api/auth/session', body: { token: alice } }),
      rightStatus: 201,
    },
    {
      name: 'password token login',
      wrong: (attempt) => ({ method: 'POST', path: '/api/auth/token', body: { username: attempt % 2 ? 'alice' : 'nobody', password: `guess-${attempt}` } }),
      right: () => ({ method: 'POST', path: '/api/auth/token', body: { username: 'alice', password: PASSWORD, name: 'right' } }),
      rightStatus: 201,
    },
  ];

  beforeAll(async () => {
    await upstream.start();
    stack = await AisbfStack.start({
      mode: 'distributed',
      database: true,
      replicas: { 'edge-api': 2 },
      env: { AISBF_AUTH_FAILURES_PER_MINUTE: String(LIMIT) },
    });
    stack.secret(PASSWORD, 'alice password');
    const setup = (attempt: Attempt) => send(stack.baseUrl, attempt, '127.0.0.1');
    expect((await setup({ method: 'POST', path: '/api/admin/users', token: stack.adminToken, body: { username: 'alice', password: PASSWORD } })).status).toBe(201);
    alice = stack.secret((await setup({ method: 'POST', path: '/api/admin/users/alice/tokens', token: stack.adminToken, body: { name: 'sdk' } })).json.token, 'alice token');
    const provider = { type: 'openai', endpoint: upstream.url, models: [{ name: 'm' }] };
    expect((await setup({ method: 'PUT', path: '/api/u/alice/providers/up', token: alice, body: provider })).status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream.stop();
    console.log(`auth guessing: ${surfaces.length} surfaces, ${requests} requests, limit ${LIMIT} failures per address and minute`);
  });

  it.each(surfaces.map((s) => [s.name, s] as const))('%s: 401 up to the limit on either replica, then 429 with Retry-After on both, right credential included', async (_name, surface) => {
    const [first, second] = stack.edgeUrls;
    const from = address();
    for (let i = 0; i < LIMIT; i++) {
      const res = await send(i % 2 ? second : first, surface.wrong(i), from);
      expect({ attempt: i, status: res.status, code: res.json?.error?.code }).toEqual({ attempt: i, status: 401, code: 'invalid_api_key' });
    }
    for (const edge of [first, second]) {
      const blocked = await send(edge, surface.wrong(LIMIT), from);
      expect(blocked.status).toBe(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(blocked.json).toEqual({ error: expect.objectContaining({ code: 'rate_limit_exceeded', type: 'rate_limit_error', message: expect.any(String) }) });
      expect(blocked.text).not.toContain('sk-aisbf-guess');
    }
    // While the address is blocked a right guess is refused too: otherwise 200 among the 429s
    // would still tell a guesser when it found the token.
    const right = await send(second, surface.right(), from);
    expect({ status: right.status, code: right.json?.error?.code }).toEqual({ status: 429, code: 'rate_limit_exceeded' });
    // Other clients are not locked out by one address's guessing.
    const elsewhere = await send(first, surface.right(), address());
    expect(elsewhere.status).toBe(surface.rightStatus);
  });

  it('refuses a blocked address on a replica that never saw it fail: failures are announced to every replica', async () => {
    const [first, second] = stack.edgeUrls;
    const surface = surfaces[0];
    const from = address();
    for (let i = 0; i < LIMIT; i++) expect((await send(first, surface.wrong(i), from)).status).toBe(401);
    expect((await send(second, surface.wrong(LIMIT), from)).status).toBe(429);
    expect((await send(second, surface.right(), from)).status).toBe(429);
    expect((await send(second, surface.right(), address())).status).toBe(200);
  });

  it('refuses a blocked address on a replica started after the guessing, from its first request', async () => {
    const surface = surfaces[0];
    const from = address();
    for (let i = 0; i < LIMIT; i++) expect((await send(stack.edgeUrls[i % 2], surface.wrong(i), from)).status).toBe(401);
    await stack.spawn('edge-api', {});
    const late = stack.edgeUrls[stack.edgeUrls.length - 1];
    const right = await send(late, surface.right(), from);
    expect({ status: right.status, code: right.json?.error?.code }).toEqual({ status: 429, code: 'rate_limit_exceeded' });
    expect((await send(late, surface.right(), address())).status).toBe(200);
  }, 30_000);

  it('is one budget per address across surfaces, kept in Redis under the stack prefix', async () => {
    const [first, second] = stack.edgeUrls;
    const from = address();
    const mixed = [surfaces[0], surfaces[6], surfaces[8], surfaces[9]];
    for (let i = 0; i < LIMIT; i++) expect((await send(i % 2 ? second : first, mixed[i].wrong(i), from)).status).toBe(401);
    for (const surface of surfaces) expect({ surface: surface.name, status: (await send(second, surface.wrong(0), from)).status }).toEqual({ surface: surface.name, status: 429 });
    const keys = await stack.redisKeys();
    expect(keys.some((key) => key.includes('authfail:') && key.includes(from))).toBe(true);
  });

  it('does not count a valid token used on another user\'s base as a guess', async () => {
    const from = address();
    expect((await send(stack.baseUrl, { method: 'POST', path: '/api/admin/users', token: stack.adminToken, body: { username: 'bob' } }, '127.0.0.1')).status).toBe(201);
    for (let i = 0; i < LIMIT + 2; i++) expect((await send(stack.baseUrl, { method: 'GET', path: '/api/u/bob/models', token: alice }, from)).status).toBe(403);
    expect((await send(stack.baseUrl, { method: 'GET', path: '/api/u/alice/models', token: alice }, from)).status).toBe(200);
  });
});
