import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { createConnection, Connection } from 'mysql2/promise';
import { AisbfStack, MYSQL_ADMIN_URL } from '../support/stack/aisbf-stack';
import { TcpProxy } from '../support/stack/tcp-proxy';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { SEED_AUTOSELECT_JSON, SEED_ROTATIONS_JSON, seedProvidersDocument } from '../support/seed/seed-documents';

const OPENAI_KEY = 'sk-openai-prod-secret-key-777';
const CAROL = 'sk-test-carol-0123456789abcdefghij';

interface ApiResponse {
  status: number;
  etag: string | null;
  json: any;
}

async function call(base: string, method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), json: text ? JSON.parse(text) : null };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() - started > timeoutMs) return { value, ms: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('users, tokens and configuration in MySQL and Redis (distributed, two edge replicas)', () => {
  const mock = new MockOpenAiServer('upstream');
  const mysqlProxy = new TcpProxy('127.0.0.1', Number(new URL(MYSQL_ADMIN_URL).port || 3306));
  const redisProxy = new TcpProxy('127.0.0.1', 6379);
  let stack: AisbfStack;
  let db: Connection;
  let edgeA: string;
  let edgeB: string;
  let alice = '';
  let bob = '';
  const api = (method: string, path: string, token: string | null, body?: unknown, headers?: Record<string, string>) =>
    call(edgeA, method, path, token, body, headers);

  beforeAll(async () => {
    await Promise.all([mock.start(), mysqlProxy.start(), redisProxy.start()]);
    stack = await AisbfStack.start({
      mode: 'distributed',
      replicas: { 'edge-api': 2 },
      database: { mysqlUrl: `mysql://root@127.0.0.1:${mysqlProxy.port}`, redisUrl: `redis://127.0.0.1:${redisProxy.port}` },
      config: {
        users: {
          carol: {
            tokens: [CAROL],
            providers: { local: { type: 'openai', endpoint: mock.url, models: [{ name: 'm' }] } },
          },
        },
      },
    });
    [edgeA, edgeB] = stack.edgeUrls;
    db = await createConnection(`${MYSQL_ADMIN_URL}/${stack.databaseName}`);
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await Promise.all([mock.stop(), mysqlProxy.stop(), redisProxy.stop()]);
  });

  beforeEach(() => mock.reset());

  it('lets the operator create users and issue tokens, shown once and stored only as hashes', async () => {
    expect((await api('POST', '/api/admin/users', stack.adminToken, { username: 'alice', role: 'user', password: 'correct horse battery' })).status).toBe(201);
    expect((await api('POST', '/api/admin/users', stack.adminToken, { username: 'bob' })).status).toBe(201);
    const duplicate = await api('POST', '/api/admin/users', stack.adminToken, { username: 'alice' });
    expect(duplicate.status).toBe(409);
    const invalid = await api('POST', '/api/admin/users', stack.adminToken, { username: 'Not Valid!' });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.problems[0].path).toBe('$.username');

    const issued = await api('POST', '/api/admin/users/alice/tokens', stack.adminToken, { name: 'laptop' });
    expect(issued.status).toBe(201);
    alice = issued.json.token;
    expect(alice).toMatch(/^sk-aisbf-/);
    bob = (await api('POST', '/api/admin/users/bob/tokens', stack.adminToken, {})).json.token;

    const listed = await api('GET', '/api/u/alice/tokens', alice);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.json)).not.toContain(alice);
    expect(listed.json.data[0]).toMatchObject({ name: 'laptop', id: issued.json.id, revoked_at: null });

    const [rows] = (await db.query('SELECT * FROM api_tokens WHERE id = ?', [issued.json.id])) as any[];
    expect(rows[0].token_hash).toBe(createHash('sha256').update(alice).digest('hex'));
    expect(JSON.stringify(Object.values(rows[0]))).not.toContain(alice);
    const [users] = (await db.query("SELECT password_hash FROM users WHERE username = 'alice'")) as any[];
    expect(users[0].password_hash).toMatch(/^\$argon2id\$/);

    const login = await api('POST', '/api/auth/token', null, { username: 'alice', password: 'correct horse battery', name: 'cli' });
    expect(login.status).toBe(201);
    expect((await call(edgeB, 'GET', '/api/u/alice/models', login.json.token)).status).toBe(200);
    expect((await api('POST', '/api/auth/token', null, { username: 'alice', password: 'wrong' })).status).toBe(401);

    const list = await api('GET', '/api/admin/users', stack.adminToken);
    expect(list.json.data.map((u: { username: string }) => u.username)).toEqual(['alice', 'bob', 'carol']);
  });

  it("imports the seed's provider, rotation and autoselect documents verbatim, keys sealed in the table", async () => {
    const providers = seedProvidersDocument({ coderai: mock.url, runpod: mock.url, openai: mock.url }, OPENAI_KEY);
    const put = await api('PUT', '/api/u/alice/config/providers', alice, providers);
    expect(put.status).toBe(200);
    expect((await api('PUT', '/api/u/alice/config/rotations', alice, SEED_ROTATIONS_JSON)).status).toBe(200);
    expect((await api('PUT', '/api/u/alice/config/autoselect', alice, SEED_AUTOSELECT_JSON)).status).toBe(200);

    expect((await api('GET', '/api/u/alice/config/rotations', alice)).json).toEqual(JSON.parse(SEED_ROTATIONS_JSON));
    expect((await api('GET', '/api/u/alice/config/autoselect', alice)).json).toEqual(JSON.parse(SEED_AUTOSELECT_JSON));
    const stored = await api('GET', '/api/u/alice/config/providers', alice);
    expect(stored.json.providers['openai-prod'].api_key).toBe('sk-…-777');
    expect(JSON.stringify(stored.json)).not.toContain(OPENAI_KEY);
    expect(stored.json.providers['coderai-local']).toEqual(providers.providers['coderai-local']);

    const [rows] = (await db.query("SELECT p.* FROM providers p JOIN users u ON u.id = p.user_id WHERE u.username = 'alice' AND p.name = 'openai-prod'")) as any[];
    expect(rows[0].sealed_key).toMatch(/^v1\./);
    expect(JSON.stringify(Object.values(rows[0]))).not.toContain(OPENAI_KEY);
  });

  it('lists exactly the ids chat accepts, with descriptions, privacy and capabilities', async () => {
    const models = await api('GET', '/api/u/alice/models', alice);
    const byId = Object.fromEntries(models.json.data.map((m: { id: string }) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual(
      [
        'user-autoselect/engineering',
        'user-provider/coderai-local/qwen2.5-coder:32b',
        'user-provider/openai-prod/gpt-4.1-mini',
        'user-provider/runpod-gpu-a/deepseek-coder-v2',
        'user-rotation/coding-production',
      ].sort(),
    );
    expect(byId['user-rotation/coding-production']).toMatchObject({ kind: 'rotation', privacy: true, capabilities: ['chat', 'coding', 'tool_use'] });
    expect(byId['user-provider/coderai-local/qwen2.5-coder:32b']).toMatchObject({ privacy: true, description: 'CoderAI broker on the LAN' });
    expect(byId['user-provider/openai-prod/gpt-4.1-mini']).toMatchObject({ privacy: false, description: 'Fast hosted model', capabilities: ['chat', 'tool_use'] });
  });

  it('answers chat on a stored provider through the openai SDK; the key is opened only by the connector', async () => {
    const client = new OpenAI({ apiKey: alice, baseURL: `${edgeB}/api/u/alice`, maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'hello from the db' }] });
    expect(reply.choices[0].message.content).toBe('Mock reply to: hello from the db');
    expect(mock.chatRequests()[0].headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(mock.chatRequests()[0].body?.model).toBe('gpt-4.1-mini');
    expect(await stack.writtenLogs()).not.toContain(OPENAI_KEY);
  });

  it("reuses a direct route's plan on each edge replica, and both follow a provider change at once", async () => {
    const moved = new MockOpenAiServer('moved');
    await moved.start();
    try {
      const model = 'user-provider/openai-prod/gpt-4.1-mini';
      const chat = (edge: string) => call(edge, 'POST', '/v1/chat/completions', alice, { model, messages: [{ role: 'user', content: 'which backend?' }] });
      const decisions = async (url: string, outcome: string) => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const line = text.split('\n').find((l) => l.startsWith('aisbf_route_decisions_total{') && l.includes('route_kind="provider"') && l.includes(`outcome="${outcome}"`));
        return line ? Number(line.split(' ').pop()) : 0;
      };
      const resolver = stack.processes.find((p) => p.service === 'route-resolver')!.opsUrl;
      const plannedBefore = await decisions(resolver, 'planned');
      const reusedBefore = await Promise.all([edgeA, edgeB].map((edge) => decisions(edge, 'reused')));
      for (let i = 0; i < 3; i++) for (const edge of [edgeA, edgeB]) expect((await chat(edge)).status).toBe(200);
      expect(mock.chatRequests()).toHaveLength(6);
      // The resolver planned at most once per replica; the other requests reused its answer.
      expect((await decisions(resolver, 'planned')) - plannedBefore).toBeLessThanOrEqual(2);
      const reusedAfter = await Promise.all([edgeA, edgeB].map((edge) => decisions(edge, 'reused')));
      expect(reusedAfter.map((n, i) => n - reusedBefore[i]).every((n) => n >= 2)).toBe(true);

      const providers = seedProvidersDocument({ coderai: mock.url, runpod: mock.url, openai: moved.url }, OPENAI_KEY);
      const current = await api('GET', '/api/u/alice/config/providers', alice);
      expect((await api('PUT', '/api/u/alice/config/providers', alice, providers, { 'if-match': current.etag! })).status).toBe(200);
      for (const edge of [edgeB, edgeA]) {
        const { value, ms } = await eventually(
          async () => {
            const before = moved.chatRequests().length;
            const reply = await chat(edge);
            return reply.status === 200 && moved.chatRequests().length === before + 1;
          },
          (reached) => reached,
          3_000,
        );
        expect(value).toBe(true);
        expect(ms).toBeLessThan(1_000);
      }
    } finally {
      const restored = seedProvidersDocument({ coderai: mock.url, runpod: mock.url, openai: mock.url }, OPENAI_KEY);
      const current = await api('GET', '/api/u/alice/config/providers', alice);
      await api('PUT', '/api/u/alice/config/providers', alice, restored, { 'if-match': current.etag! });
      await moved.stop();
    }
  });

  it("tests a provider's model listing through its connector pool", async () => {
    const tested = await api('POST', '/api/u/alice/providers/openai-prod/test', alice);
    expect(tested.status).toBe(200);
    expect(tested.json.models.map((m: { id: string }) => m.id)).toEqual(['mock-model', 'mock-large']);
    expect(tested.json.missing).toEqual(['gpt-4.1-mini']);
    expect(mock.requests.find((r) => r.path.endsWith('/models'))?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect((await api('POST', '/api/u/alice/providers/ghost/test', alice)).status).toBe(404);
  });

  it('refuses bad configuration with 422 and the JSON path of every problem, storing nothing', async () => {
    const before = await api('GET', '/api/u/alice/config/rotations', alice);
    const rotation = (providers: unknown[]) => ({ rotations: { ...JSON.parse(SEED_ROTATIONS_JSON).rotations, r: { providers } } });
    const cases: Array<[unknown, string, RegExp]> = [
      [rotation([{ provider_id: 'nope', model: 'x' }]), '$.rotations.r.providers[0].provider_id', /unknown provider 'nope'/],
      [rotation([{ provider_id: 'openai-prod', model: 'gpt-5' }]), '$.rotations.r.providers[0].model', /has no model 'gpt-5'/],
      [rotation([{ provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 0 }]), '$.rotations.r.providers[0].weight', /positive/],
      [rotation([{ provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 'heavy' }]), '$.rotations.r.providers[0]', /./],
      [rotation([{ provider_id: 'openai-prod', model: 'gpt-4.1-mini', error_cooldown: -5 }]), '$.rotations.r.providers[0].error_cooldown', /negative/],
      [rotation([{ model_id: 'user-rotation/r' }]), '$.rotations.r.providers[0].model_id', /loop: user-rotation\/r -> user-rotation\/r/],
      [
        rotation([
          { provider_id: 'openai-prod', model: 'gpt-4.1-mini' },
          { provider_id: 'openai-prod', model: 'gpt-4.1-mini' },
        ]),
        '$.rotations.r.providers[1].model',
        /duplicate/,
      ],
    ];
    for (const [body, path, message] of cases) {
      const res = await api('PUT', '/api/u/alice/config/rotations', alice, body);
      expect({ status: res.status, code: res.json.error.code }).toEqual({ status: 422, code: 'unprocessable_config' });
      const problem = res.json.error.problems.find((p: { path: string }) => p.path.startsWith(path));
      expect(problem).toBeDefined();
      expect(problem.message).toMatch(message);
    }
    // The same id twice in one document (JSON.parse would silently keep the last one).
    const twice = SEED_ROTATIONS_JSON.replace('{"rotations":{', '{"rotations":{"coding-production":{"providers":[{"provider_id":"openai-prod","model":"gpt-4.1-mini"}]},');
    const dup = await api('PUT', '/api/u/alice/config/rotations', alice, twice);
    expect(dup.status).toBe(422);
    expect(dup.json.error.problems).toEqual([{ path: '$.rotations.coding-production', message: "'coding-production' appears more than once" }]);
    // Two problems in one body: both reported.
    const two = await api('PUT', '/api/u/alice/config/rotations', alice, rotation([{ provider_id: 'nope', model: 'x' }, { provider_id: 'openai-prod', model: 'y' }]));
    expect(two.json.error.problems.map((p: { path: string }) => p.path)).toEqual(['$.rotations.r.providers[0].provider_id', '$.rotations.r.providers[1].model']);

    const loop = await api('PUT', '/api/u/alice/config/autoselect', alice, {
      ...JSON.parse(SEED_AUTOSELECT_JSON),
      a: { fallback: 'user-autoselect/b', available_models: [{ model_id: 'user-rotation/coding-production' }] },
      b: { fallback: 'user-autoselect/a', available_models: [{ model_id: 'user-rotation/nope' }] },
    });
    expect(loop.status).toBe(422);
    expect(loop.json.error.problems).toEqual(
      expect.arrayContaining([
        { path: '$.b.available_models[0].model_id', message: "unknown rotation 'nope'" },
        expect.objectContaining({ message: expect.stringMatching(/^loop: user-autoselect\/(a|b) -> /) }),
      ]),
    );

    const huge = { rotations: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`r${i}`, { providers: [{ provider_id: 'openai-prod', model: 'gpt-4.1-mini' }] }])) };
    const oversized = await api('PUT', '/api/u/alice/config/rotations', alice, huge);
    expect(oversized.status).toBe(422);
    expect(oversized.json.error.problems[0]).toMatchObject({ path: '$.rotations', message: expect.stringMatching(/at most 500/) });
    const bigProvider = { type: 'openai', endpoint: mock.url, models: Array.from({ length: 999 }, (_, i) => ({ name: `m${i}`, description: 'x'.repeat(300) })) };
    expect((await api('PUT', '/api/u/alice/providers/big', alice, bigProvider)).json.error.problems[0].path).toBe('$');

    const referenced = await api('DELETE', '/api/u/alice/providers/openai-prod', alice);
    expect(referenced.status).toBe(422);
    expect(referenced.json.error.problems).toEqual(
      expect.arrayContaining([{ path: '$.rotations.coding-production.providers[2].provider_id', message: "unknown provider 'openai-prod'" }]),
    );
    const envKey = await api('PUT', '/api/u/alice/providers/sneaky', alice, { type: 'openai', endpoint: mock.url, api_key_env: 'AISBF_SECRET_KEY', models: [{ name: 'm' }] });
    expect(envKey.json.error.problems[0].path).toBe('$.api_key_env');

    const after = await api('GET', '/api/u/alice/config/rotations', alice);
    expect(after.etag).toBe(before.etag);
    expect(after.json).toEqual(before.json);
    expect((await api('GET', '/api/u/alice/providers/openai-prod', alice)).status).toBe(200);
  });

  it('refuses a stale version with 409 instead of overwriting (If-Match / ETag)', async () => {
    const first = await api('GET', '/api/u/alice/providers/runpod-gpu-a', alice);
    expect(first.etag).toMatch(/^"\d+"$/);
    const edited = { ...first.json, description: 'edited once' };
    const ok = await api('PUT', '/api/u/alice/providers/runpod-gpu-a', alice, edited, { 'if-match': first.etag! });
    expect(ok.status).toBe(200);
    expect(ok.etag).not.toBe(first.etag);
    const stale = await api('PUT', '/api/u/alice/providers/runpod-gpu-a', alice, { ...first.json, description: 'lost update' }, { 'if-match': first.etag! });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('conflict');
    const now = await api('GET', '/api/u/alice/providers/runpod-gpu-a', alice);
    expect(now.json.description).toBe('edited once');
    // The masked key sent back unchanged keeps the stored key.
    expect(now.json.api_key).toBe(first.json.api_key);
    expect((await api('PUT', '/api/u/alice/providers/runpod-gpu-a', alice, edited, { 'if-none-match': '*' })).status).toBe(409);

    const doc = await api('GET', '/api/u/alice/config/autoselect', alice);
    expect((await api('PUT', '/api/u/alice/config/autoselect', alice, doc.json, { 'if-match': '"1"' })).status).toBe(409);
    expect((await api('PUT', '/api/u/alice/config/autoselect', alice, doc.json, { 'if-match': doc.etag! })).status).toBe(200);

    const created = await api('PUT', '/api/u/alice/rotations/spare', alice, { providers: [{ provider_id: 'openai-prod', model: 'gpt-4.1-mini' }] });
    expect(created.status).toBe(201);
    expect((await api('DELETE', '/api/u/alice/rotations/spare', alice, undefined, { 'if-match': '"1"' })).status).toBe(409);
    expect((await api('DELETE', '/api/u/alice/rotations/spare', alice, undefined, { 'if-match': created.etag! })).status).toBe(204);
    expect((await api('GET', '/api/u/alice/rotations/spare', alice)).status).toBe(404);
  });

  it('keeps items declared in the configuration file read-only through the API (409)', async () => {
    const res = await api('PUT', '/api/u/carol/providers/local', CAROL, { type: 'openai', endpoint: mock.url, models: [{ name: 'other' }] });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('configuration file');
    expect((await api('PUT', '/api/u/carol/providers/extra', CAROL, { type: 'openai', endpoint: mock.url, models: [{ name: 'x' }] })).status).toBe(201);
    expect((await api('PATCH', '/api/admin/users/carol', stack.adminToken, { disabled: true })).status).toBe(409);
  });

  it("keeps users out of each other's configuration and out of the admin API", async () => {
    expect((await api('GET', '/api/u/alice/config/providers', bob)).status).toBe(403);
    expect((await api('PUT', '/api/u/alice/providers/x', bob, { type: 'openai', endpoint: mock.url, models: [{ name: 'm' }] })).status).toBe(403);
    expect((await api('GET', '/api/admin/users', bob)).status).toBe(403);
    expect((await api('GET', '/api/u/alice/tokens', null)).status).toBe(401);
    expect((await api('GET', '/api/u/alice/config/providers', stack.adminToken)).status).toBe(200);
  });

  it('revokes a token on every edge replica within a second', async () => {
    const issued = await api('POST', '/api/u/alice/tokens', alice, { name: 'short-lived' });
    const token = issued.json.token;
    // Both replicas have it cached.
    for (const edge of [edgeA, edgeB]) expect((await call(edge, 'GET', '/v1/models', token)).status).toBe(200);
    expect((await call(edgeA, 'DELETE', `/api/u/alice/tokens/${issued.json.id}`, alice)).status).toBe(200);
    const { value, ms } = await eventually(() => call(edgeB, 'GET', '/v1/models', token), (r) => r.status === 401, 3_000);
    expect(value.status).toBe(401);
    expect(ms).toBeLessThan(1_000);
    expect((await call(edgeA, 'GET', '/v1/models', token)).status).toBe(401);
    expect((await call(edgeB, 'GET', '/v1/models', alice)).status).toBe(200);

    // Disabling a user shuts out all of its tokens, on both replicas.
    for (const edge of [edgeA, edgeB]) expect((await call(edge, 'GET', '/v1/models', bob)).status).toBe(200);
    expect((await api('PATCH', '/api/admin/users/bob', stack.adminToken, { disabled: true })).status).toBe(200);
    const disabled = await eventually(() => call(edgeB, 'GET', '/v1/models', bob), (r) => r.status === 401, 3_000);
    expect(disabled.value.status).toBe(401);
  });

  it('writes usage events and token last-used times in batches', async () => {
    const { value } = await eventually(
      async () => ((await db.query("SELECT * FROM usage_events WHERE username = 'alice' AND provider_id = 'openai-prod'")) as any[])[0],
      (rows: any[]) => rows.length > 0,
      5_000,
    );
    expect(value[0]).toMatchObject({ route: 'user-provider/openai-prod/gpt-4.1-mini', model: 'gpt-4.1-mini', status: 200, ok: 1 });
    expect(value[0].prompt_tokens).toBeGreaterThan(0);
    const used = await eventually(() => api('GET', '/api/u/alice/tokens', alice), (r) => r.json.data[0].last_used_at !== null, 5_000);
    expect(used.value.json.data[0].last_used_at).not.toBeNull();
  });

  it('issues tokens and exports configuration from the CLI', async () => {
    const { stdout } = await stack.cli(['token', 'issue', 'alice', '--name', 'cli']);
    const token = JSON.parse(stdout).token;
    expect((await call(edgeB, 'GET', '/api/u/alice/models', token)).status).toBe(200);
    const exported = JSON.parse((await stack.cli(['config', 'export', 'alice'])).stdout);
    expect({ rotations: exported.rotations }).toEqual(JSON.parse(SEED_ROTATIONS_JSON));
    expect(JSON.stringify(exported)).not.toContain(OPENAI_KEY);
  });

  it('keeps serving existing users from cache while MySQL and Redis are away; writes get 503 and nothing is half-written', async () => {
    const client = new OpenAI({ apiKey: alice, baseURL: `${edgeA}/api/u/alice`, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'still there?' }] });
    await ask();
    await Promise.all([mysqlProxy.cut(), redisProxy.cut()]);
    try {
      expect((await ask()).choices[0].message.content).toBe('Mock reply to: still there?');
      const write = await api('PUT', '/api/u/alice/providers/during-outage', alice, { type: 'openai', endpoint: mock.url, models: [{ name: 'm' }] });
      expect(write.status).toBe(503);
      expect(write.json.error.code).toBe('service_unavailable');
    } finally {
      await Promise.all([mysqlProxy.restore(), redisProxy.restore()]);
    }
    // Only MySQL away (Redis back): the write is refused, not half-applied.
    await eventually(() => api('GET', '/api/u/alice/providers/openai-prod', alice), (r) => r.status === 200, 10_000);
    await mysqlProxy.cut();
    try {
      const write = await api('PUT', '/api/u/alice/config/providers', alice, { providers: {} });
      expect(write.status).toBe(503);
    } finally {
      await mysqlProxy.restore();
    }
    const after = await eventually(() => api('PUT', '/api/u/alice/providers/after-outage', alice, { type: 'openai', endpoint: mock.url, models: [{ name: 'm' }] }), (r) => r.status === 201, 10_000);
    expect(after.value.status).toBe(201);
    const names = Object.keys((await api('GET', '/api/u/alice/config/providers', alice)).json.providers);
    expect(names).toContain('openai-prod');
    expect(names).not.toContain('during-outage');
  });
});
