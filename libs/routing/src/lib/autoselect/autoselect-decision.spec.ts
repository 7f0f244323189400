import { compileProvider, UserRouteConfig } from '../config/user-route-config';
import { autoselectSchema } from '../config/autoselect.schema';
import { rotationSchema } from '../config/rotation.schema';
import { autoselectEntries, fallbackEntry, selectorRouteId } from './autoselect-entries';
import { decideAutoselect, SelectionProposal } from './autoselect-decision';
import { conversationKeys } from './conversation-keys';
import type { RouteTarget } from './route-target';

/** The contracts' model-id grammar, enough for these tests (this lib does not import the contracts). */
function parse(id: string): RouteTarget | null {
  const [kind, ...rest] = id.split('/');
  if (kind === 'user-provider' && rest.length >= 2) return { kind: 'provider', providerId: rest[0], model: rest.slice(1).join('/') };
  if (kind === 'user-rotation' && rest.length === 1) return { kind: 'rotation', name: rest[0] };
  if (kind === 'user-autoselect' && rest.length === 1) return { kind: 'autoselect', name: rest[0] };
  return null;
}

const SEED = autoselectSchema.parse({
  model_name: 'engineering',
  selection_model: 'general',
  fallback: 'user-rotation/coding-production',
  classify_privacy: true,
  classify_semantic: true,
  available_models: [
    { model_id: 'user-rotation/coding-production', description: 'Private code, logs, secrets, customer data.', privacy: true },
    { model_id: 'user-provider/runpod-gpu-a/deepseek-coder-v2', description: 'Long refactors and GPU-heavy coding when data is not secret.' },
    { model_id: 'user-provider/openai-prod/gpt-4.1-mini', description: 'Fast hosted fallback for non-private tasks.' },
  ],
});

function config(): UserRouteConfig {
  const provider = (id: string, model: string, isPrivate = false) =>
    [id, compileProvider(id, { type: 'openai', endpoint: `http://${id}.lan/v1`, models: [{ name: model }], private: isPrivate }, null)] as const;
  return {
    username: 'alice',
    trustedEndpoints: true,
    providers: new Map([
      provider('coderai-local', 'qwen2.5-coder:32b', true),
      provider('runpod-gpu-a', 'deepseek-coder-v2'),
      provider('openai-prod', 'gpt-4.1-mini'),
      provider('general', 'router-small'),
    ]),
    rotations: new Map([
      [
        'coding-production',
        rotationSchema.parse({ providers: [{ provider_id: 'coderai-local', model: 'qwen2.5-coder:32b' }], privacy: true }),
      ],
    ]),
    autoselects: new Map([['engineering', SEED]]),
  };
}

const GPU = 'user-provider/runpod-gpu-a/deepseek-coder-v2';
const HOSTED = 'user-provider/openai-prod/gpt-4.1-mini';
const ROTATION = 'user-rotation/coding-production';

function decide(isPrivate: boolean, proposal: SelectionProposal | null, policy = SEED) {
  const c = config();
  return decideAutoselect({
    policy: 'engineering',
    entries: autoselectEntries(c, policy, parse),
    fallback: fallbackEntry(c, policy, parse),
    isPrivate,
    needs: { tools: false, images: false },
    proposal,
  });
}

const llm = (modelId: string | null): SelectionProposal => ({ modelId, method: 'llm', confidence: 0.9, reason: `llm chose ${modelId}` });

describe('autoselect policy', () => {
  it('reads privacy from the entry, the rotation or the provider', () => {
    const c = config();
    const policy = autoselectSchema.parse({
      ...SEED,
      available_models: [{ model_id: 'user-provider/coderai-local/qwen2.5-coder:32b' }, { model_id: ROTATION }, { model_id: GPU, privacy: true }, { model_id: 'user-provider/nope/x' }],
    });
    expect(autoselectEntries(c, policy, parse).map((e) => [e.private, e.privacySource, e.known])).toEqual([
      [true, 'provider', true],
      [true, 'rotation', true],
      [true, 'entry', true],
      [false, null, false],
    ]);
  });

  it('follows an allowed proposal, with its method and confidence', () => {
    expect(decide(false, llm(GPU))).toMatchObject({ ok: true, selected: GPU, method: 'llm', confidence: 0.9, targets: [GPU, ROTATION] });
  });

  it('never lets a private request reach a non-private route, whatever the selector said', () => {
    const outcome = decide(true, llm(HOSTED));
    expect(outcome).toMatchObject({ ok: true, selected: ROTATION, targets: [ROTATION] });
    expect(outcome.ok && outcome.reasons.join(' ')).toContain('overridden');
  });

  it('uses the fallback when the selector gave no answer', () => {
    expect(decide(false, { modelId: null, method: 'llm', confidence: 0, reason: 'timeout' })).toMatchObject({ selected: ROTATION, method: 'fallback' });
  });

  it('refuses a private request when no private route exists, and plans nothing', () => {
    const hostedOnly = autoselectSchema.parse({ ...SEED, fallback: HOSTED, available_models: SEED.available_models.filter((m) => !m.privacy) });
    expect(decide(true, llm(HOSTED), hostedOnly)).toMatchObject({ ok: false, code: 'no_private_route' });
    expect(decide(false, llm(HOSTED), hostedOnly)).toMatchObject({ ok: true, selected: HOSTED });
  });

  it('prefers the lowest priority among private routes when the fallback is not private', () => {
    const policy = autoselectSchema.parse({
      ...SEED,
      fallback: HOSTED,
      available_models: [
        { model_id: ROTATION, privacy: true, priority: 5 },
        { model_id: 'user-provider/coderai-local/qwen2.5-coder:32b', priority: 1 },
        { model_id: HOSTED },
      ],
    });
    expect(decide(true, null, policy)).toMatchObject({ ok: true, selected: 'user-provider/coderai-local/qwen2.5-coder:32b', method: 'priority' });
  });

  it('narrows to candidates declaring the capabilities a request needs, when any does', () => {
    const c = config();
    const policy = autoselectSchema.parse({
      ...SEED,
      available_models: [
        { model_id: GPU, capabilities: ['chat', 'coding'] },
        { model_id: HOSTED, capabilities: ['chat', 'tool_use'] },
      ],
      fallback: HOSTED,
    });
    const withTools = (proposal: SelectionProposal) =>
      decideAutoselect({
        policy: 'p',
        entries: autoselectEntries(c, policy, parse),
        fallback: fallbackEntry(c, policy, parse),
        isPrivate: false,
        needs: { tools: true, images: false },
        proposal,
      });
    expect(withTools(llm(GPU))).toMatchObject({ ok: true, selected: HOSTED, method: 'fallback' });
    expect(withTools(llm(HOSTED))).toMatchObject({ ok: true, selected: HOSTED, method: 'llm' });
  });

  it('resolves selection_model names: local, full ids, rotations, then providers', () => {
    const c = config();
    expect(selectorRouteId(c, 'local', parse)).toBeNull();
    expect(selectorRouteId(c, HOSTED, parse)).toBe(HOSTED);
    expect(selectorRouteId(c, 'coding-production', parse)).toBe(ROTATION);
    expect(selectorRouteId(c, 'general', parse)).toBe('user-provider/general/router-small');
  });

  it('keys a conversation so that each earlier turn is one of its prefixes', () => {
    const turn1 = [{ role: 'user', content: 'a' }];
    const turn2 = [...turn1, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }];
    const k1 = conversationKeys('scope', turn1);
    const k2 = conversationKeys('scope', turn2);
    expect(k2[0]).toBe(k1[0]);
    expect(k2).toHaveLength(3);
    expect(conversationKeys('other scope', turn1)[0]).not.toBe(k1[0]);
    expect(conversationKeys('scope', [{ role: 'system', content: 'a' }])[0]).not.toBe(k1[0]);
  });
});
