import { collectDefaultMetrics, Registry } from 'prom-client';
import { processReadinessRegistry, ReadinessRegistry } from '../health/readiness-registry';
import { AisbfMetricSet, defineAisbfMetrics } from './metric-definitions';

export const AISBF_VERSION = '0.1.0';

/**
 * The Prometheus registry of one process: AISBF's metrics, Node's default process metrics
 * (process_*, nodejs_*, unprefixed so that stock dashboards keep working), and the
 * `aisbf_service` label on every series so that dashboards tell services apart however they
 * are scraped (compose job names, Kubernetes ServiceMonitors).
 */
export class AisbfMetrics {
  readonly registry = new Registry();
  readonly m: AisbfMetricSet;
  private readonly refreshers = new Set<() => void>();

  constructor(
    service: string,
    private readonly readiness: ReadinessRegistry,
    options: { defaultMetrics?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ aisbf_service: service });
    this.m = defineAisbfMetrics(this.registry);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.m.buildInfo.set({ version: AISBF_VERSION, nodejs_version: process.version }, 1);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs `refresh` before each exposition, for gauges computed from state (cooldowns open); returns its removal. */
  onRender(refresh: () => void): () => void {
    this.refreshers.add(refresh);
    return () => this.refreshers.delete(refresh);
  }

  /** The text exposition, readiness checks evaluated now so aisbf_dependency_up is current. */
  async render(): Promise<string> {
    for (const refresh of this.refreshers) refresh();
    const report = await this.readiness.evaluate();
    this.m.dependencyUp.reset();
    for (const [name, state] of Object.entries(report.checks)) this.m.dependencyUp.set({ dependency: name }, state === 'ok' ? 1 : 0);
    return this.registry.metrics();
  }
}

let processMetrics: AisbfMetrics | undefined;
let processService = 'aisbf';

/** Names this process's service; called by startTelemetry before any metric is recorded. */
export function setMetricsServiceName(service: string): void {
  processService = service;
  processMetrics?.registry.setDefaultLabels({ aisbf_service: service });
}

/** The metrics of this process; in the embedded mode all four services record into it. */
export function processAisbfMetrics(): AisbfMetrics {
  processMetrics ??= new AisbfMetrics(processService, processReadinessRegistry());
  return processMetrics;
}
