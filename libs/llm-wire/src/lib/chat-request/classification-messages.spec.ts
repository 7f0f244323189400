import { chatCompletionRequestSchema } from './chat-request.schema';
import { classificationMessages } from './classification-messages';

describe('classification messages', () => {
  it('keeps text parts, tool results and tool-call arguments, in conversation order', () => {
    const body = chatCompletionRequestSchema.parse({
      model: 'user-autoselect/engineering',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'be brief' }] },
        { role: 'user', content: [{ type: 'text', text: 'look at this' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":".env"}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'DB_PASSWORD=s3cr3t-value-42' },
      ],
    });
    expect(classificationMessages(body)).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'look at this' },
      { role: 'assistant', content: '{"path":".env"}' },
      { role: 'tool', content: 'DB_PASSWORD=s3cr3t-value-42' },
    ]);
  });
});
