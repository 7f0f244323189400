import OpenAI from 'openai';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOllamaServer } from '../support/mock-ollama/mock-ollama-server';
import { MockAnthropicServer } from '../support/mock-anthropic/mock-anthropic-server';

/*
 * The SSRF guard: the default pool of this installation does not allow private endpoints, a
 * second connector serves the LAN pool `lan`, which does. Every address used here is on this
 * machine, or refused before any connection is attempted (169.254.169.254 is never contacted).
 */

const ALICE = 'sk-test-alice-guard-0123456789abcdef';
const OPS = 'sk-test-ops-admin-guard-0123456789ab';
const CAROL = 'sk-test-carol-trusted-0123456789abcd';

describe('private endpoints are refused for ordinary users outside LAN pools', () => {
  const ollama = new MockOllamaServer('coderai-local');
  const anthropic = new MockAnthropicServer('lan-anthropic');
  let stack: AisbfStack;

  const local = () => ({ type: 'ollama', endpoint: ollama.url, models: [{ name: 'qwen2.5-coder:32b' }, { name: 'nomic-embed-text:latest' }] });

  beforeAll(async () => {
    await ollama.start();
    await anthropic.start();
    stack = await AisbfStack.start({
      mode: 'distributed',
      env: { CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'false' },
      extraConnectors: [{ pools: 'lan', env: { CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'true' } }],
      config: {
        users: {
          alice: {
            tokens: [ALICE],
            providers: {
              'coderai-local': local(),
              metadata: { type: 'openai', endpoint: 'http://169.254.169.254/latest/v1', models: [{ name: 'm' }] },
              'metadata-mapped': { type: 'openai', endpoint: 'http://[::ffff:169.254.169.254]/v1', models: [{ name: 'm' }] },
              'by-name': { type: 'anthropic', endpoint: `http://localhost:${anthropic.port}/v1`, models: [{ name: 'claude-sonnet-4-5' }] },
              'lan-ollama': { ...local(), pool: 'lan' },
              'lan-anthropic': { type: 'anthropic', endpoint: `http://localhost:${anthropic.port}/v1`, pool: 'lan', models: [{ name: 'claude-sonnet-4-5' }] },
            },
          },
          ops: { role: 'admin', tokens: [OPS], providers: { 'coderai-local': local() } },
          carol: { tokens: [CAROL], trusted_endpoints: true, providers: { 'coderai-local': local() } },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await ollama.stop();
    await anthropic.stop();
  });

  beforeEach(() => {
    ollama.reset();
    anthropic.reset();
  });

  const clientFor = (token: string, user: string) => new OpenAI({ apiKey: token, baseURL: `${stack.baseUrl}/api/u/${user}`, maxRetries: 0 });
  const ask = (client: OpenAI, model: string, stream = false) =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }], stream } as OpenAI.ChatCompletionCreateParamsNonStreaming);

  it.each([
    ['127.0.0.1', 'user-provider/coderai-local/qwen2.5-coder:32b', 'loopback'],
    ['169.254.169.254', 'user-provider/metadata/m', 'metadata'],
    ['::ffff:169.254.169.254', 'user-provider/metadata-mapped/m', 'metadata'],
    ['a name resolving to 127.0.0.1', 'user-provider/by-name/claude-sonnet-4-5', 'loopback'],
  ])('refuses an endpoint at %s for an ordinary user, before any connection', async (_what, model, category) => {
    const error = await ask(clientFor(ALICE, 'alice'), model).catch((e) => e);
    expect(error).toMatchObject({ status: 403, code: 'endpoint_not_allowed', type: 'permission_error' });
    expect(error.message).toContain(`${category} address`);
    expect(ollama.requests).toHaveLength(0);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('refuses streams, embeddings and model listings of that endpoint too', async () => {
    const alice = clientFor(ALICE, 'alice');
    await expect(ask(alice, 'user-provider/coderai-local/qwen2.5-coder:32b', true)).rejects.toMatchObject({ status: 403 });
    await expect(alice.embeddings.create({ model: 'user-provider/coderai-local/nomic-embed-text:latest', input: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 'endpoint_not_allowed',
    });
    const listing = await fetch(`${stack.baseUrl}/api/u/alice/providers/coderai-local/test`, { method: 'POST', headers: { authorization: `Bearer ${ALICE}` } });
    expect(listing.status).toBe(403);
    expect(ollama.requests).toHaveLength(0);
  });

  it('allows the same endpoint on a LAN pool that allows private endpoints', async () => {
    const alice = clientFor(ALICE, 'alice');
    const reply = await ask(alice, 'user-provider/lan-ollama/qwen2.5-coder:32b');
    expect(reply.choices[0].message.content).toBe('Mock reply to: hello');
    const byName = await ask(alice, 'user-provider/lan-anthropic/claude-sonnet-4-5');
    expect(byName.choices[0].message.content).toBe('Mock reply to: hello');
    expect(ollama.chatRequests()).toHaveLength(1);
    expect(anthropic.messageRequests()).toHaveLength(1);
  });

  it('allows private endpoints for operator-trusted users: admins and users marked trusted_endpoints', async () => {
    for (const [token, user] of [
      [OPS, 'ops'],
      [CAROL, 'carol'],
    ]) {
      const reply = await ask(clientFor(token, user), 'user-provider/coderai-local/qwen2.5-coder:32b');
      expect(reply.choices[0].message.content).toBe('Mock reply to: hello');
    }
    expect(ollama.chatRequests()).toHaveLength(2);
  });
});
