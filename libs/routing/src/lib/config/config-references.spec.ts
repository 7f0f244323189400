import { autoselectDocumentSchema } from './autoselect.schema';
import { providersDocumentSchema } from './provider.schema';
import { rotationsDocumentSchema } from './rotation.schema';
import { checkConfigReferences, locateProblem, UserConfigDocuments } from './config-references';
import { formatJsonPath } from './config-problems';

// The product description's documents, verbatim.
const SEED_ROTATIONS =
  '{"rotations":{"coding-production":{"model_name":"coding-production","providers":[{"provider_id":"coderai-local","model":"qwen2.5-coder:32b","weight":6,"error_cooldown":60},{"provider_id":"runpod-gpu-a","model":"deepseek-coder-v2","weight":3,"error_cooldown":120},{"provider_id":"openai-prod","model":"gpt-4.1-mini","weight":1,"error_cooldown":300}],"privacy":true,"capabilities":["chat","coding","tool_use"]}}}';
const SEED_AUTOSELECT =
  '{"engineering":{"model_name":"engineering","selection_model":"general","fallback":"user-rotation/coding-production","classify_privacy":true,"classify_semantic":true,"available_models":[{"model_id":"user-rotation/coding-production","description":"Private code, logs, secrets, customer data.","privacy":true},{"model_id":"user-provider/runpod-gpu-a/deepseek-coder-v2","description":"Long refactors and GPU-heavy coding when data is not secret."},{"model_id":"user-provider/openai-prod/gpt-4.1-mini","description":"Fast hosted fallback for non-private tasks."}]}}';

function seedDocs(): UserConfigDocuments {
  const providers = providersDocumentSchema.parse({
    providers: {
      'coderai-local': { type: 'openai', endpoint: 'http://coderai.lan:11434/v1', models: [{ name: 'qwen2.5-coder:32b' }] },
      'runpod-gpu-a': { type: 'openai', endpoint: 'https://gpu.example/v1', models: [{ name: 'deepseek-coder-v2' }] },
      'openai-prod': { type: 'openai', endpoint: 'https://api.openai.com/v1', models: [{ name: 'gpt-4.1-mini' }] },
    },
  }).providers;
  return {
    providers,
    rotations: rotationsDocumentSchema.parse(JSON.parse(SEED_ROTATIONS)).rotations,
    autoselect: autoselectDocumentSchema.parse(JSON.parse(SEED_AUTOSELECT)),
  };
}

const paths = (docs: UserConfigDocuments) =>
  checkConfigReferences(docs).map((p) => `${locateProblem(p, { document: 'rotations' }).path}: ${p.message}`);

describe('configuration references', () => {
  it("accepts the product description's provider, rotation and autoselect documents", () => {
    expect(checkConfigReferences(seedDocs())).toEqual([]);
  });

  it('names unknown providers and models with their JSON path', () => {
    const docs = seedDocs();
    delete (docs.providers as Record<string, unknown>)['runpod-gpu-a'];
    docs.providers['openai-prod'].models = [{ name: 'gpt-4o' }];
    expect(paths(docs)).toEqual([
      "$.rotations.coding-production.providers[1].provider_id: unknown provider 'runpod-gpu-a'",
      "$.rotations.coding-production.providers[2].model: provider 'openai-prod' has no model 'gpt-4.1-mini'",
      "$.autoselect.engineering.available_models[1].model_id: unknown provider 'runpod-gpu-a'",
      "$.autoselect.engineering.available_models[2].model_id: provider 'openai-prod' has no model 'gpt-4.1-mini'",
    ]);
  });

  it('names unknown rotations, malformed route ids and duplicate members', () => {
    const docs = seedDocs();
    docs.autoselect.engineering.fallback = 'user-rotation/nope';
    docs.autoselect.engineering.available_models.push({ model_id: 'gpt-4', description: '', privacy: false });
    docs.autoselect.engineering.available_models.push({ model_id: 'user-rotation/coding-production', description: '', privacy: false });
    docs.rotations['coding-production'].providers.push({ provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 1 });
    expect(paths(docs)).toEqual([
      '$.rotations.coding-production.providers[3].model: duplicate member user-provider/openai-prod/gpt-4.1-mini',
      "$.autoselect.engineering.fallback: unknown rotation 'nope'",
      expect.stringMatching(/^\$\.autoselect\.engineering\.available_models\[3\]\.model_id: 'gpt-4' is not a route id/),
      '$.autoselect.engineering.available_models[4].model_id: duplicate model_id user-rotation/coding-production',
    ]);
  });

  it('refuses loops between rotations and between autoselects, naming the cycle once', () => {
    const docs = seedDocs();
    docs.rotations.a = { providers: [{ model_id: 'user-rotation/b', weight: 1 }], strategy: 'weighted', privacy: false };
    docs.rotations.b = { providers: [{ model_id: 'user-rotation/a', weight: 1 }], strategy: 'weighted', privacy: false };
    docs.autoselect.x = { ...docs.autoselect.engineering, model_name: undefined, fallback: 'user-autoselect/x' };
    expect(paths(docs)).toEqual([
      '$.autoselect.x.fallback: loop: user-autoselect/x -> user-autoselect/x',
      '$.rotations.b.providers[0].model_id: loop: user-rotation/a -> user-rotation/b -> user-rotation/a',
    ]);
  });

  it('refuses autoselects inside rotations and a model_name that differs from the id', () => {
    const docs = seedDocs();
    docs.rotations.r = { model_name: 'other', providers: [{ model_id: 'user-autoselect/engineering', weight: 1 }], strategy: 'weighted', privacy: false };
    expect(paths(docs)).toEqual([
      "$.rotations.r.model_name: model_name must be the id it is stored under ('r') or be left out",
      "$.rotations.r.providers[0].model_id: a rotation's members are provider models or rotations, not 'user-autoselect/engineering'",
    ]);
  });

  it('bounds nesting depth', () => {
    const docs = seedDocs();
    for (let i = 0; i < 9; i++) {
      docs.rotations[`r${i}`] = {
        providers: [i === 8 ? { provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 1 } : { model_id: `user-rotation/r${i + 1}`, weight: 1 }],
        strategy: 'weighted',
        privacy: false,
      };
    }
    expect(paths(docs)).toEqual([expect.stringMatching(/nest more than 8 levels/)]);
    delete docs.rotations.r0;
    expect(paths(docs)).toEqual([]);
  });

  it('locates a problem inside the submitted body, or in the whole configuration', () => {
    const problem = { document: 'autoselect' as const, item: 'eng', segments: ['fallback'], message: 'm' };
    expect(locateProblem(problem, { document: 'autoselect' }).path).toBe('$.eng.fallback');
    expect(locateProblem(problem, { document: 'autoselect', item: 'eng' }).path).toBe('$.fallback');
    expect(locateProblem(problem, { document: 'providers' }).path).toBe('$.autoselect.eng.fallback');
    expect(formatJsonPath(['rotations', 'a.b', 0])).toBe('$.rotations["a.b"][0]');
  });
});
