// Starts the four services as separate processes against NATS (NATS_URL, default nats://127.0.0.1:4222),
// prefixing each log line with the service name. Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const services = ['route-resolver', 'classifier', 'connector', 'edge-api'];
const env = { ...process.env };
if (!env.AISBF_SECRET_KEY) {
  env.AISBF_SECRET_KEY = randomBytes(32).toString('base64url');
  console.log('AISBF_SECRET_KEY not set: using a random key for this run');
}
if (!env.AISBF_CONFIG && !env.AISBF_BOOTSTRAP_TOKEN) {
  env.AISBF_BOOTSTRAP_TOKEN = `sk-aisbf-${randomBytes(24).toString('base64url')}`;
  console.log(`no AISBF_CONFIG: bootstrap user '${env.AISBF_BOOTSTRAP_USER ?? 'demo'}' with token ${env.AISBF_BOOTSTRAP_TOKEN}`);
}

const children = services.map((service) => {
  const child = spawn(process.execPath, ['--enable-source-maps', `dist/apps/${service}/src/main.js`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (data) => {
      for (const line of String(data).split('\n')) if (line) console.log(`[${service}] ${line}`);
    });
  }
  child.on('exit', (code, signal) => {
    console.log(`[${service}] exited (${signal ?? code})`);
    if (!stopping) stop(1);
  });
  return child;
});

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
