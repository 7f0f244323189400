import { createHash } from 'node:crypto';

/**
 * Keys of a conversation and of each of its prefixes: key[i] covers messages 0..i. A later turn
 * of the same conversation repeats the earlier messages, so it finds the earlier turn's decision
 * under one of its prefix keys. Keys are hashes: no text is stored in them.
 */
export function conversationKeys(scope: string, messages: ReadonlyArray<{ role: string; content: string }>): string[] {
  const keys: string[] = [];
  let previous = createHash('sha256').update(scope).digest('hex');
  for (const message of messages) {
    previous = createHash('sha256').update(previous).update('\u0000').update(message.role).update('\u0000').update(message.content).digest('hex');
    keys.push(previous);
  }
  return keys;
}

/** A stable digest of a policy and of what it depends on, so a configuration change starts afresh. */
export function policyFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
