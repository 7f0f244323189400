// Container health check for images without curl or a shell:
//   node healthcheck.mjs http://127.0.0.1:8080/readyz
// Exits 0 when the URL answers 2xx within the timeout, 1 otherwise.
const url = process.argv[2] ?? 'http://127.0.0.1:8080/readyz';
const timeoutMs = Number(process.argv[3] ?? 3000);

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  if (!response.ok) {
    console.error(`${url} answered ${response.status}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`${url} unreachable: ${error.message}`);
  process.exit(1);
}
