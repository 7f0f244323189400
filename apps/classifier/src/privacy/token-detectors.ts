import type { PrivacyCategory, SignalSink, TextDetector } from './detector';
import { characterClasses, shannonEntropy } from './entropy';

interface TokenRule {
  name: string;
  category: PrivacyCategory;
  /** Cheap test before the regular expression runs over the whole text. */
  hint: string | RegExp;
  pattern: RegExp;
  /** A second look at the match (structure, checksum) before it counts. */
  check?: (match: string) => boolean;
}

function decodesToJsonWith(segment: string, key: string): boolean {
  try {
    const decoded = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof decoded === 'object' && decoded !== null && key in decoded;
  } catch {
    return false;
  }
}

/**
 * Distinctive token shapes that secretlint's recommended set does not cover (following the
 * prefixes gitleaks uses), plus shapes it deliberately skips: the AWS documentation key id, PEM
 * blocks whose body is elided, JSON Web Tokens.
 */
const TOKEN_RULES: TokenRule[] = [
  { name: 'aws_access_key', category: 'secret', hint: /A3T|AKIA|ASIA|ABIA|ACCA/, pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g },
  {
    name: 'private_key',
    category: 'secret',
    hint: 'PRIVATE KEY',
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:\\n|\s){0,4}[A-Za-z0-9+/=]{16}/g,
  },
  {
    name: 'jwt',
    category: 'credential',
    hint: 'eyJ',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    check: (match) => decodesToJsonWith(match.slice(0, match.indexOf('.')), 'alg'),
  },
  { name: 'stripe_key', category: 'secret', hint: /[sr]k_(?:live|test)_/, pattern: /\b[sr]k_(?:live|test)_[0-9a-zA-Z]{20,99}\b/g },
  { name: 'gitlab_token', category: 'secret', hint: 'glpat-', pattern: /\bglpat-[0-9a-zA-Z_-]{20,}\b/g },
  { name: 'huggingface_token', category: 'secret', hint: 'hf_', pattern: /\bhf_[A-Za-z]{34}\b/g },
  { name: 'google_api_key', category: 'secret', hint: 'AIza', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    name: 'openai_api_key',
    category: 'secret',
    hint: 'sk-',
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
    check: (match) => characterClasses(match) === 3 && shannonEntropy(match) > 4,
  },
  { name: 'anthropic_api_key', category: 'secret', hint: 'sk-ant-', pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{40,}/g },
  { name: 'github_token', category: 'secret', hint: /gh[pousr]_|github_pat_/, pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g },
  { name: 'slack_token', category: 'secret', hint: 'xox', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'azure_storage_key', category: 'secret', hint: 'AccountKey=', pattern: /AccountKey=[A-Za-z0-9+/]{40,}={0,2}/g },
  { name: 'twilio_api_key', category: 'secret', hint: 'SK', pattern: /\bSK[0-9a-f]{32}\b/g },
  { name: 'digitalocean_token', category: 'secret', hint: /do[opr]_v1_/, pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { name: 'sendgrid_api_key', category: 'secret', hint: 'SG.', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { name: 'telegram_bot_token', category: 'secret', hint: /\d:AA/, pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/g },
  { name: 'npm_token', category: 'secret', hint: 'npm_', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'pypi_token', category: 'secret', hint: 'pypi-', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
  {
    name: 'bearer_token',
    category: 'credential',
    hint: /bearer/i,
    pattern: /\b[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}=*/g,
    check: (match) => {
      const token = match.replace(/^[Bb]earer\s+/, '');
      return characterClasses(token) >= 2 && /[0-9]/.test(token) && shannonEntropy(token) > 3.5;
    },
  },
];

export const tokenDetectors: TextDetector = {
  name: 'tokens',
  scan(text: string, emit: SignalSink): void {
    for (const rule of TOKEN_RULES) {
      if (typeof rule.hint === 'string' ? !text.includes(rule.hint) : !rule.hint.test(text)) continue;
      for (const match of text.matchAll(rule.pattern)) {
        if (rule.check && !rule.check(match[0])) continue;
        const start = match.index ?? 0;
        emit(rule.name, rule.category, start, start + match[0].length);
      }
    }
  },
};
