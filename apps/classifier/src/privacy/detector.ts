import type { PrivacySignal } from '@aisbf/contracts';

export type PrivacyCategory = PrivacySignal['category'];

/** Receives one finding: which detector, what kind of data, and where in the text (never the text). */
export type SignalSink = (detector: string, category: PrivacyCategory, start: number, end: number) => void;

/** One family of deterministic checks over the text of one message. */
export interface TextDetector {
  readonly name: string;
  scan(text: string, emit: SignalSink): void;
}
