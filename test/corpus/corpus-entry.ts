/** Where the seed's `engineering` policy should send a prompt. */
export type ExpectedRoute = 'private' | 'gpu' | 'hosted';

export type CorpusCategory =
  | 'code_secret'
  | 'code_clean'
  | 'log_personal'
  | 'log_clean'
  | 'ticket_personal'
  | 'ticket_clean'
  | 'customer_data'
  | 'pii_prose'
  | 'marker'
  | 'tool_result'
  | 'question'
  | 'refactor'
  | 'lookup';

export interface CorpusEntry {
  id: string;
  category: CorpusCategory;
  /** Must this prompt stay on private routes? */
  private: boolean;
  /** The route a person would pick with the seed policy; null where the GPU and the hosted model are both fair. */
  route: ExpectedRoute | null;
  messages: Array<{ role: string; content: string }>;
}

export function entry(id: string, category: CorpusCategory, isPrivate: boolean, route: ExpectedRoute | null, ...turns: string[]): CorpusEntry {
  return {
    id,
    category,
    private: isPrivate,
    route: isPrivate ? 'private' : route,
    messages: turns.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
  };
}
