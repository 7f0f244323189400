import type { SignalSink, TextDetector } from './detector';
import { characterClasses, shannonEntropy } from './entropy';

/** Words that make a name secret-like: `DB_PASSWORD`, `stripeApiKey`, `client_secret`, `auth-token`. */
const SECRET_WORD_SOURCE = 'pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|signing[_-]?key|encryption[_-]?key|master[_-]?key';
const SECRET_WORD = new RegExp(SECRET_WORD_SOURCE, 'gi');
/** The same words over a lower-cased copy: a case-sensitive search is several times faster. */
const SECRET_WORD_LOWER = new RegExp(SECRET_WORD_SOURCE, 'g');

/** Names built on a secret word that hold no secret: `max_tokens`, `password_min_length`, `token_url`. */
const NOT_A_SECRET_NAME =
  /(?:^|[_.-])(?:count|length|len|type|url|uri|endpoint|name|path|file|policy|expiry|expires|ttl|timeout|header|field|limit|size|regex|pattern|prompt|label|placeholder|hint|format|reset|rotation|strength|required|enabled|store|manager|provider|usage|budget|estimate|encoding|id)s?$|^(?:max|min|num|n|total|input|output|completion|prompt)[_-]?|tokeni[sz]er|(?:^|[^a-z])tokens$/i;

/** Values that are not a secret: references, type names, placeholders, booleans, numbers. */
const REFERENCE = /^(?:\$|%\(|\{\{|<|process\.env|os\.environ|os\.getenv|getenv|env\(|ENV\[|System\.getenv|secrets\.|vault:|config\.|settings\.|self\.|this\.|props\.|ref\()/;
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|#+|changeme|change[_-]?me|password|secret|token|example|placeholder|redacted|hidden|masked|null|nil|none|undefined|true|false|todo|dummy|test|foo|bar|baz|string|str|number|int|bool|boolean|any|optional|required|text)$/i;
const PLACEHOLDER_PART = /example|your[_-]|placeholder|changeme|<[^>]*>|\.\.\.|xxxx|\*\*\*/i;

const IDENT_CHAR = /[A-Za-z0-9_.-]/;
/** After the name: optional closing quote, an assignment (`=`, `:`, `:=`, `=>`, `==`), an optional opening quote, the value. */
const ASSIGNMENT = /["']?[ \t]*(:=|=>|==?|:)[ \t]*(["'`]?)([^\s"'`,;]{1,200})/y;
const CLI_FLAG = /--?(?:password|passwd|token|api-key|secret|client-secret)[ =](["']?)([^\s"']{4,200})/gi;
/** Calls that take a login positionally: `new PDO(dsn, 'user', 'pass')`, `getConnection(url, user, "pass")`. */
const CREDENTIAL_CALL = /\b(?:PDO|mysqli|mysql_connect|pg_connect|getConnection|createConnection|connect|login|authenticate|auth|ftp_login|ldap_bind)\s*\(([^()\n]{0,300})\)/g;
const STRING_LITERAL = /(["'])([^"'\s]{8,64})\1/g;

/** A literal shaped like a password: letters and digits with a symbol or mixed case; not a host, path, URL or DSN. */
function looksLikePassword(value: string): boolean {
  if (/[/:=.@]/.test(value) || PLACEHOLDER_PART.test(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return (/[^A-Za-z0-9]/.test(value) || characterClasses(value) === 3) && shannonEntropy(value) > 2.8;
}

/** Characters of keys and tokens (base64, base64url, hex): a table, so runs are found in one linear pass. */
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-') KEY_CHAR[c.charCodeAt(0)] = 1;
const MIN_KEY_RUN = 20;

/** Start and end of every run of key characters at least MIN_KEY_RUN long. */
function* keyRuns(text: string): Generator<[number, number]> {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (code < 128 && KEY_CHAR[code] === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= MIN_KEY_RUN) yield [start, i];
      start = -1;
    }
  }
}
const SECRET_CONTEXT = /key|token|secret|pass|credential|auth|bearer|signature|api/i;

function looksLikeSecretValue(value: string, quoted: boolean, envLine: boolean): boolean {
  if (value.length < 6 && !(envLine && value.length >= 4)) return false;
  if (REFERENCE.test(value) || PLACEHOLDER.test(value) || PLACEHOLDER_PART.test(value)) return false;
  if (/^[0-9.]+$/.test(value)) return false;
  if (/^(.)\1+$/.test(value)) return false;
  if (quoted || envLine) return true;
  // Unquoted in code: `password = getPassword()` or `token: string` is an expression, not a value.
  if (/[()[\]{}]/.test(value) || /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value)) return false;
  return /[0-9]/.test(value) || characterClasses(value) >= 2 || /[^A-Za-z0-9]/.test(value);
}

function identifierBounds(text: string, start: number, end: number): [number, number] {
  let a = start;
  let b = end;
  while (a > 0 && IDENT_CHAR.test(text[a - 1])) a--;
  while (b < text.length && IDENT_CHAR.test(text[b])) b++;
  return [a, b];
}

/** `DB_PASSWORD=...` at the start of a line (optionally `export`): a `.env` or shell assignment, whose values are bare. */
function isEnvLine(text: string, nameStart: number, name: string, operator: string): boolean {
  if (operator !== '=' || !/^[A-Z][A-Z0-9_]*$/.test(name)) return false;
  const lineStart = text.lastIndexOf('\n', nameStart - 1) + 1;
  return /^\s*(?:export\s+|set\s+|ENV\s+)?$/.test(text.slice(lineStart, nameStart));
}

/**
 * Secrets assigned to secret-looking names (`.env` lines, YAML/JSON keys, code literals, CLI
 * flags), and high-entropy strings right after a secret-like word.
 */
export const secretAssignmentDetector: TextDetector = {
  name: 'secret_assignment',
  scan(text: string, emit: SignalSink): void {
    let lastEnd = -1;
    const lower = text.toLowerCase();
    // Lower-casing keeps offsets only when no character changes length (it does for a few, like İ).
    const words = lower.length === text.length ? lower.matchAll(SECRET_WORD_LOWER) : text.matchAll(SECRET_WORD);
    for (const word of words) {
      const wordStart = word.index ?? 0;
      if (wordStart < lastEnd) continue;
      const [nameStart, nameEnd] = identifierBounds(text, wordStart, wordStart + word[0].length);
      lastEnd = nameEnd;
      const name = text.slice(nameStart, nameEnd).replace(/^[-.]+/, '');
      if (NOT_A_SECRET_NAME.test(name)) continue;
      ASSIGNMENT.lastIndex = nameEnd;
      const assignment = ASSIGNMENT.exec(text);
      if (!assignment) continue;
      const [, operator, quote, value] = assignment;
      const valueStart = ASSIGNMENT.lastIndex - value.length;
      if (!looksLikeSecretValue(value, quote !== '', isEnvLine(text, nameStart, name, operator))) continue;
      emit('secret_assignment', 'credential', valueStart, valueStart + value.length);
      lastEnd = valueStart + value.length;
    }
    if (text.includes('--') || text.includes(' -')) {
      for (const flag of text.matchAll(CLI_FLAG)) {
        const value = flag[2];
        if (!looksLikeSecretValue(value, flag[1] !== '', false)) continue;
        const start = (flag.index ?? 0) + flag[0].length - value.length;
        emit('secret_cli_flag', 'credential', start, start + value.length);
      }
    }
    if (text.includes('(')) {
      for (const call of text.matchAll(CREDENTIAL_CALL)) {
        const argsStart = (call.index ?? 0) + call[0].indexOf('(') + 1;
        for (const literal of call[1].matchAll(STRING_LITERAL)) {
          if (!looksLikePassword(literal[2])) continue;
          const start = argsStart + (literal.index ?? 0) + 1;
          emit('credential_argument', 'credential', start, start + literal[2].length);
        }
      }
    }
    for (const [start, end] of keyRuns(text)) {
      const value = text.slice(start, end);
      if (characterClasses(value) < 2 || !/[0-9]/.test(value) || shannonEntropy(value) < 3.6) continue;
      const context = text.slice(Math.max(0, start - 40), start);
      if (!SECRET_CONTEXT.test(context)) continue;
      // A git or SHA-256 digest (40/64 hex) names content; it unlocks nothing.
      if (/^[0-9a-f]+$/.test(value) && (value.length === 40 || value.length === 64)) continue;
      // A path, a URL or a dotted identifier is not a key.
      if (/[/.]/.test(value) && /^[A-Za-z0-9_-]+(?:[/.][A-Za-z0-9_-]+)+$/.test(value) && !/[+=]/.test(value)) continue;
      emit('high_entropy_secret', 'secret', start, end);
    }
  },
};
