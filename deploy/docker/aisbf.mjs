// The image's entrypoint: `aisbf <service> [args...]` runs one AISBF service in this very process
// (no wrapper process, so signals reach the service directly).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Service name -> compiled entry point and the arguments it is started with. */
export const COMMANDS = {
  'edge-api': { main: 'dist/apps/edge-api/src/main.js', args: [] },
  'route-resolver': { main: 'dist/apps/route-resolver/src/main.js', args: [] },
  classifier: { main: 'dist/apps/classifier/src/main.js', args: [] },
  connector: { main: 'dist/apps/connector/src/main.js', args: [] },
  standalone: { main: 'dist/apps/standalone/src/main.js', args: [] },
  // Database schema migrations, run once per release (compose one-shot service, Helm hook Job).
  migrate: { main: 'dist/apps/cli/src/main.js', args: ['migrate'] },
  cli: { main: 'dist/apps/cli/src/main.js', args: [] },
};

function usage() {
  return `usage: aisbf <${Object.keys(COMMANDS).join('|')}> [args...]`;
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  const [name, ...rest] = process.argv.slice(2);
  const command = Object.hasOwn(COMMANDS, name ?? '') ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(name ? `aisbf: unknown command '${name}'\n${usage()}` : usage());
    process.exit(64);
  }
  const main = path.join(root, command.main);
  if (!existsSync(main)) {
    console.error(`aisbf: ${name} is not part of this build (${command.main} is missing)`);
    process.exit(69);
  }
  // The service sees the same argv as with `node <main> [args]`.
  process.argv = [process.argv[0], main, ...command.args, ...rest];
  await import(pathToFileURL(main).href);
}
