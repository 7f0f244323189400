import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const READY = 'aisbf service ready';
const execFileAsync = promisify(execFile);

/**
 * An AISBF service started the way the image starts it: `node <app>/deploy/docker/aisbf.mjs
 * <command...>` with exactly the given environment (plus PATH), as a container would get it.
 */
export class ImageProcess {
  readonly output: string[] = [];
  private constructor(
    readonly command: string[],
    private readonly child: ChildProcess,
  ) {}

  static start(appRoot: string, command: string[], env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ImageProcess> {
    const child = spawn(process.execPath, [path.join(appRoot, 'deploy/docker/aisbf.mjs'), ...command], {
      cwd: appRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new ImageProcess(command, child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${command.join(' ')} not ready in ${readyTimeoutMs} ms:\n${proc.logs()}`)), readyTimeoutMs);
      const onData = (data: Buffer) => {
        proc.output.push(data.toString());
        if (proc.logs().includes(READY)) {
          clearTimeout(timer);
          resolve(proc);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command.join(' ')} exited with ${code}:\n${proc.logs()}`));
      });
    });
  }

  /** Runs a one-shot command (such as `migrate`) to completion. */
  static async run(appRoot: string, command: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(appRoot, 'deploy/docker/aisbf.mjs'), ...command], {
        cwd: appRoot,
        env: { PATH: process.env.PATH ?? '', ...env },
        timeout: 120_000,
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }

  logs(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** The image's health check script, as `docker` runs it: exit code 0 means healthy. */
export async function healthcheck(appRoot: string, url: string): Promise<number> {
  try {
    await execFileAsync(process.execPath, [path.join(appRoot, 'deploy/docker/healthcheck.mjs'), url], { timeout: 10_000 });
    return 0;
  } catch (error) {
    const failed = error as { code?: number };
    return typeof failed.code === 'number' ? failed.code : 1;
  }
}

/** The README's first call. */
export async function firstCall(baseUrl: string, user: string, token: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/api/u/${user}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'user-provider/demo/echo', messages: [{ role: 'user', content: 'Fix this failing private test.' }] }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the test shows the text
  }
  return { status: response.status, body };
}

/** The entrypoint's command table (an ES module, read in a child process since jest runs CommonJS). */
export function dispatcherCommands(appRoot: string): Record<string, { main: string; args: string[] }> {
  const script = path.join(appRoot, 'deploy/docker/aisbf.mjs');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(script)}); console.log(JSON.stringify(m.COMMANDS));`], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}
