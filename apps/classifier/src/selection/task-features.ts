import type { ClassifyMessage } from '@aisbf/contracts';

/** The shape of a task, as far as routing cares: how big, how much code, how it is asked. */
export interface TaskFeatures {
  /** Rough token count of the whole conversation (4 characters a token). */
  tokens: number;
  messages: number;
  /** Tokens of the latest user message. */
  lastUserTokens: number;
  code: boolean;
  /** The latest user message is a short question. */
  shortQuestion: boolean;
}

const CODE_LINE = /^\s*(?:[{}()[\];]|(?:def|class|function|const|let|var|import|export|return|public|private|fn|func|package|#include)\b|.*[;{]\s*$|.*=>)/;

function looksLikeCode(text: string): boolean {
  if (text.includes('```')) return true;
  const lines = text.split('\n', 200);
  if (lines.length < 3) return false;
  let code = 0;
  for (const line of lines) if (CODE_LINE.test(line)) code++;
  return code >= 3 && code / lines.length > 0.25;
}

export function taskFeatures(messages: readonly ClassifyMessage[]): TaskFeatures {
  let chars = 0;
  let code = false;
  let lastUser = '';
  for (const message of messages) {
    chars += message.content.length;
    if (message.role === 'user') lastUser = message.content;
    if (!code && message.role !== 'system' && looksLikeCode(message.content)) code = true;
  }
  const lastUserTokens = Math.ceil(lastUser.length / 4);
  return {
    tokens: Math.ceil(chars / 4),
    messages: messages.length,
    lastUserTokens,
    code,
    shortQuestion: lastUserTokens < 60 && /\?\s*$/.test(lastUser),
  };
}

/** Terms the shape of the task adds to its words, with their weight. */
export function featureTerms(features: TaskFeatures, isPrivate: boolean): Array<[string, number]> {
  const terms: Array<[string, number]> = [];
  const large = features.tokens > 1500 || features.messages > 12;
  const small = features.tokens < 250 && features.messages <= 4 && !features.code;
  if (large) terms.push(['large', 2], ['refactor', 0.5]);
  if (small) terms.push(['fast', 1.5], ['cheap', 1], ['general', 1]);
  if (features.shortQuestion) terms.push(['fast', 1], ['general', 0.5]);
  if (features.code) terms.push(['code', 1]);
  terms.push(isPrivate ? ['private', 2] : ['not_private', 1]);
  return terms;
}
