import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

/** How to run one server binary on a given port and data directory. */
export interface OwnedServerSpec {
  name: string;
  command: string;
  args: (port: number, dir: string) => string[];
  /** Run once before the first start (e.g. initialise a database directory). */
  prepare?: (dir: string) => Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A dependency server (NATS, Redis, MariaDB) that belongs to one test: on a free port of its own,
 * with its own data directory, so that the test may stop and start it without touching the
 * servers other suites share. It keeps its port across restarts, as a real server would.
 */
export class OwnedServer {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'aisbf-owned-'));
  port = 0;
  private child: ChildProcess | null = null;
  private readonly output: string[] = [];
  private prepared = false;

  constructor(private readonly spec: OwnedServerSpec) {}

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the server (on the same port as before, after a stop) and resolves once it accepts connections. */
  async start(): Promise<this> {
    if (this.child) return this;
    if (!this.port) this.port = await freePort();
    if (!this.prepared) {
      await this.spec.prepare?.(this.dir);
      this.prepared = true;
    }
    const child = spawn(this.spec.command, this.spec.args(this.port, this.dir), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (data: Buffer) => this.output.push(data.toString()));
    child.stderr!.on('data', (data: Buffer) => this.output.push(data.toString()));
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (!(await portAccepts(this.port))) {
      if (this.child !== child) throw new Error(`${this.spec.name} exited at start:\n${this.output.join('')}`);
      if (Date.now() > deadline) throw new Error(`${this.spec.name} not listening in ${STARTUP_TIMEOUT_MS} ms:\n${this.output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and resolves once the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.child = null;
  }

  /** Stops the server for good and removes its data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  logs(): string {
    return this.output.join('');
  }
}
