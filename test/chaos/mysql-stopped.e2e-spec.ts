import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { OwnedServer } from '../support/stack/owned-server';
import { ownMariaDbServer } from '../support/stack/owned-dependency-servers';
import { waitFor } from '../support/http/aisbf-http';

/** Longer than any answer AISBF may give with its database away: past it a request hangs. */
const SETTLE_BOUND_MS = 15_000;

interface ApiResult {
  status: number;
  json: any;
  ms: number;
}

describe('MySQL stopped under a running distributed stack', () => {
  const upstream = new MockOpenAiServer('upstream');
  let mariadb: OwnedServer;
  let stack: AisbfStack;
  let alice = '';

  async function call(method: string, path: string, token: string, body?: unknown): Promise<ApiResult> {
    const started = Date.now();
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(SETTLE_BOUND_MS),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null, ms: Date.now() - started };
  }
  const chat = () => call('POST', '/api/u/alice/chat/completions', alice, { model: 'user-provider/mock/m', messages: [{ role: 'user', content: 'still there?' }] });
  const provider = (name: string) => ({ type: 'openai', endpoint: upstream.url, models: [{ name: 'm', description: name }] });

  beforeAll(async () => {
    mariadb = ownMariaDbServer();
    await Promise.all([upstream.start(), mariadb.start()]);
    const url = `mysql://root@127.0.0.1:${mariadb.port}`;
    stack = await AisbfStack.start({ mode: 'distributed', database: { mysqlUrl: url, mysqlAdminUrl: url } });
    expect((await call('POST', '/api/admin/users', stack.adminToken, { username: 'alice' })).status).toBe(201);
    alice = (await call('POST', '/api/admin/users/alice/tokens', stack.adminToken, { name: 'laptop' })).json.token;
    expect((await call('PUT', '/api/u/alice/providers/mock', alice, provider('before'))).status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    // The stack drops its database on the server it was created on: that server must be up.
    await mariadb?.start();
    await stack?.stop();
    await mariadb?.dispose();
    await upstream.stop();
  });

  it('serves authenticated users from cache, refuses writes with 503, and keeps everything stored once MySQL is back', async () => {
    // Warm: the token and the user's routes are now cached by the edge and the resolver.
    expect((await chat()).status).toBe(200);
    const stoppedAt = Date.now();
    await mariadb.stop();
    try {
      const chats = [];
      for (let i = 0; i < 5; i++) chats.push(await chat());
      const writes = {
        'POST admin user': await call('POST', '/api/admin/users', stack.adminToken, { username: 'dave' }),
        'PATCH admin user': await call('PATCH', '/api/admin/users/alice', stack.adminToken, { limits: {} }),
        'PUT provider': await call('PUT', '/api/u/alice/providers/during', alice, provider('during')),
        'PUT providers document': await call('PUT', '/api/u/alice/config/providers', alice, { providers: {} }),
        'POST token': await call('POST', '/api/u/alice/tokens', alice, { name: 'during' }),
      };
      const reads = {
        'GET providers': await call('GET', '/api/u/alice/providers', alice),
        'GET admin users': await call('GET', '/api/admin/users', stack.adminToken),
      };
      const ready = await fetch(`${stack.baseUrl}/readyz`);
      const readyBody = (await ready.json()) as { checks: Record<string, string> };
      console.log(
        `mysql stopped: chats ${chats.map((c) => c.status).join('/')}; ` +
          Object.entries({ ...writes, ...reads })
            .map(([name, r]) => `${name} ${r.status} ${r.json?.error?.code ?? ''} in ${r.ms} ms`)
            .join(', ') +
          `; edge /readyz ${ready.status} (database ${readyBody.checks.database})`,
      );
      for (const result of chats) {
        expect(result.status).toBe(200);
        expect(result.json.choices[0].message.content).toBe('Mock reply to: still there?');
      }
      for (const result of Object.values(writes)) {
        expect(result.status).toBe(503);
        expect(result.json).toMatchObject({ error: { code: 'service_unavailable', type: 'service_unavailable', message: expect.any(String) } });
      }
      for (const result of Object.values(reads)) {
        expect([200, 503]).toContain(result.status);
        if (result.status === 503) expect(result.json.error.code).toBe('service_unavailable');
      }
      // The database is reported down, but the edge stays in service: it can still serve.
      expect(readyBody.checks.database).not.toBe('ok');
      expect(ready.status).toBe(200);
    } finally {
      await mariadb.start();
    }
    const upAt = Date.now();
    const created = await waitFor(async () => {
      const result = await call('POST', '/api/admin/users', stack.adminToken, { username: 'dave' });
      return result.status === 201 ? result : null;
    }, 20_000, 200);
    const writeMs = Date.now() - upAt;
    expect(created.json.username).toBe('dave');
    expect((await call('PUT', '/api/u/alice/providers/after', alice, provider('after'))).status).toBe(201);
    expect((await call('PATCH', '/api/admin/users/alice', stack.adminToken, { limits: {} })).status).toBe(200);

    // Nothing stored before the outage was lost, nothing refused during it was half-written.
    const providers = (await call('GET', '/api/u/alice/providers', alice)).json.data.map((p: { id: string }) => p.id).sort();
    expect(providers).toEqual(['after', 'mock']);
    const users = (await call('GET', '/api/admin/users', stack.adminToken)).json.data.map((u: { username: string }) => u.username).sort();
    expect(users).toEqual(['alice', 'dave']);
    const tokens = (await call('GET', '/api/u/alice/tokens', alice)).json.data.map((t: { name: string }) => t.name);
    expect(tokens).toEqual(['laptop']);
    expect((await chat()).status).toBe(200);
    const crashed = stack.processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    expect(crashed.map((p) => p.service)).toEqual([]);
    console.log(`mysql back: first write accepted ${writeMs} ms after it was up (${Math.round((upAt - stoppedAt) / 1000)} s outage), nothing lost`);
  }, 90_000);
});
