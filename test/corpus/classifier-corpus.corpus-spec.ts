import type { SelectionCandidate } from '@aisbf/contracts';
import { AutoselectEntry, decideAutoselect } from '@aisbf/routing';
import { scanConversation } from '../../apps/classifier/src/privacy/privacy-scanner';
import { selectionStep } from '../../apps/classifier/src/selection/model-selection';
import { CorpusEntry, ExpectedRoute } from './corpus-entry';
import { PRIVATE_PROMPTS } from './private-prompts';
import { BENIGN_PROMPTS } from './benign-prompts';
import { MIXED_PROMPTS } from './mixed-prompts';

/** The seed's `engineering` policy, with `selection_model` set to the local scorer. */
const ROUTES: Record<ExpectedRoute, string> = {
  private: 'user-rotation/coding-production',
  gpu: 'user-provider/runpod-gpu-a/deepseek-coder-v2',
  hosted: 'user-provider/openai-prod/gpt-4.1-mini',
};
const ENTRIES: AutoselectEntry[] = [
  { modelId: ROUTES.private, description: 'Private code, logs, secrets, customer data.', private: true, privacySource: 'entry', capabilities: [], known: true },
  { modelId: ROUTES.gpu, description: 'Long refactors and GPU-heavy coding when data is not secret.', private: false, privacySource: null, capabilities: [], known: true },
  { modelId: ROUTES.hosted, description: 'Fast hosted fallback for non-private tasks.', private: false, privacySource: null, capabilities: [], known: true },
];
const CANDIDATES: SelectionCandidate[] = ENTRIES.map((e) => ({ modelId: e.modelId, description: e.description, private: e.private, capabilities: [] }));
const FALLBACK = ENTRIES[0];

interface Verdict {
  entry: CorpusEntry;
  private: boolean;
  detectors: string[];
  route: ExpectedRoute | 'refused';
}

function judge(entry: CorpusEntry): Verdict {
  const signals = scanConversation(entry.messages);
  const isPrivate = signals.length > 0;
  const step = selectionStep({ selector: { mode: 'local' }, candidates: CANDIDATES, fallback: FALLBACK.modelId }, entry.messages, isPrivate);
  if (!('done' in step)) throw new Error('the local selector never needs the network');
  const outcome = decideAutoselect({ policy: 'engineering', entries: ENTRIES, fallback: FALLBACK, isPrivate, needs: { tools: false, images: false }, proposal: step.done });
  const route = outcome.ok ? ((Object.keys(ROUTES) as ExpectedRoute[]).find((k) => ROUTES[k] === outcome.selected) ?? 'refused') : 'refused';
  return { entry, private: isPrivate, detectors: [...new Set(signals.map((s) => s.detector))], route };
}

const percent = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;

describe('labelled classification corpus', () => {
  const corpus = [...PRIVATE_PROMPTS, ...BENIGN_PROMPTS, ...MIXED_PROMPTS];
  const verdicts = corpus.map(judge);
  const privates = verdicts.filter((v) => v.entry.private);
  const benign = verdicts.filter((v) => !v.entry.private);
  const missed = privates.filter((v) => !v.private);
  const held = benign.filter((v) => v.private);
  const routed = verdicts.filter((v) => v.entry.route !== null);
  const wrongRoute = routed.filter((v) => v.route !== v.entry.route);
  const routedBenign = routed.filter((v) => !v.entry.private);
  const wrongBenignRoute = routedBenign.filter((v) => v.route !== v.entry.route);

  afterAll(() => {
    const lines = [
      `classifier corpus: ${corpus.length} prompts (${privates.length} private, ${benign.length} benign)`,
      `  private recall:              ${percent(privates.length - missed.length, privates.length)}${missed.length ? ` (missed: ${missed.map((v) => v.entry.id).join(', ')})` : ''}`,
      `  benign held private:         ${percent(held.length, benign.length)}${held.length ? ` (${held.map((v) => `${v.entry.id}[${v.detectors.join('+')}]`).join(', ')})` : ''}`,
      `  route accuracy (local):      ${percent(routed.length - wrongRoute.length, routed.length)} of ${routed.length} labelled`,
      `  non-private route accuracy:  ${percent(routedBenign.length - wrongBenignRoute.length, routedBenign.length)} of ${routedBenign.length}${wrongBenignRoute.length ? ` (wrong: ${wrongBenignRoute.map((v) => `${v.entry.id}->${v.route}`).join(', ')})` : ''}`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n\n`);
  });

  it('has at least 150 prompts across every category', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(new Set(corpus.map((e) => e.id)).size).toBe(corpus.length);
    expect(new Set(corpus.map((e) => e.category)).size).toBeGreaterThanOrEqual(13);
  });

  it('holds at least 99 % of private prompts private', () => {
    expect((privates.length - missed.length) / privates.length).toBeGreaterThanOrEqual(0.99);
  });

  it('holds at most 5 % of benign prompts private', () => {
    expect(held.length / benign.length).toBeLessThanOrEqual(0.05);
  });

  it('routes private prompts only to the private route', () => {
    for (const verdict of privates.filter((v) => v.private)) expect(verdict.route).toBe('private');
  });

  it('lets the local scorer pick the labelled route for at least 85 % of non-private prompts', () => {
    expect((routedBenign.length - wrongBenignRoute.length) / routedBenign.length).toBeGreaterThanOrEqual(0.85);
  });
});
