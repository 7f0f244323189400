import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DockerfileParser, From, Instruction } from 'dockerfile-ast';
import { parse } from 'yaml';
import { freePort } from '../support/stack/free-port';
import { appNames } from './support/app-env';
import { dispatcherCommands, firstCall, healthcheck, ImageProcess } from './support/image-process';

// Static checks of the image definition (there is no Docker engine here to build it), then the
// runtime layout it assembles, started the way the image's ENTRYPOINT starts it.
const REPO = path.resolve(__dirname, '../..');
const DOCKERFILE = readFileSync(path.join(REPO, 'deploy/docker/Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(DOCKERFILE);
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const argDefaults = Object.fromEntries(
  instructions
    .filter((instruction) => instruction.getKeyword() === 'ARG')
    .map((instruction) => {
      const [name, value = ''] = instruction.getArgumentsContent()!.split('=');
      return [name, value];
    }),
);

function stageOf(instruction: Instruction): string {
  const from = [...froms].reverse().find((candidate) => candidate.getRange().start.line <= instruction.getRange().start.line);
  return from?.getBuildStage() ?? '';
}
function stageInstructions(stage: string, keyword?: string): Instruction[] {
  return instructions.filter((instruction) => stageOf(instruction) === stage && (!keyword || instruction.getKeyword() === keyword));
}
function expandArgs(text: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => argDefaults[name] ?? '');
}
const finalStage = froms[froms.length - 1].getBuildStage()!;
const copies = (stage: string) =>
  stageInstructions(stage, 'COPY').map((instruction) => {
    const flags = Object.fromEntries((instruction as any).getFlags().map((flag: any) => [flag.getName(), flag.getValue()]));
    const args = instruction.getArguments().map((arg) => arg.getValue());
    return { from: flags.from as string | undefined, chown: flags.chown as string | undefined, sources: args.slice(0, -1), target: args[args.length - 1] };
  });

/** .dockerignore as the builder applies it: the last matching pattern decides; `!` re-includes. */
function dockerIgnored(file: string): boolean {
  const patterns = readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  // Docker's matching: `*` and `?` stay within one path segment, `**` spans any number of them.
  const toRegex = (pattern: string) => {
    const tokens = pattern.replace(/\/+$/, '').split(/(\*\*\/|\*\*|\*|\?)/);
    const source = tokens
      .map((token) => {
        if (token === '**/') return '(?:.*/)?';
        if (token === '**') return '.*';
        if (token === '*') return '[^/]*';
        if (token === '?') return '[^/]';
        return token.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    return new RegExp(`^${source}$`);
  };
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const regex = toRegex(negated ? pattern.slice(1) : pattern);
    if (candidates.some((candidate) => regex.test(candidate))) ignored = !negated;
  }
  return ignored;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

describe('the image definition (deploy/docker/Dockerfile)', () => {
  it('builds in stages and ships a distroless, pinned runtime', () => {
    expect(froms.length).toBeGreaterThanOrEqual(3);
    expect(froms.every((from) => from.getBuildStage())).toBe(true);
    for (const from of froms) {
      const image = expandArgs(from.getImage()!);
      expect(image).not.toMatch(/:latest$/);
      expect(image).toMatch(/:[\w.-]+$/);
    }
    expect(expandArgs((froms[froms.length - 1] as From).getImage()!)).toMatch(/^gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot$/);
  });

  it('uses a Node version that package.json accepts, the same major in every stage', () => {
    const engines = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).engines.node as string;
    const minimum = /(\d+)\.(\d+)\.(\d+)/.exec(engines)!.slice(1).map(Number);
    const [major, minor] = argDefaults.NODE_VERSION.split('.').map(Number);
    expect(major > minimum[0] || (major === minimum[0] && minor >= minimum[1])).toBe(true);
    expect(expandArgs(froms[froms.length - 1].getImage()!)).toContain(`nodejs${major}-`);
  });

  it('installs with npm ci, builds with npm run build, and ships production dependencies only', () => {
    const runs = instructions.filter((instruction) => instruction.getKeyword() === 'RUN').map((run) => run.getArgumentsContent() ?? '');
    expect(runs.join('\n')).not.toMatch(/npm (install|i)\b/);
    const buildRuns = stageInstructions(froms[0].getBuildStage()!, 'RUN').map((run) => run.getArgumentsContent());
    expect(buildRuns.some((run) => /npm ci\b/.test(run!) && !/--omit=dev/.test(run!))).toBe(true);
    expect(buildRuns.some((run) => /npm run build\b/.test(run!))).toBe(true);

    const runtimeCopies = copies(finalStage);
    const modules = runtimeCopies.find((copy) => copy.target.includes('node_modules'))!;
    const prodStage = modules.from!;
    expect(stageInstructions(prodStage, 'RUN').some((run) => /npm ci\b.*--omit=dev/.test(run.getArgumentsContent()!))).toBe(true);
    const dist = runtimeCopies.find((copy) => copy.sources.some((source) => source.endsWith('/dist')))!;
    expect(dist.from).toBe(froms[0].getBuildStage());
    // Nothing the service could rewrite: code and dependencies stay root-owned.
    expect(modules.chown).toBeUndefined();
    expect(dist.chown).toBeUndefined();
  });

  it('runs as a numeric non-root user, the one the chart declares', () => {
    const users = stageInstructions(finalStage, 'USER').map((user) => user.getArgumentsContent()!);
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0].split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    const values = parse(readFileSync(path.join(REPO, 'helm/aisbf/values.yaml'), 'utf8'));
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, runAsGroup: gid });
  });

  it('bakes in no secret: no credential-like ARG or ENV, no .env file in the build context', () => {
    const declared = instructions
      .filter((instruction) => ['ARG', 'ENV'].includes(instruction.getKeyword()))
      .flatMap((instruction) => (instruction as any).getProperties().map((property: any) => property.getName() as string));
    expect(declared.filter((name) => /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE/i.test(name))).toEqual([]);
    expect(DOCKERFILE).not.toMatch(/--mount=type=secret|\.env\b|\.npmrc/);
    for (const file of ['.env', '.env.local', 'apps/.env', '.git/config', 'node_modules/zod/package.json', 'dist/apps/edge-api/src/main.js']) {
      expect([file, dockerIgnored(file)]).toEqual([file, true]);
    }
  });

  it('starts one service per command through an exec-form ENTRYPOINT that knows every service', () => {
    const entrypoint = stageInstructions(finalStage, 'ENTRYPOINT')[0];
    const args = JSON.parse(entrypoint.getArgumentsContent()!) as string[];
    expect(args[0]).toBe('/nodejs/bin/node');
    const script = args[1].replace(/^\/app\//, '');
    expect(copies(finalStage).some((copy) => copy.sources.includes(script))).toBe(true);
    expect(script).toBe('deploy/docker/aisbf.mjs');
    const COMMANDS = dispatcherCommands(REPO);
    for (const app of appNames()) expect(Object.values(COMMANDS).map((command) => command.main)).toContain(`dist/apps/${app}/src/main.js`);
    const cmd = JSON.parse(stageInstructions(finalStage, 'CMD')[0].getArgumentsContent()!) as string[];
    expect(Object.keys(COMMANDS)).toContain(cmd[0]);
  });

  it('exposes the HTTP and metrics ports the services listen on by default', () => {
    const exposed = stageInstructions(finalStage, 'EXPOSE').flatMap((expose) => expose.getArgumentsContent()!.split(/\s+/));
    const { edgeEnvSchema } = require('../../apps/edge-api/src/config/edge-env');
    expect(exposed).toContain(String(edgeEnvSchema.shape.AISBF_PORT.parse(undefined)));
    const values = parse(readFileSync(path.join(REPO, 'helm/aisbf/values.yaml'), 'utf8'));
    expect(exposed).toContain(String(values.metricsPort));
  });

  it('sends everything the build reads into the build context, and nothing else of note', () => {
    const sources = froms.flatMap((from) => copies(from.getBuildStage()!)).filter((copy) => !copy.from).flatMap((copy) => copy.sources);
    for (const source of sources) {
      expect([source, existsSync(path.join(REPO, source))]).toEqual([source, true]);
      const files = statSync(path.join(REPO, source)).isDirectory() ? listFiles(path.join(REPO, source)) : [path.join(REPO, source)];
      const sent = files.map((file) => path.relative(REPO, file)).filter((file) => !dockerIgnored(file));
      expect([source, sent.length > 0]).toEqual([source, true]);
    }
    expect(dockerIgnored('apps/edge-api/src/main.ts')).toBe(false);
    expect(dockerIgnored('apps/edge-api/src/chat/chat-body.spec.ts')).toBe(true);
    expect(dockerIgnored('helm/aisbf/values.yaml')).toBe(true);
  });
});

describe('the runtime layout the image assembles', () => {
  let appRoot: string;

  beforeAll(() => {
    // The build stage: only what the Dockerfile copies (and .dockerignore lets through), then npm run build.
    const work = mkdtempSync(path.join(tmpdir(), 'aisbf-image-'));
    const buildDir = path.join(work, 'src');
    for (const copy of copies(froms[0].getBuildStage()!)) {
      for (const source of copy.sources) {
        cpSync(path.join(REPO, source), path.join(buildDir, source), {
          recursive: true,
          filter: (file) => !dockerIgnored(path.relative(REPO, file)) || file === path.join(REPO, source),
        });
      }
    }
    symlinkSync(path.join(REPO, 'node_modules'), path.join(buildDir, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: buildDir, stdio: 'pipe' });
    // The runtime stage: /app with dist, node_modules, package.json and deploy/docker.
    appRoot = path.join(work, 'app');
    mkdirSync(appRoot, { recursive: true });
    cpSync(path.join(buildDir, 'dist'), path.join(appRoot, 'dist'), { recursive: true });
    symlinkSync(path.join(REPO, 'node_modules'), path.join(appRoot, 'node_modules'));
    for (const copy of copies(finalStage).filter((c) => !c.from)) {
      for (const source of copy.sources) cpSync(path.join(REPO, source), path.join(appRoot, source), { recursive: true });
    }
  }, 120_000);

  afterAll(() => rmSync(path.dirname(appRoot), { recursive: true, force: true }));

  it('has a compiled entry point for every app', () => {
    for (const app of appNames()) expect([app, existsSync(path.join(appRoot, 'dist/apps', app, 'src/main.js'))]).toEqual([app, true]);
  });

  it('needs no development dependency at run time', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const production = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set(builtinModules);
    const required = new Set<string>();
    for (const file of listFiles(path.join(appRoot, 'dist')).filter((f) => f.endsWith('.js'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
        const name = match[1].startsWith('@') ? match[1].split('/').slice(0, 2).join('/') : match[1].split('/')[0];
        if (!builtins.has(name) && !name.startsWith('node:')) required.add(name);
      }
    }
    expect([...required].filter((name) => !production.has(name))).toEqual([]);
  });

  it('starts the embedded broker as `docker run aisbf` would and answers the first call', async () => {
    const port = await freePort();
    const token = 'sk-aisbf-image-test-token-0123456789';
    const standalone = await ImageProcess.start(appRoot, ['standalone'], {
      NODE_ENV: 'production',
      NODE_OPTIONS: '--enable-source-maps',
      AISBF_PORT: String(port),
      AISBF_BOOTSTRAP_TOKEN: token,
      AISBF_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aisbf-data-')),
    });
    try {
      expect(await healthcheck(appRoot, `http://127.0.0.1:${port}/readyz`)).toBe(0);
      const reply = await firstCall(`http://127.0.0.1:${port}`, 'demo', token);
      expect(reply.status).toBe(200);
      expect(reply.body.choices[0].message.content).toContain('user-provider/demo/echo');
    } finally {
      await standalone.stop();
    }
    expect(await healthcheck(appRoot, `http://127.0.0.1:${port}/readyz`)).toBe(1);
  });

  it('refuses an unknown command with a usage message', async () => {
    const result = await ImageProcess.run(appRoot, ['edge'], {});
    expect(result.code).toBe(64);
    expect(result.output).toContain('usage: aisbf <edge-api|route-resolver|classifier|connector|standalone|migrate|cli>');
  });
});
