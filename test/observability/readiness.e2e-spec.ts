import { AisbfStack } from '../support/stack/aisbf-stack';
import { TcpProxy } from '../support/stack/tcp-proxy';
import { waitFor } from '../support/http/aisbf-http';

interface Readiness {
  status: number;
  body: { status: string; checks: Record<string, string> };
}

async function readiness(url: string): Promise<Readiness> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Every check as given, and the process ready (200) whatever their state. */
async function expectReadyWith(url: string, checks: Record<string, string>): Promise<void> {
  expect(await readiness(url)).toEqual({ status: 200, body: { status: 'ready', checks } });
}

/**
 * The Redis-backed parts of edge-api (request limits) and route-resolver (cooldowns, autoselect
 * decisions) carry on with local state while Redis is away. /readyz names each of them, so an
 * operator sees the degradation, and stays 200, so an outage does not empty every Service at once.
 */
describe('/readyz with the Redis-backed components (distributed mode, Redis behind a proxy)', () => {
  const proxy = new TcpProxy('127.0.0.1', 6379);
  let stack: AisbfStack;
  const edge = () => stack.processes.find((p) => p.service === 'edge-api')!.opsUrl;
  const resolver = () => stack.processes.find((p) => p.service === 'route-resolver')!.opsUrl;

  beforeAll(async () => {
    await proxy.start();
    stack = await AisbfStack.start({ mode: 'distributed', redis: `redis://127.0.0.1:${proxy.port}`, config: { users: {} } });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await proxy.stop();
  });

  it('reports the rate limiter on the edge, route state and autoselect state on the resolver, beside the bus', async () => {
    await waitFor(async () => (await readiness(edge())).body.checks.rate_limiter === 'ok', 10_000);
    await expectReadyWith(edge(), { bus: 'ok', rate_limiter: 'ok' });
    await expectReadyWith(resolver(), { autoselect_state: 'ok', bus: 'ok', route_state: 'ok' });
    const metrics = await (await fetch(`${resolver()}/metrics`)).text();
    expect(metrics).toContain('aisbf_dependency_up{dependency="route_state",aisbf_service="route-resolver"} 1');
  });

  it('shows them failing while Redis is away, without making any process unready, and ok again after', async () => {
    await proxy.cut();
    try {
      await waitFor(async () => (await readiness(edge())).body.checks.rate_limiter === 'failing', 15_000);
      await waitFor(async () => {
        const { checks } = (await readiness(resolver())).body;
        return checks.route_state === 'failing' && checks.autoselect_state === 'failing';
      }, 15_000);
      await expectReadyWith(edge(), { bus: 'ok', rate_limiter: 'failing' });
      await expectReadyWith(resolver(), { autoselect_state: 'failing', bus: 'ok', route_state: 'failing' });
      const metrics = await (await fetch(`${edge()}/metrics`)).text();
      expect(metrics).toContain('aisbf_dependency_up{dependency="rate_limiter",aisbf_service="edge-api"} 0');
    } finally {
      await proxy.restore();
    }
    await waitFor(async () => (await readiness(edge())).body.checks.rate_limiter === 'ok', 15_000);
    await waitFor(async () => {
      const { checks } = (await readiness(resolver())).body;
      return checks.route_state === 'ok' && checks.autoselect_state === 'ok';
    }, 15_000);
  });
});
