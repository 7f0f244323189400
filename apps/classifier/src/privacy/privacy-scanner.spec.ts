import { scanConversation } from './privacy-scanner';
import { CustomRules } from './custom-rules';

const detectorsOf = (text: string, role = 'user') => [...new Set(scanConversation([{ role, content: text }]).map((s) => s.detector))];

describe('privacy scanner', () => {
  it.each([
    ['an AWS key id in a stack trace', 'Error: InvalidClientTokenId at Signer (aws_access_key_id=AKIAZ7Q2LMNOPQRS3TUV)', 'aws_access_key'],
    ["AWS's documentation key id too", 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'aws_access_key'],
    ['an AWS secret key', 'aws_secret_access_key = "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"', 'aws_secret_key'],
    ['a GitHub token', 'git clone https://ghp_R8s7dK2mQ9xL4vB1nC6zT3wY5pF0hJ8gA2eU@github.com/acme/app', 'github_token'],
    ['a Slack bot token', 'SLACK_TOKEN: xoxb-2412345678-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'slack_token'],
    ['a Stripe live key', 'stripe.api_key = "sk_live_51HqZ2aBcDeFgHiJkLmNoPqRsTuV"', 'stripe_key'],
    ['a PEM private key with its body elided', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7v...\n-----END RSA PRIVATE KEY-----', 'private_key'],
    [
      'a JWT',
      'Authorization header: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'jwt',
    ],
    ['a database URL with a password', 'DATABASE_URL=postgres://app:Tr0ub4dor3@db.internal:5432/prod', 'database_connection_string'],
    ['a .env password', 'DB_HOST=db.internal\nDB_PASSWORD=correcthorsebattery\n', 'secret_assignment'],
    ['a password literal in code', 'conn = psycopg2.connect(host="db", password="S3cure!pass")', 'secret_assignment'],
    ['a CLI password flag', 'mysql -u root --password=Hunter2Hunter2 -h 10.0.0.5', 'secret_cli_flag'],
    ['a random key beside a secret word', 'the signing key is 9fQ2xL7vB1nC6zT3wY5pF0hJ8gA2eU4k', 'high_entropy_secret'],
    ['an email', 'please reply to maria.gonzalez@acme-corp.com about the refund', 'email'],
    ['a phone number', 'call the customer back on +44 20 7946 0958 tomorrow', 'phone_number'],
    ['a US phone number', 'her number is (415) 555-2671', 'phone_number'],
    ['a card number', 'card 4111 1111 1111 1111 exp 12/27 was declined', 'payment_card'],
    ['an IBAN', 'wire it to DE89 3704 0044 0532 0130 00 today', 'iban'],
    ['a US SSN', 'SSN on file: 219-09-9999', 'us_ssn'],
    ['a French NIR', 'numéro de sécurité sociale 2 69 05 49 588 157 80', 'fr_nir'],
    ['a CSV of customers', 'name,email,plan\nJane Roe,jroe@mailbox.org,pro\nAli Khan,ali@khan.dev,free', 'customer_table'],
    ['a JSON customer record', '{"first_name": "Lena", "last_name": "Berg", "phone": "0176 2345678"}', 'customer_record'],
    ['a log line with a user id', '2024-05-01T10:22:01Z ERROR payment failed user_id=84121 amount=19.99', 'log_user_identifier'],
    ['an access log with a client IP', '83.12.44.201 - - [01/May/2024:10:22:01 +0000] "GET /account HTTP/1.1" 200', 'log_client_ip'],
    ['a confidentiality marker', 'CONFIDENTIAL - internal only: Q3 board deck draft', 'confidential_marker'],
    ['an NDA', 'This roadmap is covered by our NDA with Contoso.', 'confidential_marker'],
  ])('flags %s', (_label, text, detector) => {
    expect(detectorsOf(text)).toContain(detector);
  });

  it.each([
    ['a plain question', 'How do I reverse a list in Python?'],
    ['code reading secrets from the environment', 'const token = process.env.GITHUB_TOKEN;\nconst password = await vault.read("db");\nclient.auth(token);'],
    ['a type declaration', 'interface Login { username: string; password: string; token?: string }'],
    ['an OpenAI call with max_tokens', 'client.chat.completions.create(model="gpt-4o", max_tokens=512, temperature=0.2)'],
    ['placeholders', 'API_KEY=your-api-key-here\nPASSWORD=changeme\nSECRET=<secret>'],
    ['documentation emails', 'send a test to alice@example.com or bob@test'],
    ['an npm package version', 'install lodash@4.17.21 and react@18.2.0'],
    ['a log without people', '2024-05-01 10:22:01 INFO server listening on 0.0.0.0:8080 (pid 4121)'],
    ['dates and versions', 'released 2024-01-15 as v1.2.3.4, build 20240115-1234'],
    ['a git hash', 'the regression came in commit 3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345'],
    ['a UUID primary key', 'SELECT * FROM orders WHERE id = \'4b8e6a5c-2f1d-4e3a-9b7c-1d2e3f4a5b6c\''],
  ])('leaves %s alone', (_label, text) => {
    expect(detectorsOf(text)).toEqual([]);
  });

  it('reports where, never what, with conversation indexes', () => {
    const key = 'AKIAZ7Q2LMNOPQRS3TUV';
    const signals = scanConversation(
      [
        { role: 'user', content: 'hello' },
        { role: 'tool', content: `config: ${key}` },
      ],
      4,
    );
    expect(signals).toEqual([expect.objectContaining({ detector: 'aws_access_key', category: 'secret', messageIndex: 5, start: 8, end: 28 })]);
    expect(JSON.stringify(signals)).not.toContain(key);
  });

  it('applies user patterns on RE2, safely and with UTF-16 offsets', () => {
    const rules = new CustomRules(['(?i)project\\s+falcon', '(a+)+$'], ['Atlas', 'acme-internal']);
    const text = 'é😀 the PROJECT Falcon plan for atlas and ' + 'a'.repeat(20_000) + 'b';
    const started = performance.now();
    const signals = scanConversation([{ role: 'user', content: text }], 0, [rules]);
    expect(performance.now() - started).toBeLessThan(5_000);
    const pattern = signals.find((s) => s.detector === 'custom_pattern')!;
    expect(text.slice(pattern.start, pattern.end)).toBe('PROJECT Falcon');
    expect(signals.filter((s) => s.detector === 'custom_keyword')).toHaveLength(1);
  });

  it('holds everything private when a user pattern cannot be compiled', () => {
    const rules = new CustomRules(['(?<=x)y'], []);
    expect(scanConversation([{ role: 'user', content: 'anything' }], 0, [rules]).map((s) => s.detector)).toEqual(['custom_pattern_unusable']);
  });
});

describe('privacy scanner near misses', () => {
  it('flags a password passed positionally to a connection call', () => {
    expect(detectorsOf("$pdo = new PDO('mysql:host=localhost;dbname=blog', 'blog_user', 'Bl0g-P4ss-9921');")).toContain('credential_argument');
  });

  it.each([
    ['a schema field', 'const login = z.object({\n  email: z.string().email(),\n  password: z.string(),\n});'],
    ['a secret reference in compose', 'secrets: [db_password]\n  POSTGRES_PASSWORD_FILE: /run/secrets/db_password'],
    ['confidential computing', 'How does confidential computing differ from encryption at rest?'],
    ['a connection call with a DSN and a user only', "new PDO('mysql:host=db;dbname=app', 'app_user', $password)"],
  ])('leaves %s alone', (_label, text) => {
    expect(detectorsOf(text)).toEqual([]);
  });
});
