import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { appEnvironments, commandEnvironment, envProblems, parity } from './support/app-env';
import { helmBinary, HELM_RELEASES } from './support/helm-binary';
import {
  CHART_DIR,
  containerEnv,
  findObject,
  FIXTURES,
  helmArgs,
  helmFailure,
  helmTemplate,
  KubeObject,
  podSpecs,
  prepareChart,
  REPO,
} from './support/helm-chart';
import { openApiProblems, unknownFieldProblems } from './support/kube-schema';

// The chart rendered by the real Helm binaries (3 and 4), its values checked against
// values.schema.json, and the output checked against the Kubernetes and Prometheus Operator schemas
// and against what the apps read. What cannot run here: an API server (admission, defaulting,
// server-side validation), the dependency charts' own templates, and pulling the image.
const PRODUCTION = path.join(FIXTURES, 'values-production.yaml');
const ALL_OPTIONS = path.join(FIXTURES, 'values-all-options.yaml');
const VALUE_SETS: [string, string[]][] = [
  ['default values', []],
  ['production-like values', [PRODUCTION]],
  ['every option', [ALL_OPTIONS]],
];
const DASHBOARD = JSON.stringify({ title: 'AISBF fixture', uid: 'aisbf-fixture', panels: [], schemaVersion: 39 });
const RULES = [
  'groups:',
  '  - name: aisbf-fixture',
  '    rules:',
  '      - alert: AisbfFixtureDown',
  '        expr: up{service="edge-api"} == 0',
  '        for: 5m',
  '        labels: { severity: critical }',
  '        annotations:',
  '          summary: "{{ $labels.instance }} is down"',
  '',
].join('\n');

const apps = new Map(appEnvironments().map((app) => [app.app, app]));
const valuesSchema = JSON.parse(readFileSync(path.join(CHART_DIR, 'values.schema.json'), 'utf8'));
const validateValues = new Ajv({ allErrors: true, strict: false }).compile(valuesSchema);
const chart = prepareChart({ fixtures: { dashboards: { 'aisbf-fixture.json': DASHBOARD }, 'prometheus-rules': { 'aisbf-fixture.yml': RULES } } });
afterAll(() => chart.cleanup());

const deployments = (objects: KubeObject[]) => objects.filter((object) => object.kind === 'Deployment');
const component = (object: KubeObject) => object.metadata.labels?.['app.kubernetes.io/component'];
const hooks = (object: KubeObject) => object.metadata.annotations?.['helm.sh/hook'];

describe('values.schema.json', () => {
  it.each([['values.yaml', path.join(CHART_DIR, 'values.yaml')], ['production-like values', PRODUCTION], ['every option', ALL_OPTIONS]])(
    'accepts %s',
    (_, file) => {
      const values = parse(readFileSync(file, 'utf8'));
      const merged = file.endsWith('values.yaml') ? values : deepMerge(parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8')), values);
      expect(validateValues(merged) ? [] : validateValues.errors).toEqual([]);
    },
  );

  it('rejects misspelt keys and impossible settings, naming them', () => {
    const base = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8'));
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ edgeApi: { ...base.edgeApi, replicas: 3 } }, /replicas/],
      [{ secrets: { ...base.secrets, secretKey: 'too-short' } }, /secretKey/],
      [{ connector: { ...base.connector, pools: 'gpu pool' } }, /pools/],
      [{ logLevel: 'verbose' }, /logLevel/],
      [{ redisPrefix: 'aisbf prod:' }, /redisPrefix/],
      [{ usageFlushMs: 10 }, /usageFlushMs/],
      [{ routeResolver: { ...base.routeResolver, redisTimeoutMs: 20_000 } }, /redisTimeoutMs/],
      [{ routeResolver: { ...base.routeResolver, maxCooldownSeconds: 0 } }, /maxCooldownSeconds/],
      [{ connector: { ...base.connector, allowPrivateEndpoints: 'gpu pool' } }, /allowPrivateEndpoints/],
    ];
    for (const [change, message] of cases) {
      expect(validateValues({ ...base, ...change })).toBe(false);
      expect(JSON.stringify(validateValues.errors)).toMatch(message);
    }
  });
});

describe.each(HELM_RELEASES.map((release) => [release.helmVersion, release] as const))('the chart rendered by Helm %s', (_, release) => {
  let helm: string;
  beforeAll(() => {
    helm = helmBinary(release);
  }, 600_000);

  it('passes helm lint --strict with each value set', () => {
    for (const [, files] of VALUE_SETS) {
      expect(helmFailure(helm, ['lint', chart.dir, '--strict', '--namespace', 'aisbf', ...helmArgs({ valuesFiles: files })])).toBeNull();
    }
  });

  it('refuses values the schema rejects, before rendering anything', () => {
    const failure = helmFailure(helm, ['template', 'aisbf', chart.dir, '--set', 'edgeApi.replicas=3']);
    expect(failure).toMatch(/replicas/);
    expect(helmFailure(helm, ['template', 'aisbf', chart.dir, '--set', 'mysql.enabled=true'])).toMatch(/mysql.auth.password is required/);
  });

  it('cannot be installed from a checkout before its dependencies are fetched (they are not vendored)', () => {
    const checkout = prepareChart({ withoutDependencies: true });
    try {
      expect(helmFailure(helm, ['template', 'aisbf', checkout.dir])).toMatch(/missing in charts\/ directory: nats, mysql, redis/);
    } finally {
      checkout.cleanup();
    }
  });

  describe.each(VALUE_SETS)('with %s', (_, valuesFiles) => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = helmTemplate(helm, chart.dir, { valuesFiles, apiVersions: ['monitoring.coreos.com/v1'] });
    });

    it('renders only objects that the Kubernetes and Prometheus Operator schemas accept', () => {
      expect(objects.length).toBeGreaterThan(15);
      expect(openApiProblems(objects)).toEqual([]);
    });

    it('uses no field the Kubernetes API does not define', () => {
      expect(unknownFieldProblems(objects)).toEqual([]);
    });

    it('gives every object a valid, unique name and the release labels', () => {
      const seen = new Set<string>();
      for (const object of objects) {
        const key = `${object.kind}/${object.metadata.name}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect([key, object.metadata.name]).toEqual([key, expect.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)]);
        expect([key, object.metadata.labels?.['app.kubernetes.io/instance']]).toEqual([key, 'aisbf']);
      }
    });

    it('runs every container non-root, without privilege escalation, on a read-only root, with no capabilities', () => {
      const specs = podSpecs(objects);
      expect(specs.length).toBeGreaterThanOrEqual(4);
      for (const { owner, spec } of specs) {
        const where = `${owner.kind}/${owner.metadata.name}`;
        expect([where, spec.securityContext]).toEqual([where, expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })]);
        expect([where, spec.automountServiceAccountToken]).toEqual([where, false]);
        for (const container of spec.containers) {
          expect([where, container.securityContext]).toEqual([
            where,
            expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }),
          ]);
          expect([where, container.resources.requests?.cpu, container.resources.requests?.memory, container.resources.limits?.memory]).toEqual([
            where,
            expect.any(String),
            expect.any(String),
            expect.any(String),
          ]);
          // A writable /tmp on the read-only root.
          expect(container.volumeMounts.map((mount: { mountPath: string }) => mount.mountPath)).toContain('/tmp');
        }
      }
    });

    it('probes /healthz and /readyz of every service on a port its container declares and its app listens on', () => {
      for (const deployment of deployments(objects)) {
        const container = deployment.spec.template.spec.containers[0];
        const env = containerEnv(container, objects).values;
        const ports = Object.fromEntries(container.ports.map((port: { name: string; containerPort: number }) => [port.name, port.containerPort]));
        expect(String(ports.metrics)).toBe(env.AISBF_METRICS_PORT);
        if (component(deployment) === 'edge-api') expect(String(ports.http)).toBe(env.AISBF_PORT);
        expect(container.livenessProbe.httpGet.path).toBe('/healthz');
        expect(container.readinessProbe.httpGet.path).toBe('/readyz');
        expect(container.startupProbe.httpGet.path).toBe('/healthz');
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) expect(Object.keys(ports)).toContain(probe.httpGet.port);
      }
    });

    it('selects each service\'s pods with its Service, autoscaler and disruption budget, and spreads them', () => {
      for (const deployment of deployments(objects)) {
        const labels = deployment.spec.template.metadata.labels;
        const selector = deployment.spec.selector.matchLabels;
        const selects = (matchLabels: Record<string, string>) => Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
        expect(selects(selector)).toBe(true);
        const name = deployment.metadata.name;
        const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === name)!;
        expect([name, service !== undefined && selects(service.spec.selector)]).toEqual([name, true]);
        const containerPorts = deployment.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name);
        for (const port of service.spec.ports as { targetPort: string }[]) expect(containerPorts).toContain(port.targetPort);
        const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === name);
        // With an autoscaler the Deployment leaves replicas to it (an upgrade must not reset them).
        expect([name, deployment.spec.replicas === undefined]).toEqual([name, hpa !== undefined]);
        const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === name);
        if (pdb) expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
        for (const constraint of deployment.spec.template.spec.topologySpreadConstraints ?? []) {
          expect(selects(constraint.labelSelector.matchLabels)).toBe(true);
        }
      }
    });

    it('can set every variable each app reads, sets none it does not, and each service starts with its environment', () => {
      for (const deployment of deployments(objects)) {
        const app = apps.get(component(deployment)!)!;
        expect(app).toBeDefined();
        const env = containerEnv(deployment.spec.template.spec.containers[0], objects);
        const report = parity(app, env.declared);
        expect([app.app, report.unknown]).toEqual([app.app, []]);
        // Values held in a Secret outside this render cannot be checked here.
        const problems = envProblems(app, env.values).filter((problem) => !env.external.some((name) => problem.includes(` ${name}:`)));
        expect([app.app, problems]).toEqual([app.app, []]);
      }
    });
  });

  describe('with every option', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = helmTemplate(helm, chart.dir, { valuesFiles: [ALL_OPTIONS], release: 'aisbf' });
    });

    it('deploys every app that runs in the cluster and sets everything each reads', () => {
      // The embedded launcher is for one host (Compose profile `embedded`); the CLI runs as the migration Job.
      const deployed = [...deployments(objects).map(component), 'standalone', 'cli'];
      for (const app of apps.keys()) expect([app, deployed.includes(app)]).toEqual([app, true]);
      for (const deployment of deployments(objects)) {
        const app = apps.get(component(deployment)!)!;
        const report = parity(app, containerEnv(deployment.spec.template.spec.containers[0], objects).declared);
        expect([app.app, report]).toEqual([app.app, { missing: [], unknown: [] }]);
      }
    });

    it('gives each service the heap limit it is set to, and none (Node\'s own) when it is null', () => {
      expect(deploymentEnv(objects, '-edge-api').NODE_OPTIONS).toBe(`${IMAGE_NODE_OPTIONS} --max-old-space-size=256`);
      expect(deploymentEnv(objects, '-route-resolver').NODE_OPTIONS).toBe(`${IMAGE_NODE_OPTIONS} --max-old-space-size=128`);
      expect(deploymentEnv(objects, '-connector').NODE_OPTIONS).toBeUndefined();
    });

    it('gives every service the telemetry settings, export headers from the Secret', () => {
      for (const deployment of deployments(objects)) {
        const container = deployment.spec.template.spec.containers[0];
        const { values } = containerEnv(container, objects);
        // The fixture renames edge-api through extraEnv: an operator's variable wins over the chart's.
        const name = component(deployment) === 'edge-api' ? 'aisbf-edge' : component(deployment);
        expect([component(deployment), values.OTEL_SERVICE_NAME]).toEqual([component(deployment), name]);
        expect(values).toMatchObject({
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel-collector:4318/v1/traces',
          OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
          OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=all-options-collector-key',
        });
        const headers = container.env.find((variable: { name: string }) => variable.name === 'OTEL_EXPORTER_OTLP_HEADERS');
        expect(headers.value).toBeUndefined();
        expect(headers.valueFrom.secretKeyRef.key).toBe('OTEL_EXPORTER_OTLP_HEADERS');
      }
    });

    it('sets everything the migrate command reads in the migration Job, and nothing else', () => {
      const container = findObject(objects, 'Job', '-migrate').spec.template.spec.containers[0];
      const migrate = commandEnvironment(apps.get('cli')!, container.args[0]);
      const env = containerEnv(container, objects);
      // migrations.extraEnv holds the operator's own additions (NODE_OPTIONS in the fixture), not the chart's.
      const extra = new Set(parse(readFileSync(ALL_OPTIONS, 'utf8')).migrations.extraEnv.map((variable: { name: string }) => variable.name));
      expect(extra.size).toBeGreaterThan(0);
      expect(parity(migrate, env.declared.filter((name) => !extra.has(name)))).toEqual({ missing: [], unknown: [] });
      expect(envProblems(migrate, env.values)).toEqual([]);
    });

    it('points the services at the in-release NATS, MySQL and Redis when those are enabled', () => {
      const edge = containerEnv(findObject(objects, 'Deployment', '-edge-api').spec.template.spec.containers[0], objects).values;
      expect(edge.NATS_URL).toBe('nats://aisbf-nats:4222');
      expect(edge.DATABASE_URL).toBe('mysql://aisbf:mysql+p%40ss%2Fword@aisbf-mysql:3306/aisbf');
      expect(edge.REDIS_URL).toBe('redis://:redis-password@aisbf-redis-master:6379/0');
      expect(edge.NATS_USER).toBe('aisbf');
      const connector = containerEnv(findObject(objects, 'Deployment', '-connector').spec.template.spec.containers[0], objects).values;
      expect(connector).toMatchObject({ CONNECTOR_POOLS: 'default,gpu', CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'true', CONNECTOR_MAX_CONNECTIONS: '128' });
      // The classifier opens no provider credential: it does not get the key. Neither it nor the
      // connector reads the database or Redis: their URLs (with passwords) stay out of those pods.
      const classifier = containerEnv(findObject(objects, 'Deployment', '-classifier').spec.template.spec.containers[0], objects);
      expect(classifier.declared).not.toContain('AISBF_SECRET_KEY');
      for (const worker of ['-classifier', '-connector']) {
        const declared = containerEnv(findObject(objects, 'Deployment', worker).spec.template.spec.containers[0], objects).declared;
        expect([worker, declared.filter((name) => ['DATABASE_URL', 'REDIS_URL'].includes(name))]).toEqual([worker, []]);
      }
      // Cooldowns and rotation counters go to the release's Redis, as the caches do.
      const resolver = containerEnv(findObject(objects, 'Deployment', '-route-resolver').spec.template.spec.containers[0], objects).values;
      expect([resolver.REDIS_URL, resolver.AISBF_REDIS_PREFIX]).toEqual([edge.REDIS_URL, 'all:']);
    });

    it('gives edge-api and route-resolver the same database settings, and the resolver its cooldown settings', () => {
      const env = (suffix: string) => containerEnv(findObject(objects, 'Deployment', suffix).spec.template.spec.containers[0], objects).values;
      for (const suffix of ['-edge-api', '-route-resolver']) {
        expect([suffix, env(suffix).AISBF_DB_MIGRATE, env(suffix).AISBF_TRUST_USER_ENDPOINTS, env(suffix).AISBF_USAGE_FLUSH_MS]).toEqual([suffix, 'true', 'true', '5000']);
      }
      expect(env('-route-resolver')).toMatchObject({ AISBF_REDIS_TIMEOUT_MS: '250', AISBF_DEFAULT_ERROR_COOLDOWN_SECONDS: '30', AISBF_MAX_COOLDOWN_SECONDS: '900' });
    });

    it('lets a connector Deployment open private addresses for some of its pools only', () => {
      const rendered = helmTemplate(helm, chart.dir, { valuesFiles: [ALL_OPTIONS], set: ['connector.allowPrivateEndpoints=gpu'] });
      const connector = containerEnv(findObject(rendered, 'Deployment', '-connector').spec.template.spec.containers[0], rendered).values;
      expect(connector.CONNECTOR_ALLOW_PRIVATE_ENDPOINTS).toBe('gpu');
      const { connectorEnvSchema } = require('../../apps/connector/src/config/connector-env');
      expect(connectorEnvSchema.parse(connector).CONNECTOR_ALLOW_PRIVATE_ENDPOINTS).toEqual({ all: false, pools: ['gpu'] });
    });

    it('migrates after install when the database comes with the release, from a hook Secret made first', () => {
      const job = findObject(objects, 'Job', '-migrate');
      expect(hooks(job)).toBe('post-install,pre-upgrade');
      expect(job.spec.template.spec.containers[0].args).toEqual(['migrate']);
      const hookSecret = findObject(objects, 'Secret', '-migrate');
      expect(hooks(hookSecret)).toBe(hooks(job));
      expect(Number(hookSecret.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(Number(job.metadata.annotations!['helm.sh/hook-weight']));
      expect(containerEnv(job.spec.template.spec.containers[0], objects).values.DATABASE_URL).toContain('@aisbf-mysql:3306/');
    });

    it('mounts the configuration document and rolls the pods when it changes', () => {
      const edge = findObject(objects, 'Deployment', '-edge-api');
      const configMap = findObject(objects, 'ConfigMap', '-config');
      expect(JSON.parse(configMap.data['config.json']).users.demo.role).toBe('admin');
      const env = containerEnv(edge.spec.template.spec.containers[0], objects).values;
      const mount = edge.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'config');
      expect(env.AISBF_CONFIG).toBe(`${mount.mountPath}/config.json`);
      const changed = helmTemplate(helm, chart.dir, { valuesFiles: [ALL_OPTIONS], set: ['config.document.users.demo.role=user'] });
      const before = edge.spec.template.metadata.annotations['checksum/config'];
      expect(findObject(changed, 'Deployment', '-edge-api').spec.template.metadata.annotations['checksum/config']).not.toBe(before);
    });

    it('turns the rule files into a PrometheusRule and each dashboard into a labelled ConfigMap', () => {
      const rule = findObject(objects, 'PrometheusRule', 'aisbf-all');
      expect(rule.spec.groups.map((group: { name: string }) => group.name)).toContain('aisbf-fixture');
      expect(rule.spec.groups.find((g: { name: string }) => g.name === 'aisbf-fixture').rules[0].annotations.summary).toBe('{{ $labels.instance }} is down');
      const dashboard = findObject(objects, 'ConfigMap', '-dashboard-aisbf-fixture');
      expect(dashboard.metadata.labels!.grafana_dashboard).toBe('1');
      expect(JSON.parse(dashboard.data['aisbf-fixture.json']).uid).toBe('aisbf-fixture');
      const monitor = findObject(objects, 'ServiceMonitor', 'aisbf-all');
      const scraped = objects.filter(
        (o) =>
          o.kind === 'Service' &&
          Object.entries(monitor.spec.selector.matchLabels).every(([key, value]) => o.metadata.labels?.[key] === value) &&
          o.spec.ports.some((p: { name: string }) => p.name === monitor.spec.endpoints[0].port),
      );
      expect(scraped.map((service) => service.metadata.labels!['app.kubernetes.io/component']).sort()).toEqual(['classifier', 'connector', 'edge-api', 'route-resolver']);
    });
  });

  describe('with production-like values', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = helmTemplate(helm, chart.dir, { valuesFiles: [PRODUCTION] });
    });

    it('takes every secret from the existing Secret and renders none of its own', () => {
      expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
      for (const { spec } of podSpecs(objects)) {
        for (const variable of spec.containers[0].env) {
          if (variable.valueFrom?.secretKeyRef) expect(variable.valueFrom.secretKeyRef.name).toBe('aisbf-secrets');
        }
      }
      const edge = findObject(objects, 'Deployment', '-edge-api').spec.template.spec.containers[0];
      expect(edge.envFrom).toEqual([{ secretRef: { name: 'aisbf-provider-keys' } }]);
      const job = findObject(objects, 'Job', '-migrate');
      expect(hooks(job)).toBe('pre-install,pre-upgrade');
      expect(job.spec.template.spec.containers[0].env.find((v: { name: string }) => v.name === 'DATABASE_URL').valueFrom.secretKeyRef.name).toBe('aisbf-secrets');
      // Without a database in that Secret there is nothing to migrate, and no Job to fail the install.
      const fileOnly = helmTemplate(helm, chart.dir, { valuesFiles: [PRODUCTION], set: ['externalDatabase.urlInExistingSecret=false'] });
      expect(fileOnly.filter((object) => object.kind === 'Job')).toEqual([]);
    });

    it('exposes edge-api through an SSE-friendly nginx ingress', () => {
      const ingress = findObject(objects, 'Ingress', '-edge-api');
      const annotations = ingress.metadata.annotations!;
      expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
      expect(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
      const edge = containerEnv(findObject(objects, 'Deployment', '-edge-api').spec.template.spec.containers[0], objects).values;
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) * 1000).toBeGreaterThan(Number(edge.AISBF_REQUEST_DEADLINE_MS));
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']) * 1000).toBeGreaterThan(Number(edge.AISBF_REQUEST_DEADLINE_MS));
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-body-size'])).toBeGreaterThanOrEqual(Number(edge.AISBF_MAX_BODY_BYTES));
      expect(annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
      const backend = ingress.spec.rules[0].http.paths[0].backend.service;
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === backend.name)!;
      expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(backend.port.name);
      expect(ingress.spec.tls).toEqual([{ hosts: ['aisbf.example.com'], secretName: 'aisbf-tls' }]);
    });

    it('pins the image by digest and scales edge-api and connector on their own signals too', () => {
      for (const { spec } of podSpecs(objects)) expect(spec.containers[0].image).toMatch(/^registry\.example\.com\/aisbf\/aisbf@sha256:[0-9a-f]{64}$/);
      const edgeHpa = findObject(objects, 'HorizontalPodAutoscaler', '-edge-api');
      expect(edgeHpa.spec.metrics.map((m: { type: string }) => m.type)).toEqual(['Resource', 'Pods']);
      expect(findObject(objects, 'HorizontalPodAutoscaler', '-connector').spec.metrics[1].pods.metric.name).toBe('aisbf_upstream_active_requests');
    });
  });

  describe('with default values', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = helmTemplate(helm, chart.dir, {});
    });

    it('would catch a misspelt field and a wrong type (the schema checks themselves)', () => {
      const broken = JSON.parse(JSON.stringify(findObject(objects, 'Deployment', '-edge-api')));
      const container = broken.spec.template.spec.containers[0];
      container.readinesProbe = container.readinessProbe;
      expect(unknownFieldProblems([broken]).join('\n')).toMatch(/readinesProbe/);
      container.ports[0].containerPort = 'http';
      expect(openApiProblems([broken]).join('\n')).toMatch(/containerPort must be integer/);
    });

    it('makes a Secret with a sealing key and tokens that the apps accept, kept on uninstall', () => {
      const secret = findObject(objects, 'Secret', 'aisbf');
      expect(secret.metadata.annotations!['helm.sh/resource-policy']).toBe('keep');
      const data = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
      expect(Object.keys(data).sort()).toEqual(['AISBF_ADMIN_TOKEN', 'AISBF_BOOTSTRAP_TOKEN', 'AISBF_SECRET_KEY']);
      expect(data.AISBF_SECRET_KEY.length).toBeGreaterThanOrEqual(32);
    });

    it('names each service in its traces and exports nothing until an endpoint is set', () => {
      for (const deployment of deployments(objects)) {
        const { declared, values } = containerEnv(deployment.spec.template.spec.containers[0], objects);
        expect([component(deployment), values.OTEL_SERVICE_NAME]).toEqual([component(deployment), component(deployment)]);
        expect(declared.filter((name) => name.startsWith('OTEL_EXPORTER_OTLP_') && name !== 'OTEL_EXPORTER_OTLP_HEADERS')).toEqual([]);
      }
    });

    it("caps every service's heap at 128 MB, in NODE_OPTIONS after the image's own flags", () => {
      for (const suffix of ['-edge-api', '-route-resolver', '-classifier', '-connector']) {
        expect([suffix, deploymentEnv(objects, suffix).NODE_OPTIONS]).toEqual([suffix, `${IMAGE_NODE_OPTIONS} --max-old-space-size=128`]);
      }
    });

    it('leaves migrating to the Job, trusts no user endpoint and keeps the connectors off private addresses', () => {
      const env = (suffix: string) => containerEnv(findObject(objects, 'Deployment', suffix).spec.template.spec.containers[0], objects).values;
      for (const suffix of ['-edge-api', '-route-resolver']) {
        expect([suffix, env(suffix).AISBF_DB_MIGRATE, env(suffix).AISBF_TRUST_USER_ENDPOINTS]).toEqual([suffix, 'false', 'false']);
      }
      expect(env('-connector').CONNECTOR_ALLOW_PRIVATE_ENDPOINTS).toBe('false');
    });

    it('runs no migration without a database, and adds the preStop pause only where Kubernetes has it', () => {
      expect(objects.filter((object) => object.kind === 'Job')).toEqual([]);
      const edge = findObject(objects, 'Deployment', '-edge-api').spec.template.spec.containers[0];
      expect(edge.lifecycle.preStop.sleep.seconds).toBe(5);
      const old = helmTemplate(helm, chart.dir, { kubeVersion: '1.29.0' });
      expect(findObject(old, 'Deployment', '-edge-api').spec.template.spec.containers[0].lifecycle).toBeUndefined();
    });
  });
});

describe('NOTES.txt (helm install --dry-run=client, Helm 4: no cluster needed)', () => {
  const helm4 = HELM_RELEASES.find((release) => release.helmVersion.startsWith('4'))!;
  const notes = (args: string[]) => {
    const out = execFileSync(helmBinary(helm4), ['install', 'aisbf', chart.dir, '--dry-run=client', '--namespace', 'aisbf', ...args], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: '/dev/null' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.slice(out.indexOf('NOTES:'));
  };

  it('shows the first curl with the demo user and where its token is', () => {
    const text = notes([]);
    expect(text).toContain('port-forward service/aisbf-edge-api 8080:80');
    expect(text).toContain("get secret aisbf -o jsonpath='{.data.AISBF_BOOTSTRAP_TOKEN}'");
    expect(text).toContain('curl -X POST "$AISBF_URL/api/u/$AISBF_USERNAME/chat/completions"');
    expect(text).toContain('"model":"user-provider/demo/echo"');
  }, 600_000);

  it('uses the ingress host and the configured users when there are some', () => {
    const text = notes(['--values', PRODUCTION]);
    expect(text).toContain('export AISBF_URL=https://aisbf.example.com');
    expect(text).toContain('/v1/models');
    expect(text).not.toContain('user-provider/demo/echo');
    expect(text).not.toContain('was generated');
  }, 600_000);
});

describe('the chart material shared with Docker Compose', () => {
  it('reads dashboards and alert rules through symlinks to deploy/, the one copy Compose mounts too', () => {
    for (const [link, target] of [
      ['files/dashboards', 'deploy/grafana/dashboards'],
      ['files/prometheus-rules', 'deploy/prometheus/rules'],
    ]) {
      const full = path.join(CHART_DIR, link);
      expect(lstatSync(full).isSymbolicLink()).toBe(true);
      expect(path.isAbsolute(readlinkSync(full))).toBe(false);
      expect(realpathSync(full)).toBe(path.join(REPO, target));
    }
  });
});

/** The Node flags the image sets; the chart's NODE_OPTIONS must keep them. */
const IMAGE_NODE_OPTIONS = /NODE_OPTIONS=(\S+)/.exec(readFileSync(path.join(CHART_DIR, '../../deploy/docker/Dockerfile'), 'utf8'))![1];

function deploymentEnv(objects: KubeObject[], suffix: string): Record<string, string> {
  return containerEnv(findObject(objects, 'Deployment', suffix).spec.template.spec.containers[0], objects).values;
}

function deepMerge(base: any, override: any): any {
  if (!override || typeof override !== 'object' || Array.isArray(override)) return override;
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = key in out ? deepMerge(out[key], value) : value;
  return out;
}
