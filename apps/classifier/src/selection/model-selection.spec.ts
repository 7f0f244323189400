import type { SelectionCandidate } from '@aisbf/contracts';
import { selectionStep } from './model-selection';
import { parseSelectorAnswer, selectorMessages } from './selector-prompt';
import { selectLocally } from './local-scorer';
import { textTerms } from './text-terms';

const PRIVATE = 'user-rotation/coding-production';
const GPU = 'user-provider/runpod-gpu-a/deepseek-coder-v2';
const HOSTED = 'user-provider/openai-prod/gpt-4.1-mini';
const CANDIDATES: SelectionCandidate[] = [
  { modelId: PRIVATE, description: 'Private code, logs, secrets, customer data.', private: true, capabilities: [] },
  { modelId: GPU, description: 'Long refactors and GPU-heavy coding when data is not secret.', private: false, capabilities: [] },
  { modelId: HOSTED, description: 'Fast hosted fallback for non-private tasks.', private: false, capabilities: [] },
];
const user = (content: string) => [{ role: 'user', content }];
const REFACTOR = `Refactor this whole module into smaller services:\n\`\`\`ts\n${'export function f(a: number) { return a + 1; }\n'.repeat(400)}\`\`\``;
const llmSelector = (isPrivate: boolean) => ({
  mode: 'llm' as const,
  modelId: 'user-provider/general/router-small',
  private: isPrivate,
  timeoutMs: 1000,
  candidates: [
    {
      providerId: 'general',
      providerType: 'openai' as const,
      model: 'router-small',
      endpoint: 'http://x/v1',
      pool: 'default',
      sealedKey: null,
      timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
      allowPrivateEndpoint: false,
    },
  ],
});

describe('local scorer', () => {
  it('sends a long refactor to the GPU route and a quick question to the fast hosted one', () => {
    expect(selectLocally(CANDIDATES, user(REFACTOR), false, PRIVATE)).toMatchObject({ modelId: GPU, method: 'local' });
    expect(selectLocally(CANDIDATES, user('Quick question: what does HTTP 418 mean?'), false, PRIVATE)).toMatchObject({ modelId: HOSTED, method: 'local' });
  });

  it('explains its scores and gives a confidence between 0 and 1', () => {
    const result = selectLocally(CANDIDATES, user(REFACTOR), false, PRIVATE);
    expect(result.reason).toContain(`${GPU}=`);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('falls back when no description says anything about the task', () => {
    const bland: SelectionCandidate[] = [
      { modelId: 'user-provider/a/m', description: 'Alpha.', private: false, capabilities: [] },
      { modelId: 'user-provider/b/m', description: 'Beta.', private: false, capabilities: [] },
    ];
    expect(selectLocally(bland, user('zzz'), false, 'user-provider/b/m')).toMatchObject({ modelId: 'user-provider/b/m', method: 'fallback', confidence: 0 });
  });

  it('keeps negation: "not secret" never matches "secret"', () => {
    expect(textTerms('when data is not secret')).toEqual(['data', 'not_private']);
    expect(textTerms('non-private tasks')).toEqual(['not_private', 'task']);
  });
});

describe('selection step', () => {
  it('considers only private candidates for a private request', () => {
    const step = selectionStep({ selector: { mode: 'local' }, candidates: CANDIDATES, fallback: HOSTED }, user('anything'), true);
    expect(step).toEqual({ done: expect.objectContaining({ modelId: PRIVATE, method: 'single' }) });
  });

  it('never shows a private conversation to a selection model that is not private', () => {
    const candidates = [...CANDIDATES, { modelId: 'user-provider/coderai-local/qwen', description: 'LAN coder', private: true, capabilities: [] }];
    const step = selectionStep({ selector: llmSelector(false), candidates, fallback: HOSTED }, user(REFACTOR), true);
    expect('done' in step && step.done.reason).toContain('is not private');
    const asked = selectionStep({ selector: llmSelector(true), candidates, fallback: HOSTED }, user(REFACTOR), true);
    expect('ask' in asked && asked.candidates.map((c) => c.modelId)).toEqual([PRIVATE, 'user-provider/coderai-local/qwen']);
  });

  it("keeps an earlier turn's choice while it is allowed", () => {
    const previous = { modelId: GPU, method: 'llm' as const, confidence: 0.8 };
    expect(selectionStep({ selector: llmSelector(false), candidates: CANDIDATES, fallback: HOSTED, previous }, user('and the tests?'), false)).toEqual({
      done: expect.objectContaining({ modelId: GPU, method: 'sticky', confidence: 0.8 }),
    });
    expect(selectionStep({ selector: llmSelector(false), candidates: CANDIDATES, fallback: HOSTED, previous }, user('x'), true)).toEqual({
      done: expect.objectContaining({ modelId: PRIVATE }),
    });
  });
});

describe('selection model prompt and answer', () => {
  it('lists every candidate with its description and the recent task, truncated', () => {
    const [system, prompt] = selectorMessages(CANDIDATES, user(REFACTOR));
    expect(system.content).toContain('"model_id"');
    for (const c of CANDIDATES) expect(prompt.content).toContain(c.modelId);
    expect(prompt.content.length).toBeLessThan(REFACTOR.length);
  });

  it.each([
    ['{"model_id": "user-provider/runpod-gpu-a/deepseek-coder-v2", "confidence": 0.7}', GPU, 0.7],
    ['```json\n{"model_id":"user-provider/openai-prod/gpt-4.1-mini"}\n```', HOSTED, 0.5],
  ])('accepts %s', (text, modelId, confidence) => {
    expect(parseSelectorAnswer(text, CANDIDATES)).toEqual({ modelId, confidence });
  });

  it.each([['GPU please'], ['{"model_id": "user-provider/openai-prod/gpt-5"}'], ['{"model": "user-provider/openai-prod/gpt-4.1-mini"}'], ['{not json}'], ['']])(
    'rejects %j',
    (text) => {
      expect(parseSelectorAnswer(text, CANDIDATES)).toBeNull();
    },
  );
});
