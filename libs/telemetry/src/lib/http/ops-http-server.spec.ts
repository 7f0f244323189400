import { AisbfMetrics } from '../metrics/aisbf-metrics';
import { ReadinessRegistry } from '../health/readiness-registry';
import { OpsHttpServer, startOpsHttpServer } from './ops-http-server';

describe('worker ops HTTP server', () => {
  const readiness = new ReadinessRegistry();
  const metrics = new AisbfMetrics('classifier', readiness);
  let server: OpsHttpServer;
  let databaseUp = true;
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  beforeAll(async () => {
    readiness.register('bus', () => true);
    readiness.register('database', () => databaseUp);
    server = await startOpsHttpServer({ host: '127.0.0.1', port: 0, metrics, readiness });
  });
  afterAll(() => server.close());

  it('serves Prometheus text with AISBF, dependency and process metrics, labelled with the service', async () => {
    metrics.m.classifierDecisions.inc({ kind: 'privacy', decision: 'private', method: 'detectors' });
    const response = await fetch(url('/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('aisbf_classifier_decisions_total{kind="privacy",decision="private",method="detectors",aisbf_service="classifier"} 1');
    expect(text).toContain('aisbf_dependency_up{dependency="database",aisbf_service="classifier"} 1');
    expect(text).toMatch(/^process_cpu_seconds_total\{aisbf_service="classifier"\} /m);
  });

  it('answers /healthz always and /readyz with 503 naming the dependency that is down', async () => {
    databaseUp = false;
    expect((await fetch(url('/healthz'))).status).toBe(200);
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', checks: { bus: 'ok', database: 'failing' } });
    expect(await (await fetch(url('/metrics'))).text()).toContain('aisbf_dependency_up{dependency="database",aisbf_service="classifier"} 0');
    databaseUp = true;
    expect((await fetch(url('/readyz'))).status).toBe(200);
  });

  it('answers 404 elsewhere and 405 to writes', async () => {
    expect((await fetch(url('/'))).status).toBe(404);
    expect((await fetch(url('/metrics'), { method: 'POST' })).status).toBe(405);
  });
});
