import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { AisbfStack } from '../support/stack/aisbf-stack';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { waitFor } from '../support/http/aisbf-http';
import { BrowserSession, launchChromium, screenshot } from '../support/browser/chromium';
import { SEED_AUTOSELECT_JSON, SEED_ROTATIONS_JSON } from '../support/seed/seed-documents';

const OPS_PASSWORD = 'ops-password-0123456789';
const ALICE_PASSWORD = 'alice-password-0123456789';
const BOB_PASSWORD = 'bob-password-0123456789';
const OPENAI_KEY = 'sk-openai-prod-secret-key-4242';
const ROTATION = 'user-rotation/coding-production';
const POLICY = 'user-autoselect/engineering';

const seedRotation = JSON.parse(SEED_ROTATIONS_JSON).rotations['coding-production'];
const seedPolicy = JSON.parse(SEED_AUTOSELECT_JSON).engineering;

async function operator(stack: AisbfStack, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** The problem the page shows beside the field at this JSON path. */
const problemAt = (page: Page, path: string) => page.locator(`[data-path="${path}"] > .problem`).first();

async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/dashboard`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('signed-in-user').filter({ hasText: username }).waitFor();
}

async function goTo(page: Page, title: string): Promise<void> {
  await page.locator('nav.sidebar a', { hasText: title }).click();
  await page.locator('main.content h1', { hasText: title }).waitFor();
}

describe('dashboard in a real browser (distributed: MySQL, Redis, NATS)', () => {
  const coderai = new MockOpenAiServer('coderai');
  const runpod = new MockOpenAiServer('runpod');
  const hosted = new MockOpenAiServer('openai');
  let stack: AisbfStack;
  let alice: BrowserSession;
  let bob: BrowserSession;
  let base = '';
  let sdkToken = '';

  beforeAll(async () => {
    await Promise.all([coderai.start(), runpod.start(), hosted.start()]);
    coderai.models = ['qwen2.5-coder:32b', 'qwen2.5-coder:7b'];
    runpod.models = ['deepseek-coder-v2'];
    hosted.models = ['gpt-4.1-mini', 'gpt-4.1'];
    [stack, alice, bob] = await Promise.all([AisbfStack.start({ mode: 'distributed', database: true, env: { AISBF_AUTH_FAILURES_PER_MINUTE: '20' } }), launchChromium(), launchChromium()]);
    base = stack.baseUrl;
    expect((await operator(stack, 'POST', '/api/admin/users', { username: 'ops', role: 'admin', password: OPS_PASSWORD })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await stack?.stop();
    await Promise.all([coderai.stop(), runpod.stop(), hosted.stop()]);
  });

  it('an admin signs in, is refused a short password beside the field, and creates two users', async () => {
    const page = alice.page;
    await page.goto(`${base}/dashboard`);
    await page.locator('input[name=username]').fill('ops');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectText(page.locator('form.login .form-message'), 'wrong username or password');
    await screenshot(page, '00-login');
    await signIn(page, base, 'ops', OPS_PASSWORD);

    await goTo(page, 'Users');
    const form = page.getByTestId('user-form');
    await form.locator('input[name=new_username]').fill('alice');
    await form.locator('input[name=new_user_password]').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await expectText(problemAt(page, '$.password'), 'passwords are at least 12 characters');
    await form.locator('input[name=new_user_password]').fill(ALICE_PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.locator('[data-testid=users-table] tr[data-user=alice]').waitFor();
    await form.locator('input[name=new_username]').fill('bob');
    await form.locator('input[name=new_user_password]').fill(BOB_PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.locator('[data-testid=users-table] tr[data-user=bob]').waitFor();
    await screenshot(page, '01-users');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('form.login').waitFor();
  });

  it('alice creates the seed\'s three providers, sees keys masked and errors beside fields, and tests model listing', async () => {
    const page = alice.page;
    await signIn(page, base, 'alice', ALICE_PASSWORD);
    await goTo(page, 'Providers');
    const providers: Array<{ id: string; endpoint: string; model: string; key?: string; private?: boolean }> = [
      { id: 'coderai-local', endpoint: coderai.url, model: 'qwen2.5-coder:32b', private: true },
      { id: 'runpod-gpu-a', endpoint: runpod.url, model: 'deepseek-coder-v2', key: 'rp-secret-key-0123456789' },
      { id: 'openai-prod', endpoint: hosted.url, model: 'gpt-4.1-mini', key: OPENAI_KEY },
    ];
    for (const [index, provider] of providers.entries()) {
      await page.getByRole('button', { name: 'New provider' }).click();
      const form = page.getByTestId('provider-form');
      await form.locator('input[name=id]').fill(provider.id);
      // The first one is sent with a broken endpoint first: the API's message shows beside the field.
      await form.locator('input[name=endpoint]').fill(index === 0 ? 'coderai.lan/v1' : provider.endpoint);
      if (provider.key) await form.locator('input[name=api_key]').fill(provider.key);
      if (provider.private) await form.locator('input[name=private]').check();
      await form.locator('input[name=model_name]').first().fill(provider.model);
      await form.getByRole('button', { name: 'Create provider' }).click();
      if (index === 0) {
        await expectText(problemAt(page, '$.endpoint'), 'endpoint must be an absolute http(s) URL');
        await screenshot(page, '02-provider-error');
        await form.locator('input[name=endpoint]').fill(provider.endpoint);
        await form.getByRole('button', { name: 'Create provider' }).click();
      }
      await expectText(page.getByTestId('provider-form').locator('.form-message.ok'), `Saved provider ${provider.id}`);
    }
    expect(await page.locator('[data-testid=providers-table] tbody tr').count()).toBe(3);
    const hint = await page.locator('tr[data-id=openai-prod] [data-testid=key-hint]').innerText();
    expect(hint).not.toContain(OPENAI_KEY);
    expect(hint).toMatch(/4242$/);
    expect(await page.content()).not.toContain(OPENAI_KEY);

    await page.locator('tr[data-id=coderai-local]').getByRole('button', { name: 'Test model listing' }).click();
    const test = page.getByTestId('model-test');
    await expectText(test, 'all declared models present');
    await expectText(test, 'qwen2.5-coder:7b');
    await screenshot(page, '03-providers');

    hosted.enqueue({ status: 401 });
    await page.locator('tr[data-id=openai-prod]').getByRole('button', { name: 'Test model listing' }).click();
    await expectText(test, 'failed');
    await expectText(test, '401');
    expect(hosted.requests.find((r) => r.path.endsWith('/models'))?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('builds coding-production with weights and cooldowns, refusing a negative weight beside its field', async () => {
    const page = alice.page;
    await goTo(page, 'Rotations');
    await page.getByRole('button', { name: 'New rotation' }).click();
    const form = page.getByTestId('rotation-form');
    await form.locator('input[name=name]').fill('coding-production');
    await form.locator('input[name=capabilities]').fill('chat, coding, tool_use');
    await form.locator('input[name=privacy]').check();
    const candidates = [
      { provider: 'coderai-local', model: 'qwen2.5-coder:32b', weight: '6', cooldown: '60' },
      { provider: 'runpod-gpu-a', model: 'deepseek-coder-v2', weight: '3', cooldown: '120' },
      { provider: 'openai-prod', model: 'gpt-4.1-mini', weight: '1', cooldown: '300' },
    ];
    for (const [i, c] of candidates.entries()) {
      if (i > 0) await form.getByRole('button', { name: '+ candidate' }).click();
      const row = form.locator('[data-testid=rotation-candidates] .row').nth(i);
      await row.locator('select[name=candidate_provider]').selectOption(c.provider);
      await row.locator('input[name=candidate_model]').fill(c.model);
      await row.locator('input[name=candidate_weight]').fill(i === 0 ? '-6' : c.weight);
      await row.locator('input[name=candidate_cooldown]').fill(c.cooldown);
    }
    await form.getByRole('button', { name: 'Create rotation' }).click();
    await expectText(problemAt(page, '$.providers[0].weight'), 'weight must be a positive number');
    await screenshot(page, '04-rotation-error');
    await form.locator('[data-testid=rotation-candidates] .row').nth(0).locator('input[name=candidate_weight]').fill('6');
    await form.getByRole('button', { name: 'Create rotation' }).click();
    await expectText(page.getByTestId('rotation-form').locator('.form-message.ok'), 'Saved rotation coding-production');

    const stored = await operator(stack, 'GET', '/api/u/alice/config/rotations');
    expect(stored.json.rotations['coding-production']).toEqual(seedRotation);
    // Live state: every candidate healthy, from the route explanation.
    await page.locator('[data-testid="rotation-state-coding-production"] tr[data-candidate="coderai-local/qwen2.5-coder:32b"]').waitFor();
  });

  it('builds the engineering policy on top, with descriptions of the available models', async () => {
    const page = alice.page;
    await goTo(page, 'Autoselect');
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.getByTestId('autoselect-form');
    await form.locator('input[name=name]').fill('engineering');
    await form.locator('input[name=selection_model]').fill('general');
    await form.locator('input[name=fallback]').fill(ROTATION);
    for (const [i, m] of seedPolicy.available_models.entries()) {
      if (i > 0) await form.getByRole('button', { name: '+ available model' }).click();
      const row = form.locator('[data-testid=available-models] .row').nth(i);
      await row.locator('input[name=available_model_id]').fill(m.model_id);
      await row.locator('input[name=available_description]').fill(m.description);
      if (m.privacy) await row.locator('input[name=available_privacy]').check();
    }
    await form.getByRole('button', { name: 'Create policy' }).click();
    await expectText(page.getByTestId('autoselect-form').locator('.form-message.ok'), 'Saved policy engineering');
    const stored = await operator(stack, 'GET', '/api/u/alice/config/autoselect');
    expect(stored.json.engineering).toEqual(seedPolicy);
    await screenshot(page, '05-autoselect');
  });

  it('creates a token shown once, and the OpenAI SDK calls the policy route with it; classification, plan, failover and usage show in the pages', async () => {
    const page = alice.page;
    await goTo(page, 'API tokens');
    const form = page.getByTestId('token-form');
    await form.locator('input[name=token_name]').fill('sdk');
    await form.getByRole('button', { name: 'Create token' }).click();
    sdkToken = await page.getByTestId('issued-token').inputValue();
    expect(sdkToken.length).toBeGreaterThan(20);
    await screenshot(page, '06-tokens');
    await goTo(page, 'Providers');
    await goTo(page, 'API tokens');
    await page.locator('[data-testid=tokens-table] td', { hasText: 'sdk' }).waitFor();
    expect(await page.content()).not.toContain(sdkToken);

    // The seed's call: applications call only the policy route.
    const client = new OpenAI({ apiKey: sdkToken, baseURL: `${base}/api/u/alice`, maxRetries: 0 });
    const seedCall = await client.chat.completions.create({ model: POLICY, messages: [{ role: 'user', content: 'Fix this failing private test.' }] }).withResponse();
    expect(seedCall.data.choices[0].message.content).toBe('Mock reply to: Fix this failing private test.');
    expect(seedCall.response.headers.get('x-aisbf-route')).toBe(POLICY);
    expect(seedCall.response.headers.get('x-aisbf-selected')).toContain(ROTATION);

    // The debugger explains a prompt holding a cloud key: private, so only the private candidate.
    await goTo(page, 'Route debugger');
    await page.locator('input[name=model]').fill(POLICY);
    await page.locator('textarea[name=prompt]').fill('Deploy with AWS key AKIAIOSFODNN7EXAMPLE and fix the failing test.');
    await page.getByRole('button', { name: 'Explain route' }).click();
    const classification = page.getByTestId('classification');
    await expectText(classification.getByTestId('privacy'), 'private');
    await expectText(classification.getByTestId('selected-model'), ROTATION);
    await expectText(classification.locator('tr[data-signal=aws_access_key] mark'), 'AKIAIOSFODNN7EXAMPLE');
    await expectText(page.getByTestId('plan'), 'coderai-local/qwen2.5-coder:32b');
    expect(await page.getByTestId('plan').locator('li').count()).toBe(1);
    await page.locator('[data-testid=explain-candidates] tr[data-candidate="openai-prod/gpt-4.1-mini"][data-status=filtered_privacy]').waitFor();
    await screenshot(page, '07-route-debugger-policy');

    // The local backend goes down: whichever call picks it first fails over, and it cools down.
    coderai.setDefault({ status: 500 });
    let failovers = 0;
    for (let i = 0; i < 12 && failovers === 0; i++) {
      const { data, response } = await client.chat.completions.create({ model: POLICY, messages: [{ role: 'user', content: `Refactor the parser module, step ${i}.` }] }).withResponse();
      expect(data.choices[0].message.content).toBe(`Mock reply to: Refactor the parser module, step ${i}.`);
      if (response.headers.get('x-aisbf-failover')) failovers++;
    }
    expect(failovers).toBe(1);
    const direct = await client.chat.completions.create({ model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello' }] });
    expect(direct.choices[0].message.content).toBe('Mock reply to: Hello');

    await page.locator('input[name=model]').fill(ROTATION);
    await page.locator('textarea[name=prompt]').fill('Fix this failing private test.');
    await page.getByRole('button', { name: 'Explain route' }).click();
    await page.getByTestId('explanation').getByTestId('plan').waitFor();
    await page.locator('[data-testid=explain-candidates] tr[data-candidate="coderai-local/qwen2.5-coder:32b"][data-status=cooling]').waitFor();
    const recent = page.getByTestId('recent-requests');
    await expectText(recent, 'failover', 10_000);
    await expectText(recent, POLICY);
    await expectText(recent, 'user-provider/openai-prod/gpt-4.1-mini');
    await recent.locator('tr.attempts', { hasText: 'upstream_error 500' }).first().waitFor();
    await screenshot(page, '08-route-debugger-recent');

    await goTo(page, 'Rotations');
    await page.locator('[data-testid="rotation-state-coding-production"] tr[data-candidate="coderai-local/qwen2.5-coder:32b"][data-status=cooling]').waitFor();
    await expectText(page.locator('[data-testid="rotation-state-coding-production"] tr[data-status=cooling] [data-testid=cooldown]'), 's left');
    await screenshot(page, '09-rotations');

    await goTo(page, 'Usage');
    await page.locator(`[data-testid=usage-totals] tr[data-group="${POLICY}"]`).waitFor();
    const routeRow = await page.locator(`[data-testid=usage-totals] tr[data-group="${POLICY}"] td`).allInnerTexts();
    const requests = Number(routeRow[1]);
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(Number(routeRow[2])).toBe(requests + 1); // attempts: one more, the failed one
    expect(Number(routeRow[3])).toBe(1); // errors
    expect(Number(routeRow[4])).toBe(1); // failovers
    await page.getByTestId('chart-requests').locator(`g[data-series="${POLICY}"]`).waitFor();
    await page.locator('select[name=group_by]').selectOption('provider');
    await page.locator('[data-testid=usage-totals] tr[data-group="coderai-local"]').waitFor();
    await screenshot(page, '10-usage');
  });

  it('exports the seed documents and refuses a bad import with the JSON path of each problem', async () => {
    const page = alice.page;
    await goTo(page, 'Import / export');
    const rotations = page.getByTestId('transfer-rotations');
    await waitFor(async () => (await rotations.locator('textarea').inputValue()).includes('coding-production'), 15_000, 100);
    expect(JSON.parse(await rotations.locator('textarea').inputValue())).toEqual(JSON.parse(SEED_ROTATIONS_JSON));
    const bad = JSON.parse(SEED_ROTATIONS_JSON);
    bad.rotations['coding-production'].providers[1].provider_id = 'nowhere';
    await rotations.locator('textarea').fill(JSON.stringify(bad));
    await rotations.getByRole('button', { name: 'Import rotations' }).click();
    await expectText(rotations.locator('.form-message.error'), '$.rotations.coding-production.providers[1].provider_id');
    await screenshot(page, '11-import-export');
    const stored = await operator(stack, 'GET', '/api/u/alice/config/rotations');
    expect(stored.json.rotations['coding-production']).toEqual(seedRotation);
  });

  it('bob sees none of alice\'s data, in the pages or through the API', async () => {
    const page = bob.page;
    await signIn(page, base, 'bob', BOB_PASSWORD);
    await goTo(page, 'Providers');
    await expectText(page.locator('main .empty'), 'No providers yet');
    await goTo(page, 'Route debugger');
    await expectText(page.locator('main .empty'), 'No requests yet');
    await goTo(page, 'Usage');
    await expectText(page.locator('main .empty'), 'No requests in this range');
    expect(await page.locator('nav.sidebar').innerText()).not.toContain('Users');
    await screenshot(page, '12-second-user');
    const statuses = await page.evaluate(async () => {
      const paths = ['/api/u/alice/providers', '/api/u/alice/usage', '/api/u/alice/requests/recent', '/api/u/alice/config/rotations', '/api/admin/users'];
      return Promise.all(paths.map(async (p) => (await fetch(p)).status));
    });
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
  });

  it('the session cookie is httpOnly and SameSite=Strict; writes need the CSRF token; sign-out ends the session', async () => {
    const cookies = await bob.context.cookies(base);
    const session = cookies.find((c) => c.name === 'aisbf_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await bob.page.evaluate('document.cookie')).not.toContain('aisbf_session');

    const write = await bob.page.evaluate(async () => {
      const body = JSON.stringify({ type: 'demo', endpoint: 'demo', models: [{ name: 'echo' }] });
      const response = await fetch('/api/u/bob/providers/sneaky', { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, body: (await response.json()) as { error: { message: string } } };
    });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('CSRF');
    const cookie = `aisbf_session=${session.value}`;
    const crossSite = await fetch(`${base}/api/u/bob/tokens`, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(crossSite.status).toBe(403);
    expect((await fetch(`${base}/api/u/bob/providers`, { headers: { cookie } })).status).toBe(200);

    await bob.page.getByRole('button', { name: 'Sign out' }).click();
    await bob.page.locator('form.login').waitFor();
    expect((await fetch(`${base}/api/u/bob/providers`, { headers: { cookie } })).status).toBe(401);
  });

  it('an API token opens a session too (the embedded mode\'s first user has no password yet)', async () => {
    const page = bob.page;
    await page.locator('form.login').getByRole('button', { name: 'Sign in with an API token instead' }).click();
    await page.locator('input[name=token]').fill('sk-not-a-real-token-0000000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectText(page.locator('form.login .form-message'), 'invalid API token');
    await page.locator('input[name=token]').fill(sdkToken);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('signed-in-user').filter({ hasText: 'alice' }).waitFor();
    await goTo(page, 'Providers');
    expect(await page.locator('[data-testid=providers-table] tbody tr').count()).toBe(3);
  });

  // Last: it spends this address's budget of failed authentications.
  it('password guessing is cut off after AISBF_AUTH_FAILURES_PER_MINUTE failures, right password included', async () => {
    const signIn = (password: string) =>
      fetch(`${base}/api/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password }) });
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++) status = (await signIn(`guess-${i}`)).status;
    expect(status).toBe(429);
    const right = await signIn(ALICE_PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

/** Waits until the element's text contains `text` (pages fill in asynchronously). */
async function expectText(locator: ReturnType<Page['locator']>, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.innerText({ timeout: timeoutMs }).catch(() => '')) ?? '';
    if (last.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected "${text}" in: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
