import { CorpusEntry, entry } from './corpus-entry';
import { longCode } from '../support/fixtures/long-code';

/*
 * A second batch, written after the detectors: everyday variants of the same situations, to keep
 * the figures honest about prompts the rules were not shaped on.
 */

export const MIXED_PROMPTS: CorpusEntry[] = [
  // private
  entry('mix-settings-py', 'code_secret', true, null, `Django won't send mail. settings.py:\n\nEMAIL_HOST = "smtp.mailgun.org"\nEMAIL_HOST_USER = "postmaster@mg.acme.io"\nEMAIL_HOST_PASSWORD = "b7d1f0e2a9c84e5f"\nEMAIL_PORT = 587`),
  entry('mix-appsettings-json', 'code_secret', true, null, `{\n  "ConnectionStrings": {\n    "Default": "Server=sql01;Database=Shop;User Id=shop_app;Password=Sh0p!2024x;"\n  }\n}\nEF Core migration says login failed for user shop_app`),
  entry('mix-ruby-stripe', 'code_secret', true, null, "Stripe.api_key = 'rk_live_51Jx9AbCdEfGhIjKlMnOpQrStUv'\nStripe::Charge.list(limit: 3) # raises PermissionError, why?"),
  entry('mix-github-actions-token', 'code_secret', true, null, 'In my workflow I hardcoded `GH_TOKEN: ghp_9zYxWvUtSrQpOnMlKjIhGfEdCbA876543210` in env because secrets.GITHUB_TOKEN had no package:write. Is there a cleaner way?'),
  entry('mix-redis-url-password', 'code_secret', true, null, 'ioredis keeps reconnecting: new Redis("redis://default:Xk29dLq81mZp@redis-12345.c1.eu-west-1.cloud.redislabs.com:12345")'),
  entry('mix-php-pdo', 'code_secret', true, null, "$pdo = new PDO('mysql:host=localhost;dbname=blog', 'blog_user', 'Bl0g-P4ss-9921');\n// SQLSTATE[HY000] [2002] No such file or directory"),
  entry('mix-openai-env-export', 'code_secret', true, null, 'I ran `export OPENAI_API_KEY=sk-proj-a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4` in .bashrc but Python still says the key is missing'),
  entry('mix-log-login-email', 'log_personal', true, null, '2024-06-02 08:15:44,902 WARN  [auth] too many failed logins for email=claire.dubois@free.fr from 92.184.105.12, locking account'),
  entry('mix-log-order-customer', 'log_personal', true, null, `[2024-06-02T09:00:12.001Z] ERROR order-service: shipment failed {"orderId":"SO-99812","customerName":"Pedro Alvarez","phone":"+34 612 345 678"}`),
  entry('mix-ticket-pasted-signature', 'ticket_personal', true, null, 'Can you rewrite my answer to this customer more clearly? Their message ends with:\n\nBest regards,\nYuki Yamamoto\nHead of Operations, Sakura Foods\nyuki.yamamoto@sakura-foods.jp | +81 3-1234-5678'),
  entry('mix-ticket-account-number', 'ticket_personal', true, null, 'Customer name: Olumide Bakare, says his IBAN GB33 BUKB 2020 1555 5555 55 was rejected for the refund. What do we tell him?'),
  entry('mix-csv-leads', 'customer_data', true, null, 'Score these leads 1-5:\ncompany,contact_name,email,phone\nNorthwind,Ana Trujillo,ana.trujillo@northwind.mx,+52 55 5555 1234\nContoso,Thomas Hardy,thomas.hardy@contoso.co.uk,+44 161 496 0000'),
  entry('mix-internal-memo', 'marker', true, null, 'This memo is for internal use only. Please shorten it to 150 words: "Starting July 1 the support team moves to a follow-the-sun rotation with Manila and Lisbon..."'),
  entry('mix-confidential-lowercase', 'marker', true, null, 'strictly confidential: draft the layoff announcement for the EMEA sales team, 14 roles affected, effective end of quarter.'),
  // benign
  entry('mix-q-env-files', 'question', false, null, 'Should .env files be committed to git? What do you put in .env.example instead?'),
  entry('mix-code-settings-env', 'code_clean', false, null, 'EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD")\nEMAIL_PORT = int(os.getenv("EMAIL_PORT", "587"))\n\nis reading settings like this fine in Django?'),
  entry('mix-code-test-secret-mock', 'code_clean', false, null, 'How do I mock boto3 in pytest so my tests never need real AWS credentials?'),
  entry('mix-log-healthcheck', 'log_clean', false, null, '10.0.1.15 - - [02/Jun/2024:09:00:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"\n10.0.1.16 - - [02/Jun/2024:09:00:05 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"\nCan I drop these lines from the access log?'),
  entry('mix-log-jvm-start', 'log_clean', false, null, '2024-06-02 09:00:01.222 INFO 1 --- [main] o.s.b.w.embedded.tomcat.TomcatWebServer : Tomcat started on port(s): 8080 (http)\n2024-06-02 09:00:01.240 INFO 1 --- [main] com.acme.Application : Started Application in 41.3 seconds\nhow do I speed up startup?'),
  entry('mix-ticket-no-pii', 'ticket_clean', false, null, 'Turn into a bug report: "Since the update, the mobile app logs me out every time I switch to another app and come back."'),
  entry('mix-question-password-policy', 'question', false, 'hosted', 'What is a reasonable password policy for an internal admin tool?'),
  entry('mix-question-phone-format', 'question', false, 'hosted', 'How should I store phone numbers in a database, as E.164 strings?'),
  entry('mix-lookup-stripe-test-cards', 'lookup', false, 'hosted', 'Where does Stripe list its test card numbers?'),
  entry('mix-lookup-aws-region', 'lookup', false, 'hosted', 'Which AWS region is Frankfurt?'),
  entry('mix-code-api-client', 'code_clean', false, null, `class ApiClient {\n  constructor(private readonly baseUrl: string, private readonly token: () => Promise<string>) {}\n  async get(path: string) {\n    return fetch(this.baseUrl + path, { headers: { Authorization: \`Bearer \${await this.token()}\` } });\n  }\n}\nhow do I add retries with jitter?`),
  entry('mix-refactor-php', 'refactor', false, 'gpu', `Rewrite this legacy service layer for PHP 8.3 with strict types and split it into smaller classes:\n\n${longCode('java', 30, 700)}`),
  entry('mix-refactor-typescript-strict', 'refactor', false, 'gpu', `Turn on strict mode and fix every type error in this file, then restructure it into modules:\n\n${longCode('ts', 50, 800)}`),
  entry('mix-lookup-http-header', 'lookup', false, 'hosted', 'Which header carries the API key in the Anthropic API?'),
];
