import { CorpusEntry, entry } from './corpus-entry';
import { longCode } from '../support/fixtures/long-code';

/*
 * Prompts with nothing private in them, including the near misses a detector must not take for
 * secrets or personal data: environment reads, placeholders, type names, documentation
 * addresses, hashes, versions, private network addresses, logs about machines rather than people.
 */

const codeClean: CorpusEntry[] = [
  entry('code-env-read', 'code_clean', false, null, `Is this the right way to read config in Node?\n\nconst apiKey = process.env.OPENAI_API_KEY;\nif (!apiKey) throw new Error('OPENAI_API_KEY is not set');\nconst client = new OpenAI({ apiKey });`),
  entry('code-zod-schema', 'code_clean', false, null, `Why does this zod schema accept empty passwords?\n\nconst login = z.object({\n  email: z.string().email(),\n  password: z.string(),\n  rememberMe: z.boolean().optional(),\n});`),
  entry('code-ts-interface', 'code_clean', false, null, 'interface Credentials { username: string; password: string; token?: string }\nhow do I make token required only when username is missing?'),
  entry('code-placeholder-env', 'code_clean', false, null, `My README says:\n\nOPENAI_API_KEY=your-api-key-here\nDATABASE_PASSWORD=changeme\nJWT_SECRET=<generate with openssl rand -hex 32>\n\nIs this a good way to document required variables?`),
  entry('code-python-getenv', 'code_clean', false, null, 'password = os.environ["DB_PASSWORD"]\nconn = psycopg2.connect(host=host, password=password)\n\nhow can I retry the connection three times with backoff?'),
  entry('code-max-tokens', 'code_clean', false, null, 'response = client.chat.completions.create(model="gpt-4o-mini", max_tokens=512, temperature=0.2, messages=messages)\nwhy is the answer cut off?'),
  entry('code-example-emails', 'code_clean', false, null, `Fix my test fixture:\n\nconst users = [\n  { name: 'Alice', email: 'alice@example.com' },\n  { name: 'Bob', email: 'bob@example.org' },\n];\nexpect(sortByName(users)[0].name).toBe('Alice');`),
  entry('code-uuid', 'code_clean', false, null, "SELECT * FROM orders WHERE id = '4b8e6a5c-2f1d-4e3a-9b7c-1d2e3f4a5b6c' is slow even though id is the primary key, why?"),
  entry('code-git-hash', 'code_clean', false, null, 'git bisect says the first bad commit is 3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345, how do I revert only that commit on main?'),
  entry('code-cache-key-digest', 'code_clean', false, null, 'The cache key is the sha256 of the request: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08. Is hashing the whole body too slow for large uploads?'),
  entry('code-jwt-verify', 'code_clean', false, null, `const payload = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ['HS256'] });\nreturns "invalid signature" after I rotated the secret. Do old tokens need to be reissued?`),
  entry('code-regex-question', 'code_clean', false, null, 'Write a regex that matches semantic versions like 1.2.3, 10.0.0-beta.1 and 2.0.0+build.5 but not 1.2.'),
  entry('code-react-state', 'code_clean', false, null, `Why does this component render twice?\n\nfunction Counter() {\n  const [count, setCount] = useState(0);\n  useEffect(() => { setCount(c => c + 1); }, []);\n  return <span>{count}</span>;\n}`),
  entry('code-sql-window', 'code_clean', false, null, 'How do I compute a 7-day rolling average of daily_revenue per store with a window function in Postgres?'),
  entry('code-docker-compose', 'code_clean', false, null, `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n\nis POSTGRES_PASSWORD_FILE supported by the official image?`),
  entry('code-k8s-deployment', 'code_clean', false, null, `My deployment never becomes ready:\n\nreadinessProbe:\n  httpGet:\n    path: /readyz\n    port: 8080\n  initialDelaySeconds: 5\nenv:\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef:\n        name: api\n        key: token`),
  entry('code-npm-versions', 'code_clean', false, null, 'npm i lodash@4.17.21 react@18.2.0 gives a peer dependency conflict with react-dom@17.0.2, how do I resolve it?'),
  entry('code-bash-loop', 'code_clean', false, null, 'for f in *.log; do gzip "$f"; done — how do I skip files modified in the last hour?'),
  entry('code-python-typing', 'code_clean', false, null, 'def get_token(self) -> str: ... How do I type a function that returns a str or raises, and tell mypy the token attribute may be None before login?'),
  entry('code-go-context', 'code_clean', false, null, 'In Go, should I pass context.Context as the first argument even for functions that only read from a map?'),
  entry('code-rust-borrow', 'code_clean', false, null, 'error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable — I push into the vec while iterating it. What is the idiomatic fix?'),
  entry('code-private-keyword', 'code_clean', false, null, `Why can't I access this field from the subclass?\n\npublic class Account {\n  private BigDecimal balance;\n  protected void credit(BigDecimal amount) { balance = balance.add(amount); }\n}`),
  entry('code-password-ui', 'code_clean', false, null, 'Write the copy for a "Forgot your password?" screen: title, one sentence of help, and the button label.'),
  entry('code-hash-password', 'code_clean', false, null, 'Which is better for hashing user passwords in 2024: bcrypt, scrypt or argon2id? What cost parameters should I use?'),
  entry('code-oauth-flow', 'code_clean', false, null, 'Explain the OAuth 2.0 authorization code flow with PKCE and where the client_secret is (not) used for a single-page app.'),
  entry('code-css-grid', 'code_clean', false, null, 'How do I make a CSS grid with 3 columns on desktop and 1 on mobile, with a 16px gap?'),
];

const logsClean: CorpusEntry[] = [
  entry('log-server-start', 'log_clean', false, null, '2024-05-01 10:22:01 INFO server listening on 0.0.0.0:8080 (pid 4121)\n2024-05-01 10:22:01 INFO connected to postgres at 10.0.3.12:5432\nwhy does it take 40 s before the first request is served?'),
  entry('log-k8s-events', 'log_clean', false, null, 'kubectl get events shows: Warning BackOff pod/api-7d9f8b6c5-x2k4l Back-off restarting failed container. Normal Pulled Successfully pulled image "registry.acme.io/api:1.14.2". What should I check first?'),
  entry('log-java-oom', 'log_clean', false, null, 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3236)\n\tat com.acme.export.CsvWriter.flush(CsvWriter.java:88)\nHow do I find what fills the heap?'),
  entry('log-python-traceback', 'log_clean', false, null, 'Traceback (most recent call last):\n  File "/app/etl/load.py", line 41, in <module>\n    df = pd.read_parquet(path)\nFileNotFoundError: [Errno 2] No such file or directory: \'/data/2024-05-01/events.parquet\'\nthe file exists on the host, why not in the container?'),
  entry('log-nginx-upstream', 'log_clean', false, null, '2024/05/01 10:22:01 [error] 31#31: *1042 upstream timed out (110: Connection timed out) while reading response header from upstream, upstream: "http://10.0.2.7:3000/api/report"\nhow do I raise the timeout for this one location?'),
  entry('log-gc', 'log_clean', false, null, '[2024-05-01T10:22:01.123+0000][gc] GC(812) Pause Young (Normal) (G1 Evacuation Pause) 1840M->620M(4096M) 38.412ms — is this pause time normal for a 4 GB heap?'),
  entry('log-build-failure', 'log_clean', false, null, 'ERROR in ./src/app.tsx 12:7-25 Module not found: Error: Can\'t resolve \'./components/Chart\' in \'/home/runner/work/web/web/src\'. Works on my Mac, fails on the Linux CI runner.'),
  entry('log-redis-warning', 'log_clean', false, null, '1:M 01 May 2024 10:22:01.123 # WARNING overcommit_memory is set to 0! Background save may fail under low memory condition. Should I change this on the container host?'),
  entry('log-terraform', 'log_clean', false, null, 'Error: error creating EC2 Instance: InvalidParameterValue: Value (t3.large) for parameter instanceType is invalid in us-east-1e. How do I pin the subnet to a zone that has t3?'),
  entry('log-systemd', 'log_clean', false, null, 'May 01 10:22:01 web-01 systemd[1]: api.service: Main process exited, code=exited, status=203/EXEC\nMay 01 10:22:01 web-01 systemd[1]: api.service: Failed with result \'exit-code\'.\nwhat does 203/EXEC mean?'),
  entry('log-postgres-deadlock', 'log_clean', false, null, '2024-05-01 10:22:01.123 UTC [4121] ERROR:  deadlock detected\n2024-05-01 10:22:01.123 UTC [4121] DETAIL:  Process 4121 waits for ShareLock on transaction 88123; blocked by process 4130.\nhow do I avoid this when two workers update the same rows?'),
  entry('log-ci-timing', 'log_clean', false, null, 'Our CI step "npm ci" went from 40 s to 6 min overnight. Log shows: npm WARN tarball tarball data for @swc/core@1.4.0 seems to be corrupted. Trying again. What could cause this?'),
  entry('log-docker-build', 'log_clean', false, null, '#12 ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1 — the error above is "No matching distribution found for torch==2.3.0+cu121"'),
  entry('log-elb-5xx', 'log_clean', false, null, 'CloudWatch shows HTTPCode_ELB_502_Count spikes every 10 minutes on our ALB while targets stay healthy. Where would you look?'),
  entry('log-metrics-latency', 'log_clean', false, null, 'p99 latency of /search jumped from 120 ms to 900 ms after deploying v2.8.1 at 14:05 UTC; CPU is flat at 30%. What are likely causes?'),
];

const ticketsClean: CorpusEntry[] = [
  entry('ticket-export-safari', 'ticket_clean', false, null, 'Summarize this ticket for the bug tracker: "The CSV export button does nothing in Safari 17 on macOS Sonoma; it works in Chrome. Started after last week\'s release."'),
  entry('ticket-feature-request', 'ticket_clean', false, null, 'Turn this feature request into a user story with acceptance criteria: "We would love dark mode in the dashboard, our ops team works nights."'),
  entry('ticket-classify', 'ticket_clean', false, 'hosted', 'Classify as bug, question or feature request: "How do I change the language of the invoices to German?"'),
  entry('ticket-reply-tone', 'ticket_clean', false, 'hosted', 'Make this reply friendlier: "Your issue is a duplicate. Closing."'),
  entry('ticket-sla', 'ticket_clean', false, null, 'A customer on the Pro plan opened a P2 ticket 30 hours ago with no reply. Our SLA is 24 h for P2. Draft an apology and the next steps.'),
  entry('ticket-webhook-docs', 'ticket_clean', false, null, 'A user asks why our webhooks arrive out of order. Write a help-center answer explaining at-least-once delivery and how to use the sequence field.'),
  entry('ticket-macro', 'ticket_clean', false, 'hosted', 'Write a short canned response for "how do I reset two-factor authentication?"'),
  entry('ticket-triage-summary', 'ticket_clean', false, null, 'Summarize these three tickets in one line each: (1) app crashes when uploading HEIC photos, (2) search ignores accents, (3) timezone wrong in weekly report emails.'),
  entry('ticket-outage-note', 'ticket_clean', false, null, 'Write a status page update: partial outage of the EU region API between 09:10 and 09:55 UTC, caused by a failed database failover, now resolved.'),
  entry('ticket-gdpr-question', 'ticket_clean', false, null, 'A customer asks whether we are GDPR compliant and where their data is stored. Draft an answer: EU data centers in Frankfurt, DPA available on request.'),
];

const questions: CorpusEntry[] = [
  entry('q-reverse-list', 'question', false, 'hosted', 'How do I reverse a list in Python?'),
  entry('q-http-418', 'question', false, 'hosted', 'Quick question: what does HTTP status 418 mean?'),
  entry('q-tcp-udp', 'question', false, 'hosted', 'What is the difference between TCP and UDP, in two sentences?'),
  entry('q-big-o', 'question', false, 'hosted', 'What is the time complexity of binary search?'),
  entry('q-what-is-jwt', 'question', false, 'hosted', 'What is a JWT and when should I not use one?'),
  entry('q-store-api-keys', 'question', false, null, 'How should a small team store API keys and database passwords securely? We use GitHub and AWS.'),
  entry('q-dns-ttl', 'question', false, 'hosted', 'What TTL should I set on a DNS record I plan to change next week?'),
  entry('q-cap-theorem', 'question', false, 'hosted', 'Explain the CAP theorem briefly.'),
  entry('q-mutex-semaphore', 'question', false, 'hosted', 'Mutex vs semaphore?'),
  entry('q-git-rebase', 'question', false, 'hosted', 'Should I use git merge or git rebase for feature branches?'),
  entry('q-public-dns', 'question', false, 'hosted', 'Is 8.8.8.8 or 1.1.1.1 faster as a DNS resolver in Europe?'),
  entry('q-gdpr-basics', 'question', false, 'hosted', 'What counts as personal data under GDPR?'),
  entry('q-regex-email', 'question', false, 'hosted', 'Is it a good idea to validate email addresses with a regex?'),
  entry('q-unit-vs-integration', 'question', false, 'hosted', 'What is the difference between unit tests and integration tests?'),
  entry('q-kubernetes-pod', 'question', false, 'hosted', 'What is a Kubernetes pod?'),
  entry('q-confidential-computing', 'question', false, null, 'How does confidential computing (like AMD SEV) differ from encryption at rest?'),
  entry('q-translation', 'question', false, 'hosted', 'Translate "the meeting is moved to Thursday" into French and German.'),
  entry('q-haiku', 'question', false, 'hosted', 'Write a haiku about continuous integration.'),
  entry('q-sql-join', 'question', false, 'hosted', 'What is the difference between a LEFT JOIN and an INNER JOIN?'),
  entry('q-name-ideas', 'question', false, 'hosted', 'Suggest five names for an internal developer portal.'),
];

const lookups: CorpusEntry[] = [
  entry('lookup-port-postgres', 'lookup', false, 'hosted', 'Default port of PostgreSQL?'),
  entry('lookup-chmod', 'lookup', false, 'hosted', 'What does chmod 644 mean?'),
  entry('lookup-curl-post', 'lookup', false, 'hosted', 'curl flag to send a JSON body?'),
  entry('lookup-iso-date', 'lookup', false, 'hosted', 'What is the ISO 8601 format for a date with time zone?'),
  entry('lookup-utf8-bom', 'lookup', false, 'hosted', 'What bytes is the UTF-8 BOM?'),
  entry('lookup-python-version', 'lookup', false, 'hosted', 'Which Python version added the match statement?'),
  entry('lookup-node-lts', 'lookup', false, 'hosted', 'Is Node 20 an LTS release?'),
  entry('lookup-http-idempotent', 'lookup', false, 'hosted', 'Which HTTP methods are idempotent?'),
  entry('lookup-git-undo', 'lookup', false, 'hosted', 'How do I undo the last git commit but keep the changes?'),
  entry('lookup-tar-extract', 'lookup', false, 'hosted', 'tar command to extract a .tar.gz into a given folder?'),
  entry('lookup-ssh-keygen', 'lookup', false, 'hosted', 'Command to generate an ed25519 SSH key?'),
  entry('lookup-regex-digit', 'lookup', false, 'hosted', 'What does \\d match in JavaScript regex?'),
  entry('lookup-css-center', 'lookup', false, 'hosted', 'Quickest way to center a div horizontally and vertically?'),
  entry('lookup-docker-prune', 'lookup', false, 'hosted', 'Command to remove all stopped Docker containers?'),
  entry('lookup-js-array-last', 'lookup', false, 'hosted', 'How to get the last element of an array in JavaScript?'),
  entry('lookup-yaml-multiline', 'lookup', false, 'hosted', 'How do I write a multi-line string in YAML?'),
  entry('lookup-cron-weekday', 'lookup', false, 'hosted', 'Cron expression for 9am on weekdays?'),
  entry('lookup-sql-limit', 'lookup', false, 'hosted', 'SQL Server equivalent of LIMIT 10?'),
  entry('lookup-mime-json', 'lookup', false, 'hosted', 'MIME type for JSON?'),
  entry('lookup-k8s-logs', 'lookup', false, 'hosted', 'kubectl command to follow the logs of a pod?'),
];

const refactors: CorpusEntry[] = [
  entry('refactor-ts-async', 'refactor', false, 'gpu', `Refactor this whole module from callbacks to async/await, keep behaviour identical, and split data access from business logic:\n\n${longCode('ts', 60)}`),
  entry('refactor-py-reports', 'refactor', false, 'gpu', `Restructure these report builders into one generic class with strategy objects, add type hints everywhere and remove the duplication:\n\n${longCode('py', 45)}`),
  entry('refactor-java-services', 'refactor', false, 'gpu', `Rewrite these inventory services to use optimistic locking instead of synchronized, and extract a common base class. Update every file:\n\n${longCode('java', 35)}`),
  entry('refactor-go-handlers', 'refactor', false, 'gpu', `Refactor these upload handlers into a single handler with middleware for validation and size limits; keep the routes:\n\n${longCode('go', 40)}`),
  entry('refactor-migrate-orm', 'refactor', false, 'gpu', `Migrate this data layer from raw SQL callbacks to Prisma. Produce the schema and rewrite every function:\n\n${longCode('ts', 50, 100)}`),
  entry('refactor-large-monolith', 'refactor', false, 'gpu', `We are splitting our monolith. Propose module boundaries and rewrite the order functions below as a separate service with its own repository interface:\n\n${longCode('ts', 45, 200)}\n\n${longCode('java', 10, 50)}`),
  entry('refactor-py-async', 'refactor', false, 'gpu', `Port this code to asyncio with asyncpg and aiocache, keeping the public methods:\n\n${longCode('py', 50, 60)}`),
  entry('refactor-java-kotlin', 'refactor', false, 'gpu', `Convert all of these classes to idiomatic Kotlin with data classes and coroutines:\n\n${longCode('java', 40, 80)}`),
  entry('refactor-go-generics', 'refactor', false, 'gpu', `Use Go generics to remove the duplicated server types in this large file and restructure the package:\n\n${longCode('go', 45, 90)}`),
  entry('refactor-test-suite', 'refactor', false, 'gpu', `Write a complete test suite for every function in this file (Jest, with mocks for the db), aiming at full branch coverage:\n\n${longCode('ts', 55, 300)}`),
  entry('refactor-error-handling', 'refactor', false, 'gpu', `Overhaul error handling across this codebase: typed errors, no swallowed exceptions, consistent logging:\n\n${longCode('py', 40, 120)}\n\n${longCode('ts', 20, 400)}`),
  {
    id: 'refactor-multi-turn',
    category: 'refactor',
    private: false,
    route: 'gpu',
    messages: [
      { role: 'user', content: `Here is the first half of our billing module:\n\n${longCode('ts', 30, 500)}` },
      { role: 'assistant', content: 'Got it. Send the second half when ready.' },
      { role: 'user', content: `Second half:\n\n${longCode('ts', 30, 530)}\n\nNow refactor both halves into a clean layered design.` },
    ],
  },
  entry('refactor-architecture-review', 'refactor', false, 'gpu', `Review the architecture of this service in depth and rewrite it for horizontal scaling (stateless workers, queue-based jobs):\n\n${longCode('java', 30, 120)}\n\n${longCode('go', 20, 150)}`),
  entry('refactor-rename-everywhere', 'refactor', false, 'gpu', `Rename Order to PurchaseOrder everywhere, fix all the call sites and split the file into one module per aggregate:\n\n${longCode('ts', 65, 600)}`),
  entry('refactor-cleanup', 'refactor', false, 'gpu', `Clean up this legacy file: remove dead code, deduplicate the builders, modernize the syntax:\n\n${longCode('py', 55, 200)}`),
];

export const BENIGN_PROMPTS: CorpusEntry[] = [...codeClean, ...logsClean, ...ticketsClean, ...questions, ...lookups, ...refactors];
