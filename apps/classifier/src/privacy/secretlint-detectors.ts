import type { SignalSink, TextDetector } from './detector';

/**
 * secretlint's recommended rule set (AWS, GCP, GitHub, Slack, npm, OpenAI, Anthropic, SendGrid,
 * Shopify, Linear, 1Password, private keys, basic auth, database connection strings), run on
 * each message. The translator hands back the rule's message key, so the secret the rule puts in
 * its human message never leaves the rule.
 */
const DETECTOR_NAMES: Record<string, string> = {
  AWSAccessKeyID: 'aws_access_key',
  AWSSecretAccessKey: 'aws_secret_key',
  AWSAccountID: 'aws_account_id',
  PrivateKeyJSON: 'gcp_service_account_key',
  PrivateKeyP12: 'gcp_service_account_key',
  PackageJSON_xOauthToken: 'npm_token',
  Npmrc_authToken: 'npm_token',
  NPM_ACCESS_TOKEN: 'npm_token',
  SLACK_TOKEN: 'slack_token',
  IncomingWebhook: 'slack_webhook',
  BasicAuth: 'basic_auth_credentials',
  OPENAI_TOKEN: 'openai_api_key',
  ANTHROPIC_API_KEY: 'anthropic_api_key',
  LINEAR_API_TOKEN: 'linear_api_key',
  PrivateKey: 'private_key',
  SENDGRID_KEY: 'sendgrid_api_key',
  SHOPIFY_KEY: 'shopify_token',
  GITHUB_TOKEN: 'github_token',
  OPS_TOKEN: 'onepassword_token',
  MongoDBConnection: 'database_connection_string',
  MySQLConnection: 'database_connection_string',
  PostgreSQLConnection: 'database_connection_string',
};

/** Findings that are a login (user and password) rather than a key. */
const CREDENTIALS = new Set(['basic_auth_credentials', 'database_connection_string']);

/** Rules that need a file on disk or judge repository layout, not text. */
const SKIPPED_RULES = new Set(['@secretlint/secretlint-rule-filter-comments']);

/**
 * What a rule's patterns cannot match without: a rule whose hint is absent from a message is not
 * run on it (the AWS rule's optional-prefix patterns are otherwise tried at every position).
 */
const RULE_HINTS: Record<string, RegExp> = {
  '@secretlint/secretlint-rule-aws': /A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|[Ss]ecret_?[Aa]ccess|SECRET_?ACCESS|[Aa]ccount|ACCOUNT/,
  '@secretlint/secretlint-rule-database-connection-string': /:\/\//,
};

const RULE_OPTIONS: Record<string, unknown> = {
  '@secretlint/secretlint-rule-aws': { enableIDScanRule: true },
};

interface FileHandler {
  hint?: RegExp;
  file?: (source: { content: string; contentType: 'text'; filePath?: string; ext: string }) => unknown;
}

interface Report {
  message: unknown;
  range: readonly [number, number];
}

/**
 * Rules are created on the first scan (a process whose policies never classify does not load
 * them); the current sink is swapped per scan (scans are synchronous).
 */
class SecretlintDetectors implements TextDetector {
  readonly name = 'secretlint';
  private sink: SignalSink | null = null;
  private handlers: FileHandler[] | null = null;

  private createHandlers(): FileHandler[] {
    const { rules } = require('@secretlint/secretlint-rule-preset-recommend') as typeof import('@secretlint/secretlint-rule-preset-recommend');
    const context = {
      report: (report: Report) => {
        const key = typeof report.message === 'string' ? report.message : 'secret';
        const name = DETECTOR_NAMES[key] ?? key.toLowerCase();
        this.sink?.(name, CREDENTIALS.has(name) ? 'credential' : 'secret', report.range[0], report.range[1]);
      },
      createTranslator: () => (key: string) => key,
      ignore: () => undefined,
    };
    return rules
      .filter((rule) => !SKIPPED_RULES.has(rule.meta.id))
      .map((rule) => ({
        ...(rule.create as (c: unknown, o: unknown) => FileHandler)(context, RULE_OPTIONS[rule.meta.id] ?? {}),
        hint: RULE_HINTS[rule.meta.id],
      }));
  }

  scan(text: string, emit: SignalSink): void {
    this.handlers ??= this.createHandlers();
    this.sink = emit;
    try {
      for (const handler of this.handlers) {
        if (handler.hint && !handler.hint.test(text)) continue;
        // A rule's promise (the P12 check) only does work for files on disk: none here.
        const result = handler.file?.({ content: text, contentType: 'text', ext: '' });
        if (result instanceof Promise) result.catch(() => undefined);
      }
    } finally {
      this.sink = null;
    }
  }
}

export const secretlintDetectors: TextDetector = new SecretlintDetectors();
