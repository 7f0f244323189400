/** Plain HTTP calls to AISBF, for what an SDK hides (status, headers, raw SSE). */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

export async function postJson(url: string, token: string | null, body: unknown, contentType = 'application/json'): Promise<HttpResult> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** POST {base}/chat/completions, where base is `.../v1` or `.../api/u/{username}`. */
export function postChat(base: string, token: string, body: unknown): Promise<HttpResult> {
  return postJson(`${base}/chat/completions`, token, body);
}

/** POST {base}/route/explain: the plan a chat call with this body would get. */
export async function explainRoute(base: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const result = await postJson(`${base}/route/explain`, token, body);
  return { status: result.status, body: JSON.parse(result.text) };
}

/** The `data:` payloads of an SSE body, in order. */
export function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** Polls until `check` returns something truthy (state written by another process shows up). */
export async function waitFor<T>(check: () => Promise<T | null | false | undefined>, timeoutMs = 5_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
