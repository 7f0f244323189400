import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export type StackMode = 'distributed' | 'embedded';
export const SERVICES = ['route-resolver', 'classifier', 'connector', 'edge-api'] as const;
export type ServiceName = (typeof SERVICES)[number] | 'standalone';

const ROOT = path.resolve(__dirname, '../../..');
const DIST = path.join(ROOT, 'dist', 'apps');
const READY = 'aisbf service ready';

export interface StackOptions {
  mode: StackMode;
  /** The declarative configuration (AISBF_CONFIG), written to a temporary file. */
  config: unknown;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Replicas per service in distributed mode (default 1 each). */
  replicas?: Partial<Record<(typeof SERVICES)[number], number>>;
  /** Extra connector processes serving other pools: pool list per process, or pools with their own environment. */
  extraConnectors?: Array<string | ExtraConnector>;
}

export interface ExtraConnector {
  pools: string;
  env?: Record<string, string>;
}

export interface StackProcess {
  service: ServiceName;
  child: ChildProcess;
  output: string[];
}

/** AISBF started as real processes: four services on the real NATS server, or the embedded launcher. */
export class AisbfStack {
  readonly processes: StackProcess[] = [];
  readonly namespace = `t${randomBytes(6).toString('hex')}`;
  readonly secretKey = randomBytes(32).toString('base64url');
  baseUrl = '';
  private configPath = '';
  private edgePorts: number[] = [];

  constructor(private readonly options: StackOptions) {}

  static async start(options: StackOptions): Promise<AisbfStack> {
    const stack = new AisbfStack(options);
    try {
      await stack.boot();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get edgeUrls(): string[] {
    return this.edgePorts.map((port) => `http://127.0.0.1:${port}`);
  }

  private baseEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      AISBF_BUS_NAMESPACE: this.namespace,
      AISBF_SECRET_KEY: this.secretKey,
      AISBF_CONFIG: this.configPath,
      LOG_LEVEL: 'info',
      // Every mock upstream listens on 127.0.0.1: distributed connectors may reach it unless a test
      // says otherwise (the embedded mode allows private endpoints by default).
      ...(this.options.mode === 'distributed' ? { CONNECTOR_ALLOW_PRIVATE_ENDPOINTS: 'true' } : {}),
      ...(this.options.env ?? {}),
    };
  }

  private async boot(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'aisbf-stack-'));
    this.configPath = path.join(dir, 'config.json');
    writeFileSync(this.configPath, JSON.stringify(this.options.config));
    if (this.options.mode === 'embedded') {
      const port = await freePort();
      this.edgePorts.push(port);
      await this.spawn('standalone', { AISBF_PORT: String(port) });
    } else {
      const replicas = this.options.replicas ?? {};
      const starts: Promise<void>[] = [];
      for (const service of SERVICES) {
        for (let i = 0; i < (replicas[service] ?? 1); i++) {
          const env: Record<string, string> = {};
          if (service === 'edge-api') {
            const port = await freePort();
            this.edgePorts.push(port);
            env.AISBF_PORT = String(port);
          }
          starts.push(this.spawn(service, env));
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

  spawn(service: ServiceName, env: Record<string, string>): Promise<void> {
    const entry = path.join(DIST, service, 'src', 'main.js');
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { ...this.baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc: StackProcess = { service, child, output: [] };
    this.processes.push(proc);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${service} not ready in 20 s:\n${proc.output.join('')}`)), 20_000);
      const onData = (data: Buffer) => {
        const text = data.toString();
        proc.output.push(text);
        if (text.includes(READY)) {
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

  kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const proc of this.processes) if (proc.service === service && proc.child.exitCode === null) proc.child.kill(signal);
  }

  async stop(): Promise<void> {
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
  }
}
