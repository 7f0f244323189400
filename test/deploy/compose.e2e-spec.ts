import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { AppEnv, appEnvironments, commandEnvironment, envProblems, parity } from './support/app-env';
import { commandOf, ComposeFile, ComposeService, interpolate, loadCompose, readComposeYaml, REPO, serviceEnvironment } from './support/compose-file';
import { dispatcherCommands } from './support/image-process';

// docker-compose.yml and docker-compose.lan-pool.yml, checked without a Docker engine: the Compose
// specification schema, a compose linter, and the services against what the apps actually read.
const BASE = 'docker-compose.yml';
const LAN = 'docker-compose.lan-pool.yml';
const LAN_ENV = { AISBF_CLUSTER_NATS_URL: 'tls://nats.aisbf.example.com:4222', AISBF_SECRET_KEY: 'k'.repeat(40) };
const schema = JSON.parse(readFileSync(path.join(REPO, 'node_modules/dclint/schemas/compose.schema.json'), 'utf8'));
// The specification's $schema names draft-07 by its https address, which ajv knows by http.
const validateCompose = addFormats(new Ajv({ allErrors: true, strict: false })).compile({ ...schema, $schema: undefined });

const apps = new Map(appEnvironments().map((app) => [app.app, app]));
const commands = dispatcherCommands(REPO);
const base = loadCompose(BASE);
const lan = loadCompose(LAN, LAN_ENV);

/** The app a compose service runs, from its command through the image's entrypoint table. */
function appOf(service: ComposeService): string | undefined {
  const [name] = commandOf(service);
  const main = commands[name]?.main;
  return main ? /^dist\/apps\/([^/]+)\/src\/main\.js$/.exec(main)?.[1] : undefined;
}
const aisbfServices = (file: ComposeFile) =>
  Object.entries(file.services).filter(([, service]) => service.build !== undefined || String(service.image).includes('aisbf'));
const longRunning = (file: ComposeFile) => aisbfServices(file).filter(([, service]) => service.restart !== 'no');

function schemaErrors(document: unknown): string[] {
  return validateCompose(document) ? [] : (validateCompose.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe('docker-compose.yml and the LAN pool override, against the Compose specification', () => {
  it.each([
    [BASE, {}],
    [LAN, LAN_ENV],
  ])('%s is valid as written and once interpolated', (file, env) => {
    expect(schemaErrors(readComposeYaml(file))).toEqual([]);
    expect(schemaErrors(loadCompose(file, env))).toEqual([]);
  });

  it('passes the compose linter (dclint) with its best-practice rules', () => {
    // Off: ordering rules (style), build+image (the tagged image is reused by the LAN file on
    // another host) and unbound interfaces (the interface is ${AISBF_BIND_ADDRESS:-127.0.0.1},
    // which dclint does not interpolate; the default is checked below).
    const result = spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules/dclint/bin/dclint.cjs'), '-c', 'test/deploy/fixtures/dclint.json', '--max-warnings', '0', '--color', 'false', BASE, LAN],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails clearly when the LAN pool is started without the cluster NATS URL or the secret key', () => {
    expect(() => loadCompose(LAN, { AISBF_SECRET_KEY: 'k'.repeat(40) })).toThrow(/AISBF_CLUSTER_NATS_URL/);
    expect(() => loadCompose(LAN, { AISBF_CLUSTER_NATS_URL: 'nats://x:4222' })).toThrow(/AISBF_SECRET_KEY/);
  });

  it('interpolates as Compose does', () => {
    expect(interpolate('a$$b ${X:-d} ${Y-e} ${Z:+f} ${W:-${X:-g}}', { X: 'x', Y: '', Z: 'z' })).toBe('a$b x  f x');
    expect(() => interpolate('${Q:?needs Q}', {})).toThrow('needs Q');
  });
});

describe('the AISBF services in Compose', () => {
  const units: [string, ComposeService, ComposeFile][] = [
    ...aisbfServices(base).map(([name, service]) => [name, service, base] as [string, ComposeService, ComposeFile]),
    ...aisbfServices(lan).map(([name, service]) => [name, service, lan] as [string, ComposeService, ComposeFile]),
  ];

  it('runs every app, each with a command the image knows', () => {
    const run = units.map(([, service]) => commandOf(service)[0]);
    for (const command of run) expect(Object.keys(commands)).toContain(command);
    const deployed = new Set(units.map(([, service]) => appOf(service)));
    for (const app of apps.keys()) expect([app, deployed.has(app)]).toEqual([app, true]);
  });

  it('has two edge-api and two connector replicas behind one entry point, and migrations run once first', () => {
    expect(Number(base.services['edge-api'].deploy?.replicas)).toBe(2);
    expect(Number(base.services.connector.deploy?.replicas)).toBe(2);
    expect(commandOf(base.services.migrate)).toEqual(['migrate']);
    expect(base.services.migrate.restart).toBe('no');
    for (const [name, service] of longRunning(base).filter(([, s]) => !s.profiles)) {
      const dependsOn = service.depends_on as Record<string, { condition: string }>;
      expect([name, dependsOn.nats?.condition]).toEqual([name, 'service_healthy']);
      expect([name, dependsOn.migrate?.condition]).toEqual([name, 'service_completed_successfully']);
    }
    const edgeDepends = base.services['edge-api'].depends_on as Record<string, { condition: string }>;
    for (const worker of ['route-resolver', 'classifier', 'connector']) expect(edgeDepends[worker]?.condition).toBe('service_healthy');
    // Replicated services publish no host port (two replicas cannot bind one); the proxy does.
    for (const [name, service] of Object.entries(base.services)) {
      if (Number(service.deploy?.replicas ?? 1) > 1) expect([name, service.ports ?? []]).toEqual([name, []]);
    }
    expect((base.services['edge-proxy'].depends_on as Record<string, { condition: string }>)['edge-api'].condition).toBe('service_healthy');
  });

  it('leaves migrating to the migrate service, and hands database and Redis URLs only to the services that read them', () => {
    const env = (name: string, file = base) => serviceEnvironment(file.services[name]).values;
    for (const name of ['edge-api', 'route-resolver']) {
      expect([name, env(name).AISBF_DB_MIGRATE, env(name).AISBF_TRUST_USER_ENDPOINTS]).toEqual([name, 'false', 'false']);
      expect([name, env(name).REDIS_URL]).toEqual([name, expect.stringMatching(/^redis:\/\/:[^@]+@redis:6379\//)]);
    }
    expect(Object.keys(env('migrate')).sort()).toEqual(['AISBF_DATA_DIR', 'DATABASE_URL']);
    for (const [name, file] of [['classifier', base], ['connector', base], ['connector-lan', lan]] as const) {
      const declared = serviceEnvironment(file.services[name]).declared;
      expect([name, declared.filter((variable) => ['DATABASE_URL', 'REDIS_URL'].includes(variable))]).toEqual([name, []]);
    }
    // The cluster's connectors keep the app's default: no private addresses for ordinary users.
    expect(env('connector').CONNECTOR_ALLOW_PRIVATE_ENDPOINTS).toBe('false');
  });

  it('publishes ports on the loopback interface only, unless told otherwise, and never the data stores', () => {
    for (const [name, service] of Object.entries(base.services)) {
      for (const port of service.ports ?? []) expect([name, String(port)]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
    }
    for (const store of ['nats', 'mysql', 'redis']) expect(base.services[store].ports).toBeUndefined();
  });

  it('hardens every AISBF container: read-only root, no capabilities, no privilege escalation', () => {
    for (const [name, service] of units) {
      expect([name, service.read_only, service.cap_drop, service.security_opt, service.tmpfs]).toEqual([
        name,
        true,
        ['ALL'],
        ['no-new-privileges:true'],
        ['/tmp'],
      ]);
      expect([name, service.image, service.build]).toEqual([
        name,
        'aisbf:local',
        { context: '.', dockerfile: 'deploy/docker/Dockerfile' },
      ]);
    }
  });

  describe.each(units.map(([name, service, file]) => [name, service, file === lan ? LAN : BASE] as const))('%s', (name, service, file) => {
    const app = appOf(service);
    const appEnv: AppEnv | undefined = app ? commandEnvironment(apps.get(app)!, commandOf(service)[0]) : undefined;
    const ifApp = appEnv ? it : it.skip;

    ifApp(`can set every variable its app reads, and sets none it does not (${[app, appEnv?.command].filter(Boolean).join(' ')})`, () => {
      const { declared } = serviceEnvironment(service);
      expect(parity(appEnv!, declared)).toEqual({ missing: [], unknown: [] });
    });

    (appEnv?.telemetry && !appEnv.command ? it : it.skip)('names its traces after its service (OTEL_SERVICE_NAME)', () => {
      const { values } = serviceEnvironment(service);
      expect([name, values.OTEL_SERVICE_NAME]).toEqual([name, app === 'standalone' ? 'aisbf' : app]);
    });

    ifApp('starts with its default environment (it parses with the app schemas)', () => {
      const { values } = serviceEnvironment(service);
      expect(envProblems(appEnv!, values)).toEqual([]);
    });

    if (service.restart !== 'no') {
      it('is health-checked on the port the app serves /readyz on', () => {
        const { values } = serviceEnvironment(service);
        const test = service.healthcheck!.test as string[];
        expect(test.slice(0, 3)).toEqual(['CMD', 'node', '/app/deploy/docker/healthcheck.mjs']);
        const url = new URL(test[3]);
        expect(url.pathname).toBe('/readyz');
        const port = appOf(service) === 'edge-api' || appOf(service) === 'standalone' ? values.AISBF_PORT : values.AISBF_METRICS_PORT;
        expect([file, name, url.port]).toEqual([file, name, port]);
      });
    }
  });
});

describe('the material Compose mounts', () => {
  const mounts = Object.entries(base.services).flatMap(([name, service]) =>
    (service.volumes ?? [])
      .map(String)
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => {
        const [source, target] = volume.split(':');
        return { name, source, target };
      }),
  );

  it('exists in the repository for every bind mount', () => {
    expect(mounts.length).toBeGreaterThan(5);
    for (const mount of mounts) expect([mount.source, existsSync(path.join(REPO, mount.source))]).toEqual([mount.source, true]);
  });

  it('NATS: JetStream on, and a message limit above the largest request body', () => {
    const conf = readFileSync(path.join(REPO, 'deploy/docker/nats.conf'), 'utf8');
    expect(conf).toMatch(/^jetstream\s*\{/m);
    const [, size, unit] = /^max_payload:\s*(\d+)(MB|KB)?/m.exec(conf)!;
    const bytes = Number(size) * (unit === 'MB' ? 1024 * 1024 : unit === 'KB' ? 1024 : 1);
    const edge = serviceEnvironment(base.services['edge-api']).values;
    const { edgeEnvSchema } = require('../../apps/edge-api/src/config/edge-env');
    const maxBody = Number(edge.AISBF_MAX_BODY_BYTES ?? edgeEnvSchema.shape.AISBF_MAX_BODY_BYTES.parse(undefined));
    expect(bytes).toBeGreaterThan(maxBody);
    const natsServer = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((file) => existsSync(file));
    if (natsServer) {
      // The real server parses the file (-t: check the configuration and exit).
      const dir = mkdtempSync(path.join(tmpdir(), 'aisbf-nats-'));
      writeFileSync(path.join(dir, 'nats.conf'), conf.replace('/data', dir));
      try {
        execFileSync(natsServer, ['-c', path.join(dir, 'nats.conf'), '-t'], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('edge proxy: streams unbuffered to edge-api, with a body limit and timeouts that fit the edge', () => {
    const conf = readFileSync(path.join(REPO, 'deploy/docker/edge-proxy.conf'), 'utf8');
    const edge = serviceEnvironment(base.services['edge-api']).values;
    const { edgeEnvSchema } = require('../../apps/edge-api/src/config/edge-env');
    const setting = (name: string) => Number(edge[name] ?? edgeEnvSchema.shape[name].parse(undefined));
    expect(conf).toContain(`http://edge-api:${edge.AISBF_PORT}`);
    expect(conf).toMatch(/proxy_buffering off;/);
    expect(conf).toMatch(/proxy_request_buffering off;/);
    const readTimeout = Number(/proxy_read_timeout (\d+)s;/.exec(conf)![1]);
    expect(readTimeout * 1000).toBeGreaterThan(setting('AISBF_REQUEST_DEADLINE_MS'));
    const [, size, unit] = /client_max_body_size (\d+)([km]?);/.exec(conf)!;
    expect(Number(size) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1)).toBeGreaterThanOrEqual(setting('AISBF_MAX_BODY_BYTES'));
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;/);
  });

  it('OpenTelemetry collector: receives on the endpoint the services use and wires every component it defines', () => {
    const collector = parse(readFileSync(path.join(REPO, 'deploy/otel/collector.yaml'), 'utf8'));
    const endpoint = new URL(serviceEnvironment(base.services['edge-api']).values.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(endpoint.hostname).toBe('otel-collector');
    expect(base.services[endpoint.hostname]).toBeDefined();
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe(`0.0.0.0:${endpoint.port}`);
    const used = new Set<string>();
    for (const pipeline of Object.values(collector.service.pipelines) as Record<string, string[]>[]) {
      for (const kind of ['receivers', 'processors', 'exporters']) {
        for (const component of pipeline[kind] ?? []) {
          expect([kind, component, collector[kind]?.[component] !== undefined]).toEqual([kind, component, true]);
          used.add(`${kind}/${component}`);
        }
      }
    }
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const component of Object.keys(collector[kind] ?? {})) expect([kind, component, used.has(`${kind}/${component}`)]).toEqual([kind, component, true]);
    }
    for (const extension of collector.service.extensions ?? []) expect(collector.extensions[extension]).toBeDefined();
    const traces = interpolate(collector.exporters['otlp/traces'].endpoint.replace(/\$\{env:/g, '${'), {});
    expect(base.services[traces.split(':')[0]]).toBeDefined();
  });

  it('Prometheus: scrapes every AISBF service on its metrics port and loads the mounted rules', () => {
    const prometheus = parse(readFileSync(path.join(REPO, 'deploy/prometheus/prometheus.yml'), 'utf8'));
    const rulesMount = mounts.find((mount) => mount.source === './deploy/prometheus/rules')!;
    expect(prometheus.rule_files.some((glob: string) => glob.startsWith(`${rulesMount.target}/`))).toBe(true);
    const targets = new Map<string, number>();
    for (const job of prometheus.scrape_configs) {
      for (const sd of job.dns_sd_configs ?? []) for (const name of sd.names) targets.set(name, sd.port);
      for (const sc of job.static_configs ?? []) for (const target of sc.targets) targets.set(target.split(':')[0], Number(target.split(':')[1]));
    }
    for (const [name, service] of longRunning(base).filter(([, s]) => !s.profiles)) {
      expect([name, targets.get(name)]).toEqual([name, Number(serviceEnvironment(service).values.AISBF_METRICS_PORT)]);
    }
    const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((file) => existsSync(file));
    if (promtool) execFileSync(promtool, ['check', 'config', '--syntax-only', path.join(REPO, 'deploy/prometheus/prometheus.yml')], { stdio: 'pipe' });
  });

  it('Grafana: provisioning and dashboards are mounted where the provisioning expects them', () => {
    const targets = mounts.filter((mount) => mount.name === 'grafana').map((mount) => mount.target);
    expect(targets).toEqual(['/etc/grafana/provisioning', '/var/lib/grafana/dashboards']);
  });
});

describe('the LAN connector pool', () => {
  const service = lan.services['connector-lan'];
  const { values } = serviceEnvironment(service);

  it('serves the lan pool, may call private addresses, and dials the cluster NATS', () => {
    expect(commandOf(service)).toEqual(['connector']);
    expect(values.CONNECTOR_POOLS).toBe('lan');
    expect(values.CONNECTOR_ALLOW_PRIVATE_ENDPOINTS).toBe('true');
    expect(values.NATS_URL).toBe(LAN_ENV.AISBF_CLUSTER_NATS_URL);
    expect(values.AISBF_SECRET_KEY).toBe(LAN_ENV.AISBF_SECRET_KEY);
  });

  it('stands alone on another host: it depends on no service of the main file', () => {
    expect(service.depends_on).toBeUndefined();
    expect(Object.keys(lan.services)).toEqual(['connector-lan']);
  });

  it('joins the main stack on one host when both files are given', () => {
    const merged = loadCompose(LAN, { ...LAN_ENV, AISBF_CLUSTER_NATS_URL: serviceEnvironment(base.services.connector).values.NATS_URL });
    expect(lan.name).toBe(base.name);
    expect(Object.keys(base.services)).not.toContain('connector-lan');
    expect(serviceEnvironment(merged.services['connector-lan']).values.NATS_URL).toBe('nats://nats:4222');
  });
});
