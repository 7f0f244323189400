/**
 * Finds secrets in what AISBF processes printed. A test stack registers every secret it knows of
 * (its own, the configuration's, and the ones a test adds at run time, prompt canaries included);
 * any issued AISBF token is caught by its shape even when nobody registered it.
 * Findings name the kind of secret and where it was printed, never the secret itself.
 */

/** What `generateApiToken` issues (libs/secrets): `sk-aisbf-` and 32 base64url characters. */
export const ISSUED_TOKEN_PATTERN = /sk-aisbf-[A-Za-z0-9_-]{20,}/g;

/**
 * The embedded mode's first start prints its generated token once, on the terminal, for the user to
 * copy (README, Quick start). That banner is the product working as documented, not a log line.
 */
const BOOTSTRAP_BANNER_LINE = /^ {2}(AISBF is running on |API token for user '[^']+' \(shown once\): |Try: curl )|^ {9}-[Hd] /;

/** Configuration keys whose values are secrets, wherever they appear in a configuration document. */
const SECRET_KEYS = new Set(['api_key', 'token', 'tokens', 'password', 'secret']);

/** Environment variables whose values are secrets. */
const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|API_KEY)/;

/** Shorter values would match ordinary text by chance; every real secret here is longer. */
const MIN_SECRET_LENGTH = 8;

export interface ProcessOutput {
  service: string;
  text: string;
}

export interface SecretFinding {
  kind: string;
  service: string;
  /** 1-based line of that process's output. */
  line: number;
}

export class LogSecretScan {
  private readonly secrets = new Map<string, string>();

  /** Registers one secret; the kind is what a finding reports instead of the value. */
  register(value: string | undefined | null, kind: string): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.set(value, kind);
  }

  /** Every token, key and password of a declarative configuration (AISBF_CONFIG). */
  registerConfig(config: unknown, env: Record<string, string> = {}): void {
    const visit = (node: unknown, key: string | null): void => {
      if (typeof node === 'string') {
        if (key && SECRET_KEYS.has(key)) this.register(node, `configuration ${key}`);
        if (key === 'api_key_env') this.register(env[node], `provider key (env ${node})`);
        return;
      }
      if (Array.isArray(node)) return node.forEach((item) => visit(item, key));
      if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
    };
    visit(config, null);
  }

  /** Secret-looking variables of an environment (`*_TOKEN`, `*_SECRET_*`, passwords, keys). */
  registerEnv(env: Record<string, string>): void {
    for (const [name, value] of Object.entries(env)) if (SECRET_ENV.test(name)) this.register(value, `env ${name}`);
  }

  /** The password of a `scheme://user:password@host` URL. */
  registerUrlPassword(raw: string | null | undefined, kind: string): void {
    if (!raw) return;
    try {
      this.register(decodeURIComponent(new URL(raw).password), kind);
    } catch {
      // not a URL: nothing to register
    }
  }

  get size(): number {
    return this.secrets.size;
  }

  scan(outputs: ProcessOutput[]): SecretFinding[] {
    const findings: SecretFinding[] = [];
    for (const { service, text } of outputs) {
      text.split('\n').forEach((content, index) => {
        if (BOOTSTRAP_BANNER_LINE.test(content)) return;
        const kinds = new Set<string>();
        for (const [value, kind] of this.secrets) if (content.includes(value)) kinds.add(kind);
        if (content.match(ISSUED_TOKEN_PATTERN)) kinds.add('issued API token (sk-aisbf-…)');
        for (const kind of kinds) findings.push({ kind, service, line: index + 1 });
      });
    }
    return findings;
  }
}

/** One line per finding, safe to print: kinds and places only. */
export function describeFindings(findings: SecretFinding[]): string {
  return findings.map((f) => `${f.kind} in ${f.service} output, line ${f.line}`).join('\n');
}
