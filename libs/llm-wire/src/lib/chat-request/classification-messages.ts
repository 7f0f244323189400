import type { ClassifyMessage } from '@aisbf/contracts';
import type { ChatCompletionRequest } from './chat-request.schema';

function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content as Array<Record<string, unknown>>) {
    if (typeof part.text === 'string') texts.push(part.text);
    else if (typeof part.refusal === 'string') texts.push(part.refusal);
  }
  return texts.join('\n');
}

/**
 * All the text of each message that a privacy policy must see: content, tool results, and the
 * arguments of tool calls (which often carry what a tool read from a file or a database).
 * Images, audio and files are not text and are left out.
 */
export function classificationMessages(body: ChatCompletionRequest): ClassifyMessage[] {
  return body.messages.map((message) => {
    const m = message as Record<string, unknown>;
    const texts = [partsText(m.content)];
    const calls = (m.tool_calls as Array<{ function?: { name?: string; arguments?: string } }> | undefined) ?? [];
    for (const call of calls) if (call.function?.arguments) texts.push(call.function.arguments);
    const legacy = m.function_call as { arguments?: string } | null | undefined;
    if (legacy?.arguments) texts.push(legacy.arguments);
    return { role: String(m.role), content: texts.filter(Boolean).join('\n') };
  });
}
