import fc from 'fast-check';
import { request } from 'undici';
import { AisbfStack } from '../support/stack/aisbf-stack';

const TOKEN = 'sk-fuzz-0123456789abcdefghijklmnop';
const CASES = 10_000;

/** Arbitrary JSON-ish bodies biased towards almost-valid chat requests, where parsers break. */
const almostChat = fc.record(
  {
    model: fc.oneof(
      fc.constant('user-provider/demo/echo'),
      fc.string(),
      fc.constantFrom('user-provider/', 'user-provider//', 'user-rotation/../x', 'user-autoselect/%00', 'user-provider/demo/' + 'x'.repeat(300)),
      fc.integer(),
      fc.constant(null),
    ),
    messages: fc.oneof(
      fc.array(
        fc.record(
          {
            role: fc.oneof(fc.constantFrom('user', 'system', 'assistant', 'tool', 'developer', 'function'), fc.string()),
            content: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.anything()),
            tool_calls: fc.anything(),
            tool_call_id: fc.string(),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      ),
      fc.anything(),
    ),
    stream: fc.oneof(fc.boolean(), fc.anything()),
    temperature: fc.oneof(fc.double(), fc.anything()),
    tools: fc.anything(),
    stop: fc.anything(),
    n: fc.anything(),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  // Valid requests, streamed or not, among the others: the happy path must hold up under the same load.
  { weight: 1, arbitrary: fc.boolean().map((stream) => JSON.stringify({ model: 'user-provider/demo/echo', messages: [{ role: 'user', content: 'hi' }], stream })) },
  { weight: 6, arbitrary: almostChat.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
);

const path = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('/v1/chat/completions', '/api/u/fuzzer/chat/completions') },
  { weight: 1, arbitrary: fc.constantFrom('/api/u/other/chat/completions', '/v1/models', '/api/u/fuzzer/models') },
  { weight: 1, arbitrary: fc.webPath().map((p) => p || '/') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii' }).map((s) => `/api/u/${encodeURIComponent(s)}/chat/completions`) },
);

const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ unit: 'grapheme-ascii' }).map((s) => s.replace(/[\r\n]/g, '')),
      // Well-formed but unknown tokens reach the token cache, where every one is a new key.
      fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/).map((t) => `Bearer ${t}`),
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined);

describe('edge-api under arbitrary input', () => {
  let stack: AisbfStack;

  beforeAll(async () => {
    stack = await AisbfStack.start({
      mode: 'embedded',
      config: {
        users: {
          fuzzer: {
            tokens: [TOKEN],
            providers: {
              demo: { type: 'demo', endpoint: 'builtin:demo', models: [{ name: 'echo' }] },
            },
          },
        },
      },
      // A bounded heap makes a leak fail loudly (out of memory) instead of hiding in lazy heap growth.
      // The embedded mode holds about 45 MB at rest with all four services; the bound leaves room to work
      // and still fails loudly on a leak. Small semi-spaces: with 16 MB ones (the default) V8 collects
      // back to back once less than one semi-space of room is left under the cap.
      env: { AISBF_MAX_BODY_BYTES: '65536', NODE_OPTIONS: '--max-old-space-size=96 --max-semi-space-size=2' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(`answers ${CASES} arbitrary requests without a 5xx, a crash or growing memory`, async () => {
    const process = stack.processes[0];
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(require('node:fs').readFileSync(`/proc/${process.child.pid}/status`, 'utf8'))?.[1]) / 1024;
    const statuses = new Map<number, number>();
    let rssAfterWarmup = 0;
    let count = 0;
    await fc.assert(
      fc.asyncProperty(path, body, authorization, contentType, fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'), async (p, b, auth, type, method) => {
        const headers: Record<string, string> = {};
        if (auth !== undefined) headers.authorization = auth;
        if (type !== undefined) headers['content-type'] = type;
        if (process.child.exitCode !== null || process.child.signalCode !== null) {
          throw new Error(`AISBF exited (${process.child.exitCode ?? process.child.signalCode}):\n${stack.logs().slice(-3000)}`);
        }
        const response = await request(`${stack.baseUrl}${p}`, {
          method: method as 'POST',
          headers,
          body: method === 'GET' ? undefined : b,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        const text = await response.body.text();
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        if (++count === 1000) rssAfterWarmup = rss();
        if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${method} ${p}: ${text.slice(0, 300)}`);
        if (response.statusCode >= 400 && !response.headers['content-type']?.toString().startsWith('application/json')) {
          throw new Error(`non-JSON error ${response.statusCode} for ${method} ${p}`);
        }
        if (response.statusCode >= 400) {
          const parsed = JSON.parse(text);
          if (typeof parsed.error?.message !== 'string' || typeof parsed.error?.type !== 'string') {
            throw new Error(`not an OpenAI error body: ${text.slice(0, 200)}`);
          }
        }
      }),
      { numRuns: CASES },
    );
    const finalRss = rss();
    console.log(`fuzz: ${count} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS ${rssAfterWarmup.toFixed(0)} -> ${finalRss.toFixed(0)} MB`);
    expect(process.child.exitCode).toBeNull();
    expect(finalRss - rssAfterWarmup).toBeLessThan(40);
    // The generators reach both the happy path and the error paths.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
  }, 300_000);
});
