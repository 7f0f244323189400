#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { AisbfError, parseEnv, SUBJECTS } from '@aisbf/contracts';
import { BusClient, NatsBusTransport, natsTransportOptions } from '@aisbf/bus';
import { databaseTarget, describeTarget, openConfigBackend, openDatabase } from '@aisbf/persistence';
import { SecretBox } from '@aisbf/secrets';
import { cliEnvSchema, migrateEnvSchema } from './cli-env';
import { CliUsageError, parseArgs, runCommand, USAGE } from './cli-commands';

const log = { info: (m: string) => process.stderr.write(`${m}\n`), warn: (m: string) => process.stderr.write(`warning: ${m}\n`) };

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.words.length === 0 || args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return args.words.length === 0 && !args.flags.has('help') ? 2 : 0;
  }
  if (args.words[0] === 'migrate') {
    const target = databaseTarget(parseEnv(migrateEnvSchema, process.env), 'cli')!;
    const db = await openDatabase(target, true, log);
    await db.close();
    log.info(`database ${describeTarget(target)} is up to date`);
    return 0;
  }
  const env = parseEnv(cliEnvSchema, process.env);
  if (!env.AISBF_SECRET_KEY) throw new CliUsageError('AISBF_SECRET_KEY is required (the same as the services use): provider keys are sealed with it');
  const backend = await openConfigBackend(env, new SecretBox(env.AISBF_SECRET_KEY), process.env, { mode: 'cli', seed: false, log });
  let transport: NatsBusTransport | null = null;
  try {
    if (env.AISBF_CLI_NOTIFY === 'true') {
      transport = await NatsBusTransport.connect(natsTransportOptions({ url: env.NATS_URL, service: 'cli', user: env.NATS_USER, pass: env.NATS_PASSWORD, token: env.NATS_TOKEN }));
      const client = new BusClient(transport, env.AISBF_BUS_NAMESPACE);
      backend.database!.invalidator.setPublisher((change) => client.publish(SUBJECTS.configChanged, change));
    }
    const result = await runCommand(backend.database!, args, () => readFileSync(0, 'utf8'));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await transport?.close();
    await backend.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const message = error instanceof CliUsageError ? error.message : error instanceof AisbfError ? `${error.code}: ${error.message}` : `${(error as Error).message}`;
    process.stderr.write(`aisbf: ${message}\n`);
    process.exit(error instanceof CliUsageError ? 2 : 1);
  },
);
