import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AisbfMetrics } from '../metrics/aisbf-metrics';
import type { ReadinessRegistry } from '../health/readiness-registry';

export interface OpsHttpServerOptions {
  host: string;
  /** 0 picks a free port (see `port` on the result). */
  port: number;
  metrics: AisbfMetrics;
  readiness: ReadinessRegistry;
}

export interface OpsHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

async function handle(options: OpsHttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
    return;
  }
  switch (path) {
    case '/metrics':
      send(res, 200, options.metrics.contentType, await options.metrics.render());
      return;
    case '/healthz':
      send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
      return;
    case '/readyz': {
      const report = await options.readiness.evaluate();
      send(res, report.ready ? 200 : 503, 'application/json', JSON.stringify({ status: report.ready ? 'ready' : 'not ready', checks: report.checks }));
      return;
    }
    default:
      send(res, 404, 'application/json', JSON.stringify({ error: 'not found' }));
  }
}

/**
 * The small HTTP server of a worker (route-resolver, classifier, connector): Prometheus metrics
 * and Kubernetes probes, nothing else.
 */
export async function startOpsHttpServer(options: OpsHttpServerOptions): Promise<OpsHttpServer> {
  const server: Server = createServer((req, res) => {
    handle(options, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: 'internal error' }));
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
