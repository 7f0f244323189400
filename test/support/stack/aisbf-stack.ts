import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOG_FLUSH_MS } from '@aisbf/telemetry';
import { LogSecretScan, describeFindings } from './log-secret-scan';

export type StackMode = 'distributed' | 'embedded';
export const SERVICES = ['route-resolver', 'classifier', 'connector', 'edge-api'] as const;
export type ServiceName = (typeof SERVICES)[number] | 'standalone';

/** The repository root, whether this file runs from test/ (jest) or from dist/test/ (benchmarks). */
function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const ROOT = repositoryRoot(__dirname);
const DIST = path.join(ROOT, 'dist', 'apps');
const READY = 'aisbf service ready';

/** The test servers every stack shares; each run isolates itself inside them. */
export const MYSQL_ADMIN_URL = process.env.AISBF_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.AISBF_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StackOptions {
  mode: StackMode;
  /** The declarative configuration (AISBF_CONFIG), written to a temporary file; none when left out. */
  config?: unknown;
  /**
   * A MySQL database of its own (created, migrated with `aisbf migrate`, dropped at stop) and a
   * random Redis key prefix. `mysqlUrl`/`redisUrl` point the services elsewhere (a TcpProxy);
   * `mysqlAdminUrl` is the server the database is created on and dropped from (a test's own MariaDB).
   */
  database?: boolean | { mysqlUrl?: string; redisUrl?: string; mysqlAdminUrl?: string };
  /** The embedded mode's data directory, kept after stop (default: a temporary one, removed). */
  dataDir?: string;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Replicas per service in distributed mode (default 1 each). */
  replicas?: Partial<Record<(typeof SERVICES)[number], number>>;
  /** Extra connector processes serving other pools: pool list per process, or pools with their own environment. */
  extraConnectors?: Array<string | ExtraConnector>;
  /**
   * Keep routing state (cooldowns, counters, statistics) in Redis under a key prefix of this stack
   * only. Default: yes in distributed mode, no (memory) in the embedded mode. A string is the URL to use.
   */
  redis?: boolean | string;
  /** The NATS server of this stack (a test's own, to stop and start); default NATS_URL or the shared one. */
  natsUrl?: string;
  /** Extra Node.js flags for every process (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /**
   * Keep only about this many of the latest bytes of each process's output (a benchmark's
   * millions of request lines would otherwise pile up in this process); the secret scan at stop
   * covers what is kept. Default: everything.
   */
  outputLimitBytes?: number;
}

export interface ExtraConnector {
  pools: string;
  env?: Record<string, string>;
}

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StackProcess {
  service: ServiceName;
  child: ChildProcess;
  output: string[];
  /** Where this process serves /metrics, /healthz and /readyz. */
  opsUrl: string;
}

/** AISBF started as real processes: four services on the real NATS server, or the embedded launcher. */
export class AisbfStack {
  readonly processes: StackProcess[] = [];
  readonly namespace = `t${randomBytes(6).toString('hex')}`;
  readonly secretKey = randomBytes(32).toString('base64url');
  readonly adminToken = `sk-admin-${randomBytes(16).toString('hex')}`;
  /** Every Redis key this stack writes starts with it; removed on stop. */
  readonly redisPrefix = `aisbf-t-${randomBytes(6).toString('hex')}:`;
  readonly databaseName = `aisbf_t_${randomBytes(6).toString('hex')}`;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'aisbf-stack-'));
  baseUrl = '';
  private configPath = '';
  private edgePorts: number[] = [];
  private databaseCreated = false;
  /** Secrets that must never appear in any process's output; checked by stop(). */
  private readonly logScan = new LogSecretScan();

  constructor(private readonly options: StackOptions) {
    this.logScan.register(this.adminToken, 'admin token');
    this.logScan.register(this.secretKey, 'AISBF_SECRET_KEY');
    const env = options.env ?? {};
    this.logScan.registerEnv(env);
    this.logScan.registerConfig(options.config, { ...process.env, ...env } as Record<string, string>);
    const database = typeof options.database === 'object' ? options.database : {};
    this.logScan.registerUrlPassword(database.mysqlUrl ?? MYSQL_ADMIN_URL, 'MySQL password');
    this.logScan.registerUrlPassword(database.redisUrl ?? REDIS_URL, 'Redis password');
    this.logScan.registerUrlPassword(process.env.NATS_URL, 'NATS password');
  }

  static async start(options: StackOptions): Promise<AisbfStack> {
    const stack = new AisbfStack(options);
    try {
      await stack.boot();
    } catch (error) {
      // The boot error is the news here; a scan failure would only hide it.
      await stack.stopProcesses().catch(() => undefined);
      await stack.removeRedisKeys();
      throw error;
    }
    return stack;
  }

  get edgeUrls(): string[] {
    return this.edgePorts.map((port) => `http://127.0.0.1:${port}`);
  }

  /** The URL of this stack's own database (through `mysqlUrl` when given). */
  get databaseUrl(): string {
    const database = this.options.database;
    const base = (typeof database === 'object' && database.mysqlUrl) || MYSQL_ADMIN_URL;
    return `${base}/${this.databaseName}`;
  }

  /** Where this stack's database is created and dropped. */
  private get mysqlAdminUrl(): string {
    const database = this.options.database;
    return (typeof database === 'object' && database.mysqlAdminUrl) || MYSQL_ADMIN_URL;
  }

  /** Redis for the services: with a database, in distributed mode, or when asked; null otherwise. */
  get redisUrl(): string | null {
    const database = this.options.database;
    if (typeof database === 'object' && database.redisUrl) return database.redisUrl;
    const redis = this.options.redis ?? (this.options.mode === 'distributed' || Boolean(database));
    if (redis === false) return null;
    return typeof redis === 'string' ? redis : TEST_REDIS_URL;
  }

  baseEnv(): Record<string, string> {
    const redisUrl = this.redisUrl;
    return {
      ...(redisUrl ? { REDIS_URL: redisUrl, AISBF_REDIS_PREFIX: this.redisPrefix } : {}),
      PATH: process.env.PATH ?? '',
      NATS_URL: this.options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      AISBF_BUS_NAMESPACE: this.namespace,
      AISBF_SECRET_KEY: this.secretKey,
      AISBF_ADMIN_TOKEN: this.adminToken,
      AISBF_DATA_DIR: this.options.dataDir ?? path.join(this.dir, 'data'),
      ...(this.configPath ? { AISBF_CONFIG: this.configPath } : {}),
      ...(this.options.database
        ? {
            DATABASE_URL: this.databaseUrl,
            AISBF_TRUST_USER_ENDPOINTS: 'true',
            AISBF_USAGE_FLUSH_MS: '300',
          }
        : {}),
      LOG_LEVEL: 'info',
      // Every mock upstream listens on 127.0.0.1: distributed connectors may reach it unless a test
      // says otherwise (the embedded mode allows private endpoints by default).
      ...(this.options.mode === 'distributed' ? { CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'true' } : {}),
      // Every test client calls from 127.0.0.1: tests that send bad tokens on purpose would trip the
      // token-guessing limit; the tests of that limit set it themselves.
      AISBF_AUTH_FAILURES_PER_MINUTE: '0',
      ...(this.options.env ?? {}),
    };
  }

  /** Runs the CLI (`aisbf ...`) against this stack's storage; resolves with its output. */
  async cli(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
    const entry = path.join(DIST, 'cli', 'src', 'main.js');
    return promisify(execFile)(process.execPath, [entry, ...args], { env: { ...this.baseEnv(), ...env } });
  }

  private async boot(): Promise<void> {
    if (this.options.config !== undefined) {
      this.configPath = path.join(this.dir, 'config.json');
      writeFileSync(this.configPath, JSON.stringify(this.options.config));
    }
    if (this.options.database) {
      const admin = await createConnection(this.mysqlAdminUrl);
      await admin.query(`CREATE DATABASE \`${this.databaseName}\``);
      await admin.end();
      this.databaseCreated = true;
      await this.cli(['migrate'], { DATABASE_URL: `${this.mysqlAdminUrl}/${this.databaseName}` });
    }
    if (this.options.mode === 'embedded') {
      await this.spawn('standalone', {});
    } else {
      const replicas = this.options.replicas ?? {};
      const starts: Promise<void>[] = [];
      for (const service of SERVICES) {
        for (let i = 0; i < (replicas[service] ?? 1); i++) {
          starts.push(this.spawn(service, {}));
        }
      }
      for (const extra of this.options.extraConnectors ?? []) {
        const { pools, env } = typeof extra === 'string' ? { pools: extra, env: {} } : extra;
        starts.push(this.spawn('connector', { ...env, CONNECTOR_POOLS: pools }));
      }
      await Promise.all(starts);
    }
    this.baseUrl = this.edgeUrls[0];
  }

  async spawn(service: ServiceName, extraEnv: Record<string, string>): Promise<void> {
    const env = { ...extraEnv };
    // Workers serve /metrics and probes on their own port: one the kernel picks (0), read back from
    // the worker's log, so that no port chosen here can be taken by another process meanwhile.
    // The edge's HTTP port likewise: read back from its ready line, kept in start order.
    const worker = service !== 'edge-api' && service !== 'standalone';
    if (worker && !env.AISBF_METRICS_PORT) env.AISBF_METRICS_PORT = '0';
    if (!worker && !env.AISBF_PORT) env.AISBF_PORT = '0';
    const edgeIndex = worker ? -1 : this.edgePorts.push(0) - 1;
    const entry = path.join(DIST, service, 'src', 'main.js');
    // An empty value removes a variable (to run as a user who did not set it).
    const fullEnv = Object.fromEntries(Object.entries({ ...this.baseEnv(), ...env }).filter(([, value]) => value !== ''));
    const child = spawn(process.execPath, ['--enable-source-maps', ...(this.options.nodeArgs ?? []), entry], {
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const opsPort = service === 'edge-api' || service === 'standalone' ? env.AISBF_PORT : env.AISBF_METRICS_PORT;
    const proc: StackProcess = { service, child, output: [], opsUrl: `http://127.0.0.1:${opsPort}` };
    this.processes.push(proc);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${service} not ready in 20 s:\n${proc.output.join('')}`)), 20_000);
      let kept = 0;
      const onData = (data: Buffer) => {
        const text = data.toString();
        proc.output.push(text);
        kept += text.length;
        const limit = this.options.outputLimitBytes;
        while (limit !== undefined && kept > limit && proc.output.length > 1) kept -= proc.output.shift()!.length;
        const listening = /"port":(\d+),"msg":"metrics and health endpoints listening"/.exec(text);
        if (listening) proc.opsUrl = `http://127.0.0.1:${listening[1]}`;
        if (text.includes(READY)) {
          const bound = /"port":(\d+)/.exec(text.split('\n').find((line) => line.includes(READY)) ?? '');
          if (edgeIndex >= 0 && bound) {
            this.edgePorts[edgeIndex] = Number(bound[1]);
            proc.opsUrl = `http://127.0.0.1:${bound[1]}`;
          }
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${service} exited with ${code}:\n${proc.output.join('')}`));
      });
    });
  }

  /** Everything every process printed so far. */
  logs(): string {
    return this.processes.map((p) => p.output.join('')).join('');
  }

  /** Everything every process printed, including the lines logged by now that wait in a logger's block. */
  async writtenLogs(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, LOG_FLUSH_MS + 100));
    return this.logs();
  }

  kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const proc of this.processes) if (proc.service === service && proc.child.exitCode === null) proc.child.kill(signal);
  }

  /** Keys this stack wrote to Redis (on the real server, whatever URL the services used). */
  async redisKeys(): Promise<string[]> {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      return keys;
    } finally {
      redis.disconnect();
    }
  }

  private async removeRedisKeys(): Promise<void> {
    if (!this.redisUrl) return;
    const keys = await this.redisKeys().catch(() => []);
    if (keys.length === 0) return;
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    } catch {
      // a test run never fails on cleanup
    } finally {
      redis.disconnect();
    }
  }

  /**
   * A secret only this test knows (a token issued at run time, a provider key sent through the API,
   * a prompt canary): stop() fails if any AISBF process printed it.
   */
  secret(value: string, kind = 'registered test secret'): string {
    this.logScan.register(value, kind);
    return value;
  }

  /** Stops every process and cleans up, then fails if any process printed a secret. */
  async stop(): Promise<void> {
    await this.stopProcesses();
    await this.removeRedisKeys();
    this.assertNoSecretsInLogs();
  }

  /** Throws naming the kind of each leaked secret and where it was printed, never the secret. */
  assertNoSecretsInLogs(): void {
    const findings = this.logScan.scan(this.processes.map((p) => ({ service: p.service, text: p.output.join('') })));
    if (findings.length > 0) throw new Error(`secrets in AISBF process output:\n${describeFindings(findings)}`);
  }

  private async stopProcesses(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (proc) =>
          new Promise<void>((resolve) => {
            if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
            const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5_000);
            proc.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            proc.child.kill('SIGTERM');
          }),
      ),
    );
    if (this.databaseCreated) {
      const admin = await createConnection(this.mysqlAdminUrl);
      await admin.query(`DROP DATABASE IF EXISTS \`${this.databaseName}\``);
      await admin.end();
      this.databaseCreated = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
