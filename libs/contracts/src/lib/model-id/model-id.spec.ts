import { formatModelId, parseModelId } from './model-id';

describe('model id grammar', () => {
  it('parses provider ids whose model contains slashes', () => {
    expect(parseModelId('user-provider/openrouter/meta-llama/llama-3.1-70b')).toEqual({
      kind: 'provider',
      providerId: 'openrouter',
      model: 'meta-llama/llama-3.1-70b',
    });
  });

  it('parses the seed ids', () => {
    expect(parseModelId('user-provider/coderai-local/qwen2.5-coder:32b')).toEqual({
      kind: 'provider',
      providerId: 'coderai-local',
      model: 'qwen2.5-coder:32b',
    });
    expect(parseModelId('user-rotation/coding-production')).toEqual({ kind: 'rotation', name: 'coding-production' });
    expect(parseModelId('user-autoselect/engineering')).toEqual({ kind: 'autoselect', name: 'engineering' });
  });

  it.each(['gpt-4', 'user-provider/only-provider', 'user-provider//m', 'user-rotation/', 'user-rotation/a/b', 'other/x', '/x', ''])(
    'rejects %p',
    (raw) => expect(parseModelId(raw)).toBeNull(),
  );

  it('round-trips', () => {
    for (const raw of ['user-provider/p/a/b', 'user-rotation/r', 'user-autoselect/e']) {
      const parsed = parseModelId(raw);
      expect(parsed && formatModelId(parsed)).toBe(raw);
    }
  });
});
