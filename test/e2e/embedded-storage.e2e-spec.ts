import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';

const TOKEN_LINE = /API token for user 'demo' \(shown once\): (sk-aisbf-[A-Za-z0-9_-]+)/;

describe('embedded mode: SQLite storage on a fresh data directory', () => {
  const mock = new MockOpenAiServer('lan');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aisbf-data-'));
  let stack: AisbfStack | undefined;

  beforeAll(() => mock.start());
  afterAll(async () => {
    await stack?.stop();
    await mock.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the demo curl at once, and keeps users, tokens and providers across restarts', async () => {
    stack = await AisbfStack.start({ mode: 'embedded', dataDir, env: { AISBF_SECRET_KEY: '' } });
    const token = TOKEN_LINE.exec(stack.logs())?.[1];
    expect(token).toBeDefined();
    const demo = await fetch(`${stack.baseUrl}/api/u/demo/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'user-provider/demo/echo', messages: [{ role: 'user', content: 'Fix this failing private test.' }] }),
    });
    expect(demo.status).toBe(200);
    expect(((await demo.json()) as any).choices[0].message.content).toContain('demo provider');

    const put = await fetch(`${stack.baseUrl}/api/u/demo/providers/lan`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'openai', endpoint: mock.url, api_key: 'lan-key-0123456789', models: [{ name: 'mock-model' }] }),
    });
    expect(put.status).toBe(201);
    await stack.stop();

    // Same data directory, still no AISBF_SECRET_KEY: the token works, the stored provider's key still opens.
    stack = await AisbfStack.start({ mode: 'embedded', dataDir, env: { AISBF_SECRET_KEY: '' } });
    expect(stack.logs()).not.toMatch(TOKEN_LINE);
    const client = new OpenAI({ apiKey: token, baseURL: `${stack.baseUrl}/api/u/demo`, maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: 'user-provider/lan/mock-model', messages: [{ role: 'user', content: 'after restart' }] });
    expect(reply.choices[0].message.content).toBe('Mock reply to: after restart');
    expect(mock.chatRequests()[0].headers.authorization).toBe('Bearer lan-key-0123456789');
  });
});
