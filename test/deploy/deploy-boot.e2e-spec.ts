import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/stack/free-port';
import { AppEnv, appEnvironments } from './support/app-env';
import { commandOf, loadCompose, REPO, serviceEnvironment } from './support/compose-file';
import { helmBinary, HELM_RELEASES } from './support/helm-binary';
import { containerEnv, helmTemplate, KubeObject, prepareChart } from './support/helm-chart';
import { dispatcherCommands, firstCall, healthcheck, ImageProcess } from './support/image-process';

// The services started from the environments docker-compose.yml and the Helm chart give them, with
// the image's entrypoint and health check script, then the README's first call. Only what ties a
// container to its host is rewritten: the addresses of NATS, MySQL and Redis become this machine's
// servers, ports become free ones, and every run is isolated (bus namespace, Redis prefix, database).
const apps = new Map(appEnvironments().map((app) => [app.app, app]));
const commands = dispatcherCommands(REPO);
const appOf = (command: string) => /^dist\/apps\/([^/]+)\//.exec(commands[command]?.main ?? '')?.[1];
const reads = (command: string, variable: string) => (apps.get(appOf(command) ?? '') as AppEnv | undefined)?.variables.includes(variable) ?? false;

interface Unit {
  name: string;
  command: string[];
  env: Record<string, string>;
  replicas: number;
}

/** Everything one run needs of the machine's servers, isolated from other runs. */
class LocalHost {
  readonly namespace = `t${randomBytes(6).toString('hex')}`;
  readonly redisPrefix = `aisbf-t-${randomBytes(6).toString('hex')}:`;
  readonly database = `aisbf_t_${randomBytes(6).toString('hex')}`;
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'aisbf-boot-'));
  private databaseCreated = false;
  readonly processes: ImageProcess[] = [];

  async environment(unit: Unit): Promise<Record<string, string>> {
    const env = { ...unit.env };
    env.NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    env.AISBF_BUS_NAMESPACE = this.namespace;
    env.AISBF_DATA_DIR = this.dataDir;
    if (env.AISBF_METRICS_PORT) env.AISBF_METRICS_PORT = String(await freePort());
    if (env.REDIS_URL) env.REDIS_URL = 'redis://127.0.0.1:6379/0';
    if (env.AISBF_REDIS_PREFIX !== undefined) env.AISBF_REDIS_PREFIX = this.redisPrefix;
    if (env.DATABASE_URL) env.DATABASE_URL = this.databaseUrl(unit.command[0]);
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    return env;
  }

  /** A database of its own, made only once an app actually reads DATABASE_URL. */
  private databaseUrl(command: string): string {
    if (reads(command, 'DATABASE_URL') && !this.databaseCreated) {
      execFileSync('mysql', ['-h', '127.0.0.1', '-u', 'root', '-e', `CREATE DATABASE ${this.database}`]);
      this.databaseCreated = true;
    }
    return `mysql://root@127.0.0.1:3306/${this.database}`;
  }

  async start(unit: Unit, env: Record<string, string>): Promise<ImageProcess> {
    const proc = await ImageProcess.start(REPO, unit.command, env);
    this.processes.push(proc);
    return proc;
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((proc) => proc.stop()));
    if (this.databaseCreated) execFileSync('mysql', ['-h', '127.0.0.1', '-u', 'root', '-e', `DROP DATABASE IF EXISTS ${this.database}`]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Starts the units in order (migrations first when the image has them) and returns the edge URLs. */
async function boot(host: LocalHost, units: Unit[]): Promise<{ edges: string[]; workers: { unit: Unit; env: Record<string, string> }[] }> {
  const edges: string[] = [];
  const workers: { unit: Unit; env: Record<string, string> }[] = [];
  for (const unit of units) {
    if (!appOf(unit.command[0]) || !existsSync(path.join(REPO, commands[unit.command[0]].main))) continue;
    for (let replica = 0; replica < unit.replicas; replica++) {
      const env = await host.environment(unit);
      if (unit.command[0] === 'migrate') {
        const result = await ImageProcess.run(REPO, unit.command, env);
        expect([unit.name, result.code, result.output]).toEqual([unit.name, 0, expect.anything()]);
        continue;
      }
      if (env.AISBF_PORT) env.AISBF_PORT = String(await freePort());
      await host.start(unit, env);
      if (unit.command[0] === 'edge-api') edges.push(`http://127.0.0.1:${env.AISBF_PORT}`);
      else workers.push({ unit, env });
    }
  }
  return { edges, workers };
}

async function expectServing(edges: string[], workers: { unit: Unit; env: Record<string, string> }[], user: string, token: string) {
  expect(edges.length).toBeGreaterThan(0);
  for (const edge of edges) {
    expect(await healthcheck(REPO, `${edge}/readyz`)).toBe(0);
    const reply = await firstCall(edge, user, token);
    expect([reply.status, reply.body?.choices?.[0]?.message?.content]).toEqual([200, expect.stringContaining('[AISBF demo provider]')]);
  }
  // Workers answer their health check once they serve AISBF_METRICS_PORT (the app schema says so).
  for (const { unit, env } of workers.filter(({ unit }) => reads(unit.command[0], 'AISBF_METRICS_PORT'))) {
    expect([unit.name, await healthcheck(REPO, `http://127.0.0.1:${env.AISBF_METRICS_PORT}/readyz`)]).toEqual([unit.name, 0]);
  }
}

describe('docker-compose.yml, started as Compose would start it', () => {
  const compose = loadCompose('docker-compose.yml');
  const order = ['migrate', 'route-resolver', 'classifier', 'connector', 'edge-api'];
  const host = new LocalHost();
  const units: Unit[] = order.map((name) => {
    const service = compose.services[name];
    return { name, command: commandOf(service), env: serviceEnvironment(service).values, replicas: Number(service.deploy?.replicas ?? 1) };
  });
  const edgeEnv = units.find((unit) => unit.name === 'edge-api')!.env;
  let started: Awaited<ReturnType<typeof boot>>;

  beforeAll(async () => {
    started = await boot(host, units);
  }, 120_000);
  afterAll(() => host.stop());

  it('serves the first curl on every edge replica with the bootstrap user and token of the file', async () => {
    expect(started.edges).toHaveLength(2);
    await expectServing(started.edges, started.workers, edgeEnv.AISBF_BOOTSTRAP_USER, edgeEnv.AISBF_BOOTSTRAP_TOKEN);
  });

  it('migrates again, as a no-op, with nothing but where the database is (all an upgrade hook has)', async () => {
    const migrate = units.find((unit) => unit.name === 'migrate')!;
    const { DATABASE_URL, AISBF_DATA_DIR } = await host.environment(migrate);
    // A key the services would refuse: the migration does not read it, so it cannot fail on it.
    const result = await ImageProcess.run(REPO, migrate.command, { DATABASE_URL, AISBF_DATA_DIR, AISBF_SECRET_KEY: 'too-short' });
    expect([result.code, result.output]).toEqual([0, expect.stringContaining('is up to date')]);
    expect(result.output).not.toContain('applied migrations');
  });

  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => existsSync(file));
  (nginx ? it : it.skip)('streams through the edge proxy configuration (nginx, when installed here)', async () => {
    const { proxy, stop } = await startEdgeProxy(nginx!, started.edges[0]);
    try {
      const reply = await firstCall(proxy, edgeEnv.AISBF_BOOTSTRAP_USER, edgeEnv.AISBF_BOOTSTRAP_TOKEN);
      expect(reply.status).toBe(200);
      const response = await fetch(`${proxy}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${edgeEnv.AISBF_BOOTSTRAP_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'user-provider/demo/echo', stream: true, messages: [{ role: 'user', content: 'stream' }] }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect((await response.text()).trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect((await fetch(`${proxy}/metrics`)).status).toBe(404);
    } finally {
      await stop();
    }
  });
});

/** nginx with deploy/docker/edge-proxy.conf, its upstream pointed at one local edge. */
async function startEdgeProxy(nginx: string, edge: string): Promise<{ proxy: string; stop: () => Promise<void> }> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'aisbf-proxy-'));
  const port = await freePort();
  const conf = readFileSync(path.join(REPO, 'deploy/docker/edge-proxy.conf'), 'utf8')
    .replace(/^resolver .*$/m, '')
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
    .replace(/http:\/\/edge-api:\d+/, edge);
  writeFileSync(path.join(prefix, 'edge-proxy.conf'), conf);
  writeFileSync(
    path.join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log;`,
      'events {}',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${prefix}/body;`,
      `  proxy_temp_path ${prefix}/proxy;`,
      `  include ${prefix}/edge-proxy.conf;`,
      '}',
    ].join('\n'),
  );
  const child = spawn(nginx, ['-c', path.join(prefix, 'nginx.conf'), '-p', prefix], { stdio: 'ignore' });
  const proxy = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100 && (await healthcheck(REPO, `${proxy}/healthz`)) !== 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    proxy,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

describe('the Helm chart, started as Kubernetes would start its pods', () => {
  const chart = prepareChart();
  afterAll(() => chart.cleanup());

  /** One pod of each service, with the environment the rendered Deployment gives its container. */
  function units(objects: KubeObject[], adjust: (env: Record<string, string>) => void = () => undefined): Unit[] {
    return ['route-resolver', 'classifier', 'connector', 'edge-api'].map((name) => {
      const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/component'] === name)!;
      const container = deployment.spec.template.spec.containers[0];
      const env = containerEnv(container, objects).values;
      adjust(env);
      return { name, command: container.args, env, replicas: 1 };
    });
  }

  it('with default values, serves the first curl with the token NOTES.txt points to (the Secret the chart made)', async () => {
    const objects = helmTemplate(helmBinary(HELM_RELEASES[0]), chart.dir, {});
    const secret = objects.find((object) => object.kind === 'Secret')!;
    const token = Buffer.from(secret.data.AISBF_BOOTSTRAP_TOKEN, 'base64').toString();
    const host = new LocalHost();
    try {
      const pods = units(objects);
      const { edges, workers } = await boot(host, pods);
      await expectServing(edges, workers, pods[3].env.AISBF_BOOTSTRAP_USER, token);
    } finally {
      await host.stop();
    }
  }, 600_000);

  it('serves the users of a configuration document mounted from the chart ConfigMap', async () => {
    const objects = helmTemplate(helmBinary(HELM_RELEASES[0]), chart.dir, {
      set: [
        'config.document.users.ops.role=admin',
        'config.document.users.ops.tokens[0]=sk-aisbf-ops-token-0123456789abcdef',
        'config.document.users.ops.providers.demo.type=demo',
        'config.document.users.ops.providers.demo.endpoint=builtin:demo',
        'config.document.users.ops.providers.demo.models[0].name=echo',
      ],
    });
    const host = new LocalHost();
    try {
      // The ConfigMap's file where the pod would have it mounted.
      const configFile = path.join(host.dataDir, 'config.json');
      writeFileSync(configFile, objects.find((object) => object.kind === 'ConfigMap')!.data['config.json']);
      const pods = units(objects, (env) => {
        if (env.AISBF_CONFIG) env.AISBF_CONFIG = configFile;
      });
      expect(pods.filter((pod) => pod.env.AISBF_CONFIG).map((pod) => pod.name)).toEqual(['route-resolver', 'edge-api']);
      const { edges, workers } = await boot(host, pods);
      await expectServing(edges, workers, 'ops', 'sk-aisbf-ops-token-0123456789abcdef');
    } finally {
      await host.stop();
    }
  }, 120_000);
});
