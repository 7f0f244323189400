/**
 * Words to terms for the local scorer: lower case, a light English stemmer, one canonical term per
 * family of synonyms (so "quick", "fast" and "cheap" meet), and negation kept ("not secret" is
 * `not_secret`, which never matches `secret`).
 */

const STOPWORDS = new Set(
  'a an and are as at be but by can could do does for from has have how i if in into is it its me my of on or our so than that the their them then there these this those to us was we were what when where which while who why will with would you your please'.split(
    ' ',
  ),
);

const NEGATIONS = new Set(['not', 'no', 'non', 'never', 'without', 'nothing']);

/** Families of words that mean the same for routing, each mapped to one term. */
const SYNONYMS: Record<string, string[]> = {
  fast: ['quick', 'quickly', 'rapid', 'speedy', 'instant', 'snappy', 'low-latency', 'latency', 'brief', 'briefly', 'short', 'simple', 'small', 'lightweight', 'light', 'easy', 'trivial', 'lookup', 'one-liner'],
  cheap: ['inexpensive', 'low-cost', 'budget', 'economical', 'affordable'],
  large: ['long', 'lengthy', 'big', 'huge', 'massive', 'extensive', 'heavy', 'deep', 'complex', 'hard', 'multi-file', 'whole', 'entire', 'codebase', 'architecture', 'gpu', 'gpu-heavy', 'powerful', 'strong', 'reasoning'],
  refactor: ['refactoring', 'refactors', 'restructure', 'rewrite', 'rework', 'reorganize', 'reorganise', 'migrate', 'migration', 'port', 'modernize', 'overhaul', 'redesign', 'cleanup'],
  code: ['coding', 'coder', 'program', 'programming', 'software', 'developer', 'function', 'class', 'module', 'repository', 'repo', 'typescript', 'javascript', 'python', 'java', 'golang', 'rust', 'sql', 'script', 'debug', 'debugging', 'bug', 'test', 'tests', 'compile', 'stack', 'trace'],
  private: ['secret', 'secrets', 'confidential', 'sensitive', 'credential', 'credentials', 'password', 'key', 'keys', 'token', 'tokens', 'customer', 'customers', 'personal', 'pii'],
  log: ['logs', 'logging', 'traceback', 'stacktrace', 'exception', 'error', 'errors'],
  hosted: ['cloud', 'api', 'saas', 'external', 'public'],
  local: ['on-prem', 'on-premise', 'onprem', 'lan', 'self-hosted', 'selfhosted'],
  general: ['everyday', 'chat', 'general-purpose', 'question', 'questions', 'answer', 'explain', 'summary', 'summarize', 'summarise'],
  write: ['writing', 'draft', 'email', 'essay', 'copy', 'blog', 'translate', 'translation'],
  vision: ['image', 'images', 'picture', 'photo', 'screenshot'],
};

const CANONICAL = new Map<string, string>();
for (const [term, words] of Object.entries(SYNONYMS)) {
  CANONICAL.set(term, term);
  for (const word of words) CANONICAL.set(word, term);
}

/** Strips the commonest English suffixes; enough for descriptions of a few words. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'ied', 'ers', 'er', 'ed', 'es', 's', 'ly']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      return suffix === 'ies' || suffix === 'ied' ? word.slice(0, -3) + 'y' : word.slice(0, -suffix.length);
    }
  }
  return word;
}

export function canonical(word: string): string {
  return CANONICAL.get(word) ?? CANONICAL.get(stem(word)) ?? stem(word);
}

const WORD = /[a-z0-9][a-z0-9-]*/g;

/** Terms of a text; words after a negation (up to the next punctuation, three words at most) are negated. */
export function textTerms(text: string, limit = 4000): string[] {
  const terms: string[] = [];
  const lower = text.length > limit ? text.slice(-limit).toLowerCase() : text.toLowerCase();
  let negate = 0;
  let last = 0;
  for (const match of lower.matchAll(WORD)) {
    const index = match.index ?? 0;
    if (/[.,;:!?\n]/.test(lower.slice(last, index))) negate = 0;
    last = index + match[0].length;
    let word = match[0].replace(/-+$/, '');
    if (word.startsWith('non-')) {
      word = word.slice(4);
      negate = Math.max(negate, 1);
    }
    if (NEGATIONS.has(word)) {
      negate = 3;
      continue;
    }
    if (STOPWORDS.has(word) || word.length < 2) continue;
    const term = canonical(word);
    if (negate > 0) {
      terms.push(`not_${term}`);
      negate--;
    } else {
      terms.push(term);
    }
  }
  return terms;
}
