import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AisbfError, ClassifyReply, classifyRequestSchema, ParsedClassifyRequest, SUBJECTS } from '@aisbf/contracts';
import { BusClient, BusServer, InProcessBusTransport } from '@aisbf/bus';
import { FileConfigStore, parseConfigFile } from '@aisbf/persistence';
import { SecretBox } from '@aisbf/secrets';
import { PlanBuilderService } from '../resolve/plan-builder.service';
import { MemoryRouteStateStore } from '../route-state/memory-route-state-store';
import { AutoselectService } from './autoselect.service';
import { DecisionCache } from './decision-cache';
import { MemoryDecisionStore } from './memory-decision-store';
import type { StoredDecision } from './decision-store';

const PRIVATE = 'user-provider/coderai-local/qwen2.5-coder:32b';
const GPU = 'user-provider/runpod-gpu-a/deepseek-coder-v2';
const HOSTED = 'user-provider/openai-prod/gpt-4.1-mini';
const SECRET = 'AKIAQ3EGRT5YB7PLMX4K';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

function store(): FileConfigStore {
  const provider = (endpoint: string, model: string, isPrivate = false) => ({ type: 'openai', endpoint, models: [{ name: model }], private: isPrivate });
  const file = parseConfigFile({
    users: {
      alice: {
        tokens: ['sk-alice-0123456789abcdefghij'],
        providers: {
          'coderai-local': provider('http://coderai.lan/v1', 'qwen2.5-coder:32b', true),
          'runpod-gpu-a': provider('https://gpu.example/v1', 'deepseek-coder-v2'),
          'openai-prod': provider('https://api.openai.com/v1', 'gpt-4.1-mini'),
        },
        autoselect: {
          engineering: {
            selection_model: 'local',
            fallback: HOSTED,
            available_models: [
              { model_id: PRIVATE, description: 'Private code, logs, secrets, customer data.', privacy: true },
              { model_id: GPU, description: 'Long refactors and GPU-heavy coding when data is not secret.' },
              { model_id: HOSTED, description: 'Fast hosted fallback for non-private tasks.' },
            ],
          },
        },
      },
    },
  });
  return new FileConfigStore(file, new SecretBox(SecretBox.generateSecret()), {});
}

/** Stands in for the classifier service: private when the text holds the test key, GPU otherwise. */
function fakeClassifier(transport: InProcessBusTransport, calls: ParsedClassifyRequest[], behaviour: { fail?: boolean } = {}): BusServer {
  const server = new BusServer(transport, '', 'classifier');
  server.onRequest(SUBJECTS.classify, classifyRequestSchema, async (request): Promise<ClassifyReply> => {
    calls.push(request);
    if (behaviour.fail) throw new AisbfError('internal_error', 'down');
    const index = request.messages.findIndex((m) => m.content.includes(SECRET));
    const isPrivate = index >= 0;
    return {
      private: isPrivate,
      signals: isPrivate ? [{ detector: 'aws_access_key', category: 'secret', messageIndex: request.messageOffset + index, start: 0, end: 20 }] : [],
      selection: { modelId: isPrivate ? PRIVATE : GPU, method: 'local', confidence: 0.6, reason: 'scored' },
      durationMs: 0.1,
    };
  });
  return server;
}

function service(transport: InProcessBusTransport) {
  const cooldowns = { defaultCooldownSeconds: 60, maxCooldownSeconds: 3600 };
  return new AutoselectService(new PlanBuilderService(store(), new MemoryRouteStateStore(cooldowns), cooldowns), new BusClient(transport, ''), {
    store: new MemoryDecisionStore(),
    cacheTtlSeconds: 60,
    selectorTimeoutMs: 500,
    classifyTimeoutMs: 1000,
  });
}

const request = (content: string | string[]) => ({
  username: 'alice',
  model: 'user-autoselect/engineering',
  hints: { stream: false, tools: false, images: false },
  messages: (Array.isArray(content) ? content : [content]).map((c, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: c })),
});

describe('autoselect service', () => {
  beforeEach(() => exporter.reset());

  it('plans the private route for a private conversation and traces the decision without the text', async () => {
    const transport = new InProcessBusTransport();
    const calls: ParsedClassifyRequest[] = [];
    fakeClassifier(transport, calls);
    const plan = await service(transport).plan(request(`deploy fails with ${SECRET}`), 'engineering');
    expect(plan.candidates.map((c) => c.providerId)).toEqual(['coderai-local']);
    expect(plan.classification).toMatchObject({ private: true, selected: PRIVATE, cache: 'miss' });
    expect(plan.explanation[0]).toContain('aws_access_key in message 0');
    const span = exporter.getFinishedSpans().find((s) => s.name === 'aisbf.autoselect')!;
    expect(span.attributes).toMatchObject({
      'aisbf.autoselect.policy': 'engineering',
      'aisbf.autoselect.private': true,
      'aisbf.autoselect.signals': 'aws_access_key',
      'aisbf.autoselect.selected': PRIVATE,
    });
    expect(JSON.stringify(span.attributes)).not.toContain(SECRET);
  });

  it('plans the choice, then the fallback for failover, and reuses the decision for the same conversation', async () => {
    const transport = new InProcessBusTransport();
    const calls: ParsedClassifyRequest[] = [];
    fakeClassifier(transport, calls);
    const autoselect = service(transport);
    const first = await autoselect.plan(request('refactor everything'), 'engineering');
    expect(first.candidates.map((c) => c.providerId)).toEqual(['runpod-gpu-a', 'openai-prod']);
    const again = await autoselect.plan(request('refactor everything'), 'engineering');
    expect(again.classification?.cache).toBe('hit');
    const next = await autoselect.plan(request(['refactor everything', 'ok', 'and the tests']), 'engineering');
    expect(next.classification?.cache).toBe('prefix');
    // Only what is new is classified, with its place in the conversation.
    expect(calls.map((c) => [c.messageOffset, c.messages.length])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(calls[1].selection?.previous).toMatchObject({ modelId: GPU });
  });

  it('holds a request private when the classifier cannot answer, and does not cache that', async () => {
    const transport = new InProcessBusTransport();
    const calls: ParsedClassifyRequest[] = [];
    fakeClassifier(transport, calls, { fail: true });
    const autoselect = service(transport);
    const plan = await autoselect.plan(request('hello'), 'engineering');
    expect(plan.classification).toMatchObject({ private: true, degraded: 'classifier_unavailable', selected: PRIVATE });
    await autoselect.plan(request('hello'), 'engineering');
    expect(calls).toHaveLength(2);
  });

  it('answers model_not_found for an unknown policy', async () => {
    const transport = new InProcessBusTransport();
    await expect(service(transport).plan(request('x'), 'nope')).rejects.toMatchObject({ code: 'model_not_found' });
  });
});

describe('decision cache', () => {
  const decision: StoredDecision = { classified: true, private: false, signals: [], selected: GPU, method: 'local', confidence: 0.5, messageCount: 1, reasons: [] };

  it('computes identical concurrent decisions once', async () => {
    const cache = new DecisionCache(new MemoryDecisionStore(), 60);
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { decision, cacheable: true };
    };
    const results = await Promise.all([cache.once('k', 1000, compute), cache.once('k', 1000, compute), cache.once('k', 1000, compute)]);
    expect(computed).toBe(1);
    expect(results.map((r) => r.coalesced).sort()).toEqual([false, true, true]);
    expect(await cache.lookup(['k'])).toEqual({ kind: 'hit', decision });
  });

  it('shares a failure with the callers that joined, and keeps no state after it', async () => {
    const cache = new DecisionCache(new MemoryDecisionStore(), 60);
    const failing = async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('boom');
    };
    const results = await Promise.allSettled([cache.once('k', 1000, failing), cache.once('k', 1000, failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(cache.once('k', 1000, async () => ({ decision, cacheable: true }))).resolves.toMatchObject({ coalesced: false });
  });

  it('finds the decision of an earlier turn only when it covered exactly that prefix', async () => {
    const store = new MemoryDecisionStore();
    const cache = new DecisionCache(store, 60);
    await store.set('k0', { ...decision, messageCount: 1 }, 60);
    expect(await cache.lookup(['k0', 'k1', 'k2'])).toEqual({ kind: 'prefix', decision: { ...decision, messageCount: 1 } });
    await store.set('k1', { ...decision, messageCount: 5 }, 60);
    expect((await cache.lookup(['kx', 'k1', 'k2'])).kind).toBe('miss');
  });
});
