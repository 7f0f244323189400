import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConfigDocumentKind } from '@aisbf/routing';
import { ConfigDatabase, usernameSchema } from '@aisbf/persistence';

export const USAGE = `usage: aisbf <command>
  migrate                                     apply pending database migrations (a Kubernetes Job)
  user create <username> [--role admin|user] [--password-stdin]
  user list
  user disable <username> | user enable <username>
  token issue <username> [--name NAME] [--expires-in-days N]    prints the token once
  token list <username>
  token revoke <username> <token-id>
  config export <username>                    {"providers":{...},"rotations":{...},"autoselect":{...}} (keys masked)
  config import <username> <file.json>        the same shape; each document present replaces the stored one

Storage: DATABASE_URL (mysql://...) or the embedded SQLite under AISBF_DATA_DIR (stop the embedded server first).`;

export interface ParsedArgs {
  words: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') && name !== 'password-stdin') flags.set(name, argv[++i]);
    else flags.set(name, true);
  }
  return { words, flags };
}

export class CliUsageError extends Error {}

function need(value: string | undefined, what: string): string {
  if (!value) throw new CliUsageError(`missing ${what}\n\n${USAGE}`);
  return value;
}

function username(value: string | undefined): string {
  const parsed = usernameSchema.safeParse(need(value, '<username>'));
  if (!parsed.success) throw new CliUsageError(parsed.error.issues[0].message);
  return parsed.data;
}

const KINDS: ConfigDocumentKind[] = ['providers', 'rotations', 'autoselect'];
const importSchema = z.object({ providers: z.unknown().optional(), rotations: z.unknown().optional(), autoselect: z.unknown().optional() }).strict();

/** Runs one user/token/config command against the database; returns what to print. */
export async function runCommand(database: ConfigDatabase, args: ParsedArgs, readStdin: () => string): Promise<unknown> {
  const [group, action, ...rest] = args.words;
  const flag = (name: string) => {
    const value = args.flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  switch (`${group} ${action}`) {
    case 'user create': {
      const role = flag('role') ?? 'user';
      if (role !== 'admin' && role !== 'user') throw new CliUsageError('--role is admin or user');
      const password = args.flags.has('password-stdin') ? readStdin().replace(/\r?\n$/, '') : undefined;
      return database.accounts.createUser({ username: username(rest[0]), role, password });
    }
    case 'user list':
      return database.accounts.listUsers();
    case 'user disable':
    case 'user enable':
      return database.accounts.updateUser(username(rest[0]), { disabled: action === 'disable' });
    case 'token issue': {
      const days = flag('expires-in-days');
      if (days !== undefined && !/^\d+$/.test(days)) throw new CliUsageError('--expires-in-days is a whole number of days');
      const expiresAt = days ? new Date(Date.now() + Number(days) * 86_400_000) : null;
      return database.accounts.issueToken(username(rest[0]), { name: flag('name') ?? 'cli', expiresAt });
    }
    case 'token list':
      return database.accounts.listTokens(username(rest[0]));
    case 'token revoke':
      return database.accounts.revokeToken(username(rest[0]), need(rest[1], '<token-id>'));
    case 'config export': {
      const user = username(rest[0]);
      const out: Record<string, unknown> = {};
      for (const kind of KINDS) {
        const body = (await database.writer.getDocument(user, kind)).body;
        out[kind] = kind === 'autoselect' ? body : body[kind];
      }
      return out;
    }
    case 'config import': {
      const user = username(rest[0]);
      const file = need(rest[1], '<file.json>');
      const parsed = importSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw new CliUsageError(`${file}: expected {"providers":{...},"rotations":{...},"autoselect":{...}}`);
      const versions: Record<string, number> = {};
      // Providers first: rotations and autoselects refer to them.
      for (const kind of KINDS) {
        const document = parsed.data[kind];
        if (document === undefined) continue;
        versions[kind] = (await database.writer.putDocument(user, kind, kind === 'autoselect' ? document : { [kind]: document }, {})).version;
      }
      return { imported: versions };
    }
    default:
      throw new CliUsageError(USAGE);
  }
}
