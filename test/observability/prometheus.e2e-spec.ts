import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AisbfStack, SERVICES } from '../support/stack/aisbf-stack';
import { freePort } from '../support/stack/free-port';
import { MockOpenAiServer } from '../support/mock-openai/mock-openai-server';
import { ensurePrometheusInstalled, PrometheusServer, promtool } from '../support/prometheus/prometheus-server';

const ROOT = path.resolve(__dirname, '../..');
const RULES_DIR = path.join(ROOT, 'deploy', 'prometheus', 'rules');
const RULE_FILES = readdirSync(RULES_DIR)
  .filter((file) => file.endsWith('.rules.yml'))
  .map((file) => path.join(RULES_DIR, file));
const RULE_TESTS = path.join(ROOT, 'deploy', 'prometheus', 'tests');
const DASHBOARDS_DIR = path.join(ROOT, 'deploy', 'grafana', 'dashboards');
const TOKEN = 'sk-test-prometheus-0123456789abcdef';

interface Panel {
  title: string;
  targets: Array<{ expr: string }>;
}
interface Dashboard {
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
}

const dashboards: Dashboard[] = readdirSync(DASHBOARDS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard);

/** What Grafana does before sending a query: its variables, with every variable set to All. */
function grafanaExpr(expr: string): string {
  return expr.replace(/\$__rate_interval/g, '1m').replace(/\$\{?(route_kind|provider|service)\}?/g, '.*');
}

/** Metric names a query reads (AISBF's and the default process metrics). */
function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:aisbf|process|nodejs)_[a-z0-9_]+\b/g) ?? [])].filter((name) => !name.startsWith('aisbf_service'));
}

function recordingRules(): string[] {
  return RULE_FILES.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\s*- record: (\S+)/gm)].map((m) => m[1]));
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Prometheus rules and Grafana dashboards', () => {
  beforeAll(() => ensurePrometheusInstalled(), 180_000);

  it('pass promtool: rule syntax, rule unit tests, the shipped scrape configuration', () => {
    const check = promtool('check', 'rules', ...RULE_FILES);
    expect(check.output).not.toContain('FAILED');
    expect(check.status).toBe(0);
    const tests = promtool('test', 'rules', ...readdirSync(RULE_TESTS).map((file) => path.join(RULE_TESTS, file)));
    expect(tests.output).toContain('SUCCESS');
    expect(tests.status).toBe(0);
    const config = promtool('check', 'config', '--syntax-only', path.join(ROOT, 'deploy', 'prometheus', 'prometheus.yml'));
    expect(config.status).toBe(0);
  });

  it('test every alert firing and not firing, and every recording rule\'s value', () => {
    interface RuleTest {
      alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }>;
      promql_expr_test?: Array<{ expr: string }>;
    }
    const tests = readdirSync(RULE_TESTS).flatMap((file) => (parse(readFileSync(path.join(RULE_TESTS, file), 'utf8')) as { tests: RuleTest[] }).tests);
    const alertChecks = tests.flatMap((test) => test.alert_rule_test ?? []);
    const alerts = RULE_FILES.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\s*- alert: (\S+)/gm)].map((m) => m[1]));
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      const checks = alertChecks.filter((check) => check.alertname === alert);
      expect([alert, 'fires', checks.some((check) => check.exp_alerts.length > 0)]).toEqual([alert, 'fires', true]);
      expect([alert, 'stays quiet', checks.some((check) => check.exp_alerts.length === 0)]).toEqual([alert, 'stays quiet', true]);
    }
    const exprs = tests.flatMap((test) => test.promql_expr_test ?? []).map((check) => check.expr.trim());
    for (const record of recordingRules()) expect([record, exprs.includes(record)]).toEqual([record, true]);
  });

  it('ship dashboards that match their generator, each with a datasource variable', () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'grafana-dashboards.mjs'), '--check'], { stdio: 'pipe' });
    expect(dashboards.map((d) => d.title).sort()).toEqual([
      'AISBF / Overview',
      'AISBF / Providers',
      'AISBF / Routing and failover',
      'AISBF / Service runtime',
    ]);
    for (const dashboard of dashboards) expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource' });
  });
});

describe('a real Prometheus scraping the four services under load', () => {
  const healthy = new MockOpenAiServer('openai-prod');
  const failing = new MockOpenAiServer('runpod-gpu-a');
  const prometheus = new PrometheusServer();
  let stack: AisbfStack;
  const sent = { total: 0 };

  beforeAll(async () => {
    ensurePrometheusInstalled();
    await Promise.all([healthy.start(), failing.start()]);
    healthy.setDefault({ chunks: 4, chunkDelayMs: 5 });
    failing.setDefault({ status: 503 });
    const deadPort = await freePort();
    stack = await AisbfStack.start({
      mode: 'distributed',
      config: {
        users: {
          alice: {
            tokens: [TOKEN],
            providers: {
              'openai-prod': { type: 'openai', endpoint: healthy.url, api_key: 'sk-upstream-1', models: [{ name: 'gpt-4.1-mini' }] },
              'runpod-gpu-a': { type: 'openai', endpoint: failing.url, models: [{ name: 'deepseek-coder-v2' }] },
              dead: { type: 'openai', endpoint: `http://127.0.0.1:${deadPort}/v1`, models: [{ name: 'm' }], timeouts: { connect_ms: 500 } },
              // Cooldowns are per provider: the rotation's dead member is not cooled by the direct calls above.
              'gpu-offline': { type: 'openai', endpoint: `http://127.0.0.1:${deadPort}/v1`, models: [{ name: 'big' }], timeouts: { connect_ms: 500 } },
            },
            rotations: {
              // The dead provider is the weighted first choice: failover, then a cooldown.
              'dead-first': { providers: [{ provider_id: 'gpu-offline', model: 'big', weight: 99 }, { provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 1 }] },
              // Nothing left once its only candidate cools down.
              'dead-only': { providers: [{ provider_id: 'dead', model: 'm', weight: 1, error_cooldown: 300 }] },
            },
            autoselect: {
              engineering: {
                selection_model: 'local',
                fallback: 'user-provider/openai-prod/gpt-4.1-mini',
                classify_privacy: true,
                classify_semantic: true,
                available_models: [
                  { model_id: 'user-rotation/dead-first', description: 'Private code, logs, secrets, customer data.', privacy: true },
                  { model_id: 'user-provider/openai-prod/gpt-4.1-mini', description: 'Fast hosted fallback for non-private tasks.' },
                ],
              },
            },
          },
        },
      },
    });
    const jobs = SERVICES.map((service) => ({
      job: `aisbf-${service}`,
      targets: stack.processes.filter((p) => p.service === service).map((p) => p.opsUrl.replace('http://', '')),
    }));
    await prometheus.start(jobs, RULE_FILES);
    await waitUntil('every target scraped', async () => (await prometheus.targets()).every((t) => t.health === 'up'));

    // Short load: streams and plain answers, a backend answering 503, one unreachable, client mistakes.
    const call = async (model: string, stream: boolean, token = TOKEN, content = 'Fix this failing private test.') => {
      sent.total++;
      const response = await fetch(`${stack.baseUrl}/api/u/alice/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model,
          stream,
          ...(stream ? { stream_options: { include_usage: true } } : {}),
          messages: [{ role: 'user', content }],
        }),
      });
      await response.text();
    };
    const mix: Array<() => Promise<void>> = [
      () => call('user-provider/openai-prod/gpt-4.1-mini', true),
      () => call('user-provider/openai-prod/gpt-4.1-mini', true),
      () => call('user-provider/openai-prod/gpt-4.1-mini', false),
      () => call('user-provider/runpod-gpu-a/deepseek-coder-v2', true),
      () => call('user-provider/dead/m', false),
      () => call('user-provider/openai-prod/no-such-model', false),
      () => call('user-provider/openai-prod/gpt-4.1-mini', false, 'sk-wrong-0123456789abcdefghij'),
      () => call('user-rotation/dead-first', true),
      () => call('user-rotation/dead-only', false),
      () => call('user-autoselect/engineering', true, TOKEN, 'Quick question: what does HTTP status 418 mean?'),
      () => call('user-autoselect/engineering', false, TOKEN, 'Why does this fail? password=hunter2hunter2 in config.yml'),
      () => fetch(`${stack.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.text()).then(() => undefined),
    ];
    const until = Date.now() + 8_000;
    await Promise.all(
      [0, 1, 2].map(async (worker) => {
        for (let i = worker; Date.now() < until; i++) await mix[i % mix.length]();
      }),
    );
    // Prometheus has the load once the edge's counter shows it, and a few scrapes later for rates.
    await waitUntil('the load in Prometheus', async () => {
      const [sample] = await prometheus.query('sum(aisbf_http_server_request_duration_seconds_count{route=~".*chat/completions"})');
      return Number(sample?.value[1] ?? 0) >= sent.total;
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }, 180_000);

  afterAll(async () => {
    await prometheus.stop();
    await stack?.stop();
    await Promise.all([healthy.stop(), failing.stop()]);
  });

  it('scrapes every service, each labelling its series with its name', async () => {
    const targets = await prometheus.targets();
    expect(targets.map((t) => t.labels.job).sort()).toEqual(SERVICES.map((s) => `aisbf-${s}`).sort());
    for (const target of targets) expect([target.labels.job, target.health, target.lastError]).toEqual([target.labels.job, 'up', '']);
    const services = await prometheus.query('count by (aisbf_service, job) (aisbf_build_info)');
    expect(services.map((s) => `${s.metric.job}=${s.metric.aisbf_service}`).sort()).toEqual(SERVICES.map((s) => `aisbf-${s}=${s}`).sort());
  });

  it('loads every rule without evaluation errors; failing backends put their alerts on the way to firing', async () => {
    const groups = await prometheus.ruleGroups();
    const rules = groups.flatMap((group) => group.rules);
    expect(rules.length).toBe(recordingRules().length + rules.filter((r) => r.type === 'alerting').length);
    for (const rule of rules) expect([rule.name, rule.health, rule.lastError ?? '']).toEqual([rule.name, 'ok', '']);
    const alerts = (name: string) => rules.find((rule) => rule.name === name)?.alerts ?? [];
    expect(alerts('AisbfUpstreamFailing').map((a) => a.labels.provider).sort()).toEqual(['dead', 'runpod-gpu-a']);
    expect(alerts('AisbfHighErrorRate').map((a) => [a.labels.route_kind, a.state])).toContainEqual(['provider', 'pending']);
    // Every candidate of dead-only cooling down: refused requests alert at once.
    expect(alerts('AisbfAllCandidatesCooling').map((a) => [a.labels.route_kind, a.state])).toEqual([['rotation', 'firing']]);
    expect(alerts('AisbfBusDisconnected')).toEqual([]);
    expect(alerts('AisbfTargetDown')).toEqual([]);
  });

  it('computes every recording rule', async () => {
    for (const record of recordingRules()) {
      const result = await prometheus.query(record);
      expect([record, result.length > 0]).toEqual([record, true]);
    }
  });

  it.each(dashboards.map((d) => [d.title, d] as const))('answers every panel query of %s with data', async (_title, dashboard) => {
    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const [, metric, label] = /label_values\((\w+), (\w+)\)/.exec(variable.definition ?? '')!;
      expect([variable.name, (await prometheus.labelValues(label, metric)).length > 0]).toEqual([variable.name, true]);
    }
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const expr = grafanaExpr(target.expr);
        // Every metric a panel reads has series, so `or vector(0)` never hides a missing metric.
        for (const name of metricNames(expr)) {
          const series = await prometheus.query(`count(${name})`);
          expect([panel.title, name, series.length > 0]).toEqual([panel.title, name, true]);
        }
        const result = await prometheus.query(expr);
        expect([panel.title, expr, result.length > 0]).toEqual([panel.title, expr, true]);
      }
    }
  });
});

describe('metrics and probes on every process', () => {
  it('distributed: each worker serves /metrics, /healthz and /readyz on its own port', async () => {
    const stack = await AisbfStack.start({ mode: 'distributed', config: { users: {} } });
    try {
      // Besides the bus, the Redis-backed components of the services that have some.
      const expected: Record<string, Record<string, string>> = {
        'edge-api': { bus: 'ok', rate_limiter: 'ok' },
        'route-resolver': { autoselect_state: 'ok', bus: 'ok', route_state: 'ok' },
      };
      for (const proc of stack.processes) {
        expect((await fetch(`${proc.opsUrl}/healthz`)).status).toBe(200);
        const checks = expected[proc.service] ?? { bus: 'ok' };
        const readiness = async () => {
          const ready = await fetch(`${proc.opsUrl}/readyz`);
          return [proc.service, ready.status, await ready.json()];
        };
        // Redis connections are made in the background at start-up.
        await waitUntil(`${proc.service} ready`, async () => JSON.stringify((await readiness())[2]) === JSON.stringify({ status: 'ready', checks }), 10_000).catch(() => undefined);
        expect(await readiness()).toEqual([proc.service, 200, { status: 'ready', checks }]);
        const metrics = await (await fetch(`${proc.opsUrl}/metrics`)).text();
        expect(metrics).toContain(`aisbf_dependency_up{dependency="bus",aisbf_service="${proc.service}"} 1`);
        expect(metrics).toContain(`aisbf_build_info{`);
      }
    } finally {
      await stack.stop();
    }
  }, 60_000);

  it('embedded: one /metrics on the edge port covers every service module', async () => {
    const mock = await new MockOpenAiServer('openai-prod').start();
    const stack = await AisbfStack.start({
      mode: 'embedded',
      config: {
        users: {
          alice: { tokens: [TOKEN], providers: { 'openai-prod': { type: 'openai', endpoint: mock.url, models: [{ name: 'gpt-4.1-mini' }] } } },
        },
      },
    });
    try {
      const response = await fetch(`${stack.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'user-provider/openai-prod/gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
      for (const line of [
        'aisbf_requests_total{route_kind="provider",provider="openai-prod",outcome="ok",aisbf_service="aisbf"} 1',
        'aisbf_route_decisions_total{route_kind="provider",provider="openai-prod",outcome="planned",aisbf_service="aisbf"} 1',
        'aisbf_upstream_requests_total{provider="openai-prod",status_code="200",outcome="ok",aisbf_service="aisbf"} 1',
        'aisbf_bus_request_duration_seconds_count{aisbf_service="aisbf",subject="aisbf.route.resolve",outcome="ok"} 1',
        '# TYPE aisbf_classifier_decisions_total counter',
      ]) {
        expect(metrics).toContain(line);
      }
      expect(metrics).not.toContain(TOKEN);
      const ready = await fetch(`${stack.baseUrl}/readyz`);
      // The embedded mode keeps its configuration in a local database: reported beside the bus.
      expect(await ready.json()).toEqual({ status: 'ready', checks: { bus: 'ok', database: 'ok' } });
      expect(metrics).toContain('aisbf_dependency_up{dependency="database",aisbf_service="aisbf"} 1');
    } finally {
      await stack.stop();
      await mock.stop();
    }
  }, 60_000);
});
