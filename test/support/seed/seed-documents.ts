/**
 * The product description's rotation and autoselect documents, verbatim
 * (shared/reference/aisbf-routing-concepts.txt, "Build the route step by step").
 */
export const SEED_ROTATIONS_JSON =
  '{"rotations":{"coding-production":{"model_name":"coding-production","providers":[{"provider_id":"coderai-local","model":"qwen2.5-coder:32b","weight":6,"error_cooldown":60},{"provider_id":"runpod-gpu-a","model":"deepseek-coder-v2","weight":3,"error_cooldown":120},{"provider_id":"openai-prod","model":"gpt-4.1-mini","weight":1,"error_cooldown":300}],"privacy":true,"capabilities":["chat","coding","tool_use"]}}}';

export const SEED_AUTOSELECT_JSON =
  '{"engineering":{"model_name":"engineering","selection_model":"general","fallback":"user-rotation/coding-production","classify_privacy":true,"classify_semantic":true,"available_models":[{"model_id":"user-rotation/coding-production","description":"Private code, logs, secrets, customer data.","privacy":true},{"model_id":"user-provider/runpod-gpu-a/deepseek-coder-v2","description":"Long refactors and GPU-heavy coding when data is not secret."},{"model_id":"user-provider/openai-prod/gpt-4.1-mini","description":"Fast hosted fallback for non-private tasks."}]}}';

/** The seed's three provider ids ("Dashboard -> User Providers"), in providers.json shape, at the given endpoints. */
export function seedProvidersDocument(endpoints: { coderai: string; runpod: string; openai: string }, openaiKey: string) {
  return {
    providers: {
      'coderai-local': {
        type: 'openai',
        endpoint: endpoints.coderai,
        description: 'CoderAI broker on the LAN',
        private: true,
        models: [{ name: 'qwen2.5-coder:32b', capabilities: ['chat', 'coding', 'tool_use'] }],
      },
      'runpod-gpu-a': {
        type: 'openai',
        endpoint: endpoints.runpod,
        api_key: 'rp-secret-key-0123456789',
        models: [{ name: 'deepseek-coder-v2', description: 'GPU coder' }],
      },
      'openai-prod': {
        type: 'openai',
        endpoint: endpoints.openai,
        api_key: openaiKey,
        models: [{ name: 'gpt-4.1-mini', description: 'Fast hosted model', capabilities: ['chat', 'tool_use'] }],
      },
    },
  };
}
