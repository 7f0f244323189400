import { ReadinessRegistry } from './readiness-registry';

describe('readiness registry', () => {
  it('is ready when every registered check passes, and names each', async () => {
    const registry = new ReadinessRegistry();
    registry.register('bus', () => true);
    registry.register('database', async () => true);
    await expect(registry.evaluate()).resolves.toEqual({ ready: true, checks: { bus: 'ok', database: 'ok' } });
  });

  it('reports a failing, a throwing and a hanging dependency without hanging itself', async () => {
    const registry = new ReadinessRegistry();
    registry.register('bus', () => true);
    registry.register('database', () => false);
    registry.register('redis', () => Promise.reject(new Error('ECONNREFUSED')));
    registry.register('slow', () => new Promise<boolean>(() => undefined));
    await expect(registry.evaluate(50)).resolves.toEqual({
      ready: false,
      checks: { bus: 'ok', database: 'failing', redis: 'failing', slow: 'timeout' },
    });
  });

  it('reports a dependency the service degrades without, but stays ready', async () => {
    const registry = new ReadinessRegistry();
    registry.register('bus', () => true);
    registry.register('database', () => false, { critical: false });
    await expect(registry.evaluate()).resolves.toEqual({ ready: true, checks: { bus: 'ok', database: 'failing' } });
  });

  it('drops a check when its owner unregisters it', async () => {
    const registry = new ReadinessRegistry();
    const unregister = registry.register('database', () => false);
    unregister();
    expect(registry.names()).toEqual([]);
    await expect(registry.evaluate()).resolves.toEqual({ ready: true, checks: {} });
  });
});
