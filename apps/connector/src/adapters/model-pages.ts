import { Candidate } from '@aisbf/contracts';
import { malformedAnswer } from './stream-relay';

/** Pages of a model listing followed at most. */
const MAX_MODEL_PAGES = 10;

/** A paginated model listing, page after page until the wire says there is no next one. */
export async function listModelPages(
  candidate: Candidate,
  fetchPage: (next: string | null) => Promise<unknown>,
  parse: (json: unknown) => { ids: string[]; next: string | null },
): Promise<Array<{ id: string }>> {
  const ids: string[] = [];
  let next: string | null = null;
  for (let page = 0; page < MAX_MODEL_PAGES; page++) {
    const json = await fetchPage(next);
    let parsed: { ids: string[]; next: string | null };
    try {
      parsed = parse(json);
    } catch {
      throw malformedAnswer(candidate, 'no model list');
    }
    ids.push(...parsed.ids);
    next = parsed.next;
    if (!next) break;
  }
  return ids.map((id) => ({ id }));
}
