/**
 * URL attributes without query values or user info: some backends take their key in the query
 * string (`?key=...`), and a span must never carry a credential.
 */
export function redactedUrlAttributes(raw: string, base?: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return {};
  }
  url.username = '';
  url.password = '';
  const redacted = new URLSearchParams();
  for (const key of url.searchParams.keys()) if (!redacted.has(key)) redacted.append(key, 'REDACTED');
  url.search = redacted.toString();
  const attributes: Record<string, string> = { 'url.full': url.toString() };
  if (url.search) attributes['url.query'] = url.search.slice(1);
  return attributes;
}
