import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../stack/free-port';

const ROOT = path.resolve(__dirname, '../../..');

export interface ScrapeJob {
  job: string;
  /** host:port targets serving /metrics. */
  targets: string[];
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Installs prometheus and promtool when they are missing (CI machines start without them). */
export function ensurePrometheusInstalled(): void {
  const present = spawnSync('sh', ['-c', 'command -v prometheus && command -v promtool'], { stdio: 'ignore' }).status === 0;
  if (!present) execFileSync(path.join(ROOT, 'scripts', 'ensure-prometheus.sh'), { stdio: 'inherit' });
}

/** Runs promtool; returns its exit status and everything it printed. */
export function promtool(...args: string[]): { status: number; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** A real Prometheus scraping test targets every second and evaluating the given rule files. */
export class PrometheusServer {
  private child?: ChildProcess;
  private readonly output: string[] = [];
  private dir = '';
  url = '';

  async start(jobs: ScrapeJob[], ruleFiles: string[]): Promise<this> {
    this.dir = mkdtempSync(path.join(tmpdir(), 'aisbf-prometheus-'));
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
      rule_files: ruleFiles,
      scrape_configs: jobs.map(({ job, targets }) => ({ job_name: job, static_configs: [{ targets }] })),
    };
    // JSON is YAML: no YAML library needed.
    writeFileSync(path.join(this.dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(
      'prometheus',
      [
        `--config.file=${path.join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout!.on('data', (data: Buffer) => this.output.push(data.toString()));
    this.child.stderr!.on('data', (data: Buffer) => this.output.push(data.toString()));
    const until = Date.now() + 30_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited:\n${this.logs()}`);
      const ready = await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return this;
      if (Date.now() > until) throw new Error(`prometheus not ready in 30 s:\n${this.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  logs(): string {
    return this.output.join('');
  }

  private async api<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${this.url}${pathAndQuery}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${pathAndQuery}: ${body.error}`);
    return body.data;
  }

  /** An instant query at the current time. */
  async query(expr: string): Promise<PromSample[]> {
    const data = await this.api<{ resultType: string; result: PromSample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    return data.result;
  }

  async labelValues(label: string, match: string): Promise<string[]> {
    return this.api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values?match[]=${encodeURIComponent(match)}`);
  }

  async targets(): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string }>> {
    return (await this.api<{ activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string }> }>('/api/v1/targets'))
      .activeTargets;
  }

  async ruleGroups(): Promise<
    Array<{ name: string; rules: Array<{ name: string; type: string; health: string; lastError?: string; state?: string; alerts?: Array<{ labels: Record<string, string>; state: string }> }> }>
  > {
    return (await this.api<{ groups: never[] }>('/api/v1/rules')).groups;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
