import type { ClassifyMessage, PrivacySignal } from '@aisbf/contracts';
import type { PrivacyCategory, TextDetector } from './detector';
import { secretlintDetectors } from './secretlint-detectors';
import { tokenDetectors } from './token-detectors';
import { secretAssignmentDetector } from './secret-assignment-detector';
import { piiDetectors } from './pii-detectors';
import { nationalIdDetectors } from './national-id-detectors';
import { customerDataDetectors } from './customer-data-detectors';
import { markerDetector } from './marker-detector';

/** Enough to explain a decision; a conversation full of keys does not need each one listed. */
export const MAX_SIGNALS = 64;

export const BUILTIN_DETECTORS: readonly TextDetector[] = [
  secretlintDetectors,
  tokenDetectors,
  secretAssignmentDetector,
  piiDetectors,
  nationalIdDetectors,
  customerDataDetectors,
  markerDetector,
];

/**
 * Runs every detector over every message (tool results and tool-call arguments included) and
 * returns where each fired. `messageOffset` is the conversation index of `messages[0]`.
 */
export function scanConversation(
  messages: readonly ClassifyMessage[],
  messageOffset = 0,
  extra: readonly TextDetector[] = [],
): PrivacySignal[] {
  const signals: PrivacySignal[] = [];
  const seen = new Set<string>();
  const detectors = extra.length > 0 ? [...BUILTIN_DETECTORS, ...extra] : BUILTIN_DETECTORS;
  messages.forEach((message, index) => {
    if (!message.content) return;
    const messageIndex = messageOffset + index;
    const emit = (detector: string, category: PrivacyCategory, start: number, end: number) => {
      if (signals.length >= MAX_SIGNALS) return;
      const key = `${detector}:${start}`;
      if (seen.has(key)) return;
      seen.add(key);
      signals.push({ detector, category, messageIndex, start, end });
    };
    for (const detector of detectors) detector.scan(message.content, emit);
    seen.clear();
  });
  return signals;
}
