import type { PrivacySignal } from '@aisbf/contracts';

interface Detector {
  name: string;
  category: PrivacySignal['category'];
  pattern: RegExp;
}

/** Deterministic detectors for data that must not leave private routes. */
export const PRIVACY_DETECTORS: Detector[] = [
  { name: 'aws_access_key', category: 'secret', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { name: 'private_key', category: 'secret', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g },
  { name: 'jwt', category: 'credential', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { name: 'email', category: 'pii', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  {
    name: 'secret_assignment',
    category: 'credential',
    pattern: /\b[A-Za-z0-9_]*(?:PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PASSWD)[A-Za-z0-9_]*\s*[:=]\s*\S{6,}/gi,
  },
  { name: 'confidential_marker', category: 'marker', pattern: /\b(?:confidential|internal only|under NDA)\b/gi },
];

export function scanMessages(messages: Array<{ content: string }>): PrivacySignal[] {
  const signals: PrivacySignal[] = [];
  messages.forEach((message, messageIndex) => {
    for (const detector of PRIVACY_DETECTORS) {
      for (const match of message.content.matchAll(detector.pattern)) {
        const start = match.index ?? 0;
        signals.push({ detector: detector.name, category: detector.category, messageIndex, start, end: start + match[0].length });
      }
    }
  });
  return signals;
}
