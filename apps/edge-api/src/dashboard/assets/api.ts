/** The dashboard's calls to the edge: same origin, session cookie, CSRF token on every write. */
export interface Problem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null,
    readonly problems: Problem[],
  ) {
    super(message);
  }

  /** Problems to show beside fields: the API's list, or its one `param`. */
  get located(): Problem[] {
    if (this.problems.length) return this.problems;
    return this.param ? [{ path: this.param.startsWith('$') ? this.param : `$.${this.param}`, message: this.message }] : [];
  }
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  etag: string | null;
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json', ...headers } };
  if (method !== 'GET' && method !== 'HEAD') (init.headers as Record<string, string>)['x-csrf-token'] = csrfToken;
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network_error', 'AISBF could not be reached: check the connection and try again', null, []);
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const error = (data as { error?: { message?: string; code?: string; param?: string | null; problems?: Problem[] } } | null)?.error;
    const failure = new ApiError(response.status, error?.code ?? 'error', error?.message ?? `HTTP ${response.status}`, error?.param ?? null, error?.problems ?? []);
    if (response.status === 401 && !path.startsWith('/api/auth/')) onSignedOut();
    throw failure;
  }
  return { status: response.status, data: data as T, etag: response.headers.get('etag') };
}

export const userPath = (username: string, rest: string) => `/api/u/${encodeURIComponent(username)}/${rest}`;
