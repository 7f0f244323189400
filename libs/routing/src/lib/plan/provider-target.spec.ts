import { compileProvider, UserRouteConfig } from '../config/user-route-config';
import { findProviderTarget } from './provider-target';
import { routeCatalog } from './route-catalog';

function config(): UserRouteConfig {
  return {
    username: 'alice',
    trustedEndpoints: false,
    providers: new Map([
      [
        'openrouter',
        compileProvider(
          'openrouter',
          { type: 'openai', endpoint: 'https://openrouter.ai/api/v1/', models: [{ name: 'meta-llama/llama-3.1-70b', capabilities: ['chat'] }] },
          null,
        ),
      ],
    ]),
    rotations: new Map(),
    autoselects: new Map(),
  };
}

describe('provider targets', () => {
  it('finds a model whose name contains slashes and trims the endpoint', () => {
    const result = findProviderTarget(config(), 'openrouter', 'meta-llama/llama-3.1-70b');
    expect(result.ok && result.provider.endpoint).toBe('https://openrouter.ai/api/v1');
  });

  it('explains unknown providers and models', () => {
    expect(findProviderTarget(config(), 'nope', 'x')).toMatchObject({ ok: false, reason: 'unknown_provider' });
    expect(findProviderTarget(config(), 'openrouter', 'gpt-4')).toMatchObject({ ok: false, reason: 'unknown_model' });
  });

  it('lists exactly the accepted ids', () => {
    expect(routeCatalog(config()).map((e) => e.id)).toEqual(['user-provider/openrouter/meta-llama/llama-3.1-70b']);
  });
});
