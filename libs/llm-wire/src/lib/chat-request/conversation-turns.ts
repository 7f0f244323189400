import type { ChatCompletionRequest } from './chat-request.schema';
import { contentText, parseToolArguments, rejectUnsupported } from './openai-message-parts';

export interface ConversationTurn<Item> {
  role: 'user' | 'assistant';
  items: Item[];
}

/** How one wire writes the pieces of a conversation. */
export interface TurnWriter<Item> {
  text(text: string): Item;
  userContent(content: unknown, messageIndex: number): Item[];
  toolCall(call: { id: string; name: string; args: Record<string, unknown> }): Item;
  toolResult(result: { toolCallId: string; text: string }, messageIndex: number): Item;
}

/**
 * OpenAI messages as the strictly alternating turns of block-based wires (Anthropic, Gemini):
 * system and developer messages are collected apart, an assistant turn holds its text and tool
 * calls, tool results join the next user turn, and consecutive turns of one role are merged.
 */
export function conversationTurns<Item>(
  body: ChatCompletionRequest,
  wire: string,
  writer: TurnWriter<Item>,
): { system: string; turns: Array<ConversationTurn<Item>> } {
  const system: string[] = [];
  const turns: Array<ConversationTurn<Item>> = [];
  const append = (role: ConversationTurn<Item>['role'], items: Item[]) => {
    if (items.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.items.push(...items);
    else turns.push({ role, items });
  };

  body.messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(contentText(message.content));
        break;
      case 'user':
        append('user', writer.userContent(message.content, index));
        break;
      case 'assistant': {
        const text = contentText(message.content);
        const items = text ? [writer.text(text)] : [];
        (message.tool_calls ?? []).forEach((call, callIndex) => {
          const args = parseToolArguments(call.function.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`);
          items.push(writer.toolCall({ id: call.id, name: call.function.name, args }));
        });
        append('assistant', items);
        break;
      }
      case 'tool':
        append('user', [writer.toolResult({ toolCallId: message.tool_call_id, text: contentText(message.content) }, index)]);
        break;
      case 'function':
        rejectUnsupported(wire, "legacy 'function' messages (use tool messages)", `messages[${index}].role`);
    }
  });
  return { system: system.filter(Boolean).join('\n\n'), turns };
}
