import { request as httpRequest, ClientRequest } from 'node:http';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { postChat, waitFor } from '../support/http/aisbf-http';

const TOKEN = 'sk-test-bodies-0123456789abcdefghijkl';
const config = (endpoint: string) => ({
  users: { ops: { tokens: [TOKEN], providers: { up: { type: 'openai', endpoint, models: [{ name: 'm' }] } } } },
});
const ask = (content: string) => ({ model: 'user-provider/up/m', messages: [{ role: 'user', content }] });

/** A request that declares `length` body bytes and sends only a few: it holds its share until destroyed. */
function slowUpload(url: string, length: number): Promise<ClientRequest> {
  const target = new URL(`${url}/v1/chat/completions`);
  const req = httpRequest({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': String(length) },
  });
  req.on('error', () => undefined);
  req.write('{"model":"user-provider/up/m","messages":[{"role":"user","content":"');
  return new Promise((resolve) => setTimeout(() => resolve(req), 200));
}

async function metric(stack: AisbfStack, name: string): Promise<number> {
  const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('request bodies held at once stay within the edge budget', () => {
  const upstream = new MockOpenAiServer('bodies');
  let stack: AisbfStack;

  beforeAll(async () => {
    await upstream.start();
    stack = await AisbfStack.start({ mode: 'distributed', env: { AISBF_MAX_INFLIGHT_BODY_BYTES: '2000000' }, config: config(upstream.url) });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream.stop();
  });

  it('answers 503 server_busy with Retry-After to a body that does not fit, and serves it once the space is free', async () => {
    const held = await slowUpload(stack.baseUrl, 1_500_000);
    const large = ask('x'.repeat(800_000));

    const refused = await postChat(`${stack.baseUrl}/v1`, TOKEN, large);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(refused.text)).toMatchObject({
      error: { code: 'server_busy', type: 'service_unavailable', message: expect.stringContaining('AISBF_MAX_INFLIGHT_BODY_BYTES') },
    });
    // A small body still fits beside the held one.
    expect((await postChat(`${stack.baseUrl}/v1`, TOKEN, ask('hi'))).status).toBe(200);
    expect(await metric(stack, 'aisbf_http_body_budget_rejections_total')).toBeGreaterThanOrEqual(1);
    expect(await metric(stack, 'aisbf_http_request_body_bytes_in_flight')).toBe(1_500_000);

    // The client that held the space goes away: its share comes back.
    held.destroy();
    await waitFor(async () => (await metric(stack, 'aisbf_http_request_body_bytes_in_flight')) === 0);
    const served = await postChat(`${stack.baseUrl}/v1`, TOKEN, large);
    expect(served.status).toBe(200);
    expect(upstream.chatRequests().length).toBe(2);
  });
});

describe('an edge with a small heap under a burst of large bodies', () => {
  const upstream = new MockOpenAiServer('burst');
  let stack: AisbfStack;

  beforeAll(async () => {
    await upstream.start();
    // A 128 MB heap, as in a small container; the default budget is derived from it.
    stack = await AisbfStack.start({ mode: 'distributed', nodeArgs: ['--max-old-space-size=128'], config: config(upstream.url) });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream.stop();
  });

  it('answers every request with an OpenAI error instead of running out of memory, and keeps serving', async () => {
    const body = JSON.stringify(ask('lorem ipsum '.repeat(750_000)));
    const answers = await Promise.all(
      Array.from({ length: 24 }, () =>
        fetch(`${stack.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body,
        })
          .then(async (res) => `${res.status} ${(JSON.parse(await res.text()) as { error: { code: string } }).error.code}`)
          .catch((error: Error) => `failed: ${error.message}`),
      ),
    );
    // Too large for one bus message (413) or refused while others are held (503); never a dropped connection.
    for (const answer of answers) expect(['413 payload_too_large', '503 server_busy']).toContain(answer);
    expect(answers).toContain('503 server_busy');
    expect(stack.processes.find((p) => p.service === 'edge-api')!.child.exitCode).toBeNull();
    expect((await postChat(`${stack.baseUrl}/v1`, TOKEN, ask('still there?'))).status).toBe(200);
  }, 60_000);
});
