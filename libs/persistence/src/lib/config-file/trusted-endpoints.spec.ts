import { SecretBox } from '@aisbf/secrets';
import { FileConfigStore, parseConfigFile } from './file-config-store';

const provider = { type: 'ollama', endpoint: 'http://coderai.lan:11434', models: [{ name: 'qwen2.5-coder:32b' }] };

describe('who may point providers at private networks', () => {
  const store = new FileConfigStore(
    parseConfigFile({
      users: {
        ops: { role: 'admin', providers: { local: provider } },
        carol: { trusted_endpoints: true, providers: { local: provider } },
        alice: { providers: { local: provider } },
      },
    }),
    new SecretBox(SecretBox.generateSecret()),
    {},
  );

  it('trusts admins and users the operator marked trusted_endpoints, not ordinary users', async () => {
    expect((await store.loadRouteConfig('ops'))!.trustedEndpoints).toBe(true);
    expect((await store.loadRouteConfig('carol'))!.trustedEndpoints).toBe(true);
    expect((await store.loadRouteConfig('alice'))!.trustedEndpoints).toBe(false);
  });
});
