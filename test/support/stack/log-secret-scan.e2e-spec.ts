import { LogSecretScan, describeFindings } from './log-secret-scan';

/** The scan every test stack runs on stop(): what it catches and what its findings say. */
describe('log secret scan', () => {
  const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', service: 'edge-api', ...fields });

  it('finds registered secrets and any issued token, naming kind and place but never the value', () => {
    const scan = new LogSecretScan();
    scan.register('sk-provider-key-0123456789', 'provider key');
    scan.register('short', 'too short to register');
    const issued = 'sk-aisbf-AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    const findings = scan.scan([
      { service: 'edge-api', text: `${line({ msg: 'ready' })}\n${line({ msg: 'upstream said', body: 'key sk-provider-key-0123456789 refused' })}\n` },
      { service: 'connector', text: `${line({ msg: `token ${issued}` })}\n${line({ msg: 'a short word' })}\n` },
    ]);
    expect(findings).toEqual([
      { kind: 'provider key', service: 'edge-api', line: 2 },
      { kind: 'issued API token (sk-aisbf-…)', service: 'connector', line: 1 },
    ]);
    const text = describeFindings(findings);
    expect(text).not.toContain('sk-provider-key');
    expect(text).not.toContain(issued);
  });

  it("registers a configuration's tokens, keys and passwords, and the values of api_key_env", () => {
    const scan = new LogSecretScan();
    scan.registerConfig(
      { users: { a: { tokens: ['sk-file-token-0123456789abcdef', { name: 'n', token: 'sk-file-token-2-0123456789' }], providers: { p: { api_key: 'sk-key-0123456789', models: [{ name: 'model-name-long' }] }, q: { api_key_env: 'Q_KEY' } } } } },
      { Q_KEY: 'sk-env-key-0123456789' },
    );
    scan.registerEnv({ AISBF_BOOTSTRAP_TOKEN: 'sk-boot-0123456789abcdef', LOG_LEVEL: 'info-and-more' });
    const text = 'sk-file-token-0123456789abcdef sk-file-token-2-0123456789 sk-key-0123456789 sk-env-key-0123456789 sk-boot-0123456789abcdef model-name-long info-and-more';
    expect(scan.scan([{ service: 's', text }]).map((f) => f.kind).sort()).toEqual(
      ['configuration token', 'configuration tokens', 'configuration api_key', 'provider key (env Q_KEY)', 'env AISBF_BOOTSTRAP_TOKEN'].sort(),
    );
  });

  it("leaves out only the embedded mode's documented first-start banner", () => {
    const scan = new LogSecretScan();
    const token = 'sk-aisbf-AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    const banner =
      `\n  AISBF is running on http://localhost:8080 (embedded mode, sqlite)\n  API token for user 'demo' (shown once): ${token}\n` +
      `  Try: curl -X POST http://localhost:8080/api/u/demo/chat/completions \\\n         -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \\\n`;
    expect(scan.scan([{ service: 'standalone', text: banner }])).toEqual([]);
    const logged = line({ msg: "API token for user 'demo' (shown once): " + token });
    expect(scan.scan([{ service: 'standalone', text: banner + logged + '\n' }])).toHaveLength(1);
  });
});
