import { DataSource } from 'typeorm';
import { MemorySharedCache } from '@aisbf/cache';
import { SecretBox } from '@aisbf/secrets';
import { AccountAdmin } from './account-admin';
import { ConfigInvalidator } from './config-invalidator';
import { ENTITIES, MIGRATIONS } from './database/data-source';
import { DatabaseHandle } from './database/database-handle';
import { DbConfigStore } from './db-config-store';
import { RouteConfigWriter } from './route-config-writer';

class SwitchableCache extends MemorySharedCache {
  up = true;
  override isReady(): boolean {
    return this.up;
  }
}

describe('configuration writer and cached store (SQLite in memory)', () => {
  const box = new SecretBox('x'.repeat(40));
  const shared = new SwitchableCache();
  let dataSource: DataSource;
  let store: DbConfigStore;
  let writer: RouteConfigWriter;
  let accounts: AccountAdmin;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'sqljs', entities: ENTITIES, migrations: MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const db = new DatabaseHandle(dataSource);
    store = new DbConfigStore(dataSource, shared, { trustUserEndpoints: false, flushIntervalMs: 60_000 });
    const invalidator = new ConfigInvalidator(store, shared);
    writer = new RouteConfigWriter(db, box, invalidator);
    accounts = new AccountAdmin(db, invalidator);
    await accounts.createUser({ username: 'alice', role: 'user' });
  });

  afterAll(async () => {
    await store.close();
    await dataSource.destroy();
  });

  const provider = (extra: Record<string, unknown> = {}) => ({ type: 'openai', endpoint: 'https://api.example/v1', models: [{ name: 'm' }], ...extra });

  it('authenticates a token from the cache, and forgets it the moment it is revoked', async () => {
    const issued = await accounts.issueToken('alice', { name: 't' });
    expect(await store.authenticate(issued.token)).toEqual({ username: 'alice', role: 'user', limits: {} });
    await accounts.revokeToken('alice', issued.id);
    expect(await store.authenticate(issued.token)).toBeNull();
  });

  it('seals keys, shows only a hint, and keeps the key when the hint comes back', async () => {
    await writer.putItem('alice', 'providers', 'p', provider({ api_key: 'sk-secret-abcdef123456' }), {});
    const shown = await writer.getItem('alice', 'providers', 'p');
    expect(shown.body.api_key).toBe('sk-…3456');
    const sealed = (await store.loadRouteConfig('alice'))!.providers.get('p')!.sealedKey!;
    expect(box.open(sealed)).toBe('sk-secret-abcdef123456');
    await writer.putItem('alice', 'providers', 'p', { ...shown.body, description: 'd' }, {});
    const after = (await store.loadRouteConfig('alice'))!.providers.get('p')!;
    expect(after.description).toBe('d');
    expect(box.open(after.sealedKey!)).toBe('sk-secret-abcdef123456');
  });

  it('refuses a stale version and a create over an existing item', async () => {
    const { version } = await writer.getItem('alice', 'providers', 'p');
    await writer.putItem('alice', 'providers', 'p', provider(), { ifMatch: version });
    await expect(writer.putItem('alice', 'providers', 'p', provider(), { ifMatch: version })).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(writer.putItem('alice', 'providers', 'p', provider(), { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('stores nothing when the whole configuration would not hold together', async () => {
    await writer.putDocument('alice', 'rotations', { rotations: { r: { providers: [{ provider_id: 'p', model: 'm' }] } } }, {});
    const before = await writer.getDocument('alice', 'providers');
    await expect(writer.putDocument('alice', 'providers', { providers: {} }, {})).rejects.toMatchObject({
      status: 422,
      problems: [{ path: '$.rotations.r.providers[0].provider_id', message: "unknown provider 'p'" }],
    });
    expect(await writer.getDocument('alice', 'providers')).toEqual(before);
  });

  it('refuses writes with 503 while the shared cache is away, and serves reads from memory', async () => {
    shared.up = false;
    try {
      await expect(writer.putItem('alice', 'providers', 'q', provider(), {})).rejects.toMatchObject({ status: 503 });
      expect((await store.loadRouteConfig('alice'))!.providers.has('q')).toBe(false);
    } finally {
      shared.up = true;
    }
  });
});
