import type { ZodError } from 'zod';

/** One problem in a configuration document, located by its JSON path (`$.rotations.x.providers[0].weight`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `$`, `.name` for plain keys, `[0]` for indexes, `["a.b"]` for keys that need quoting. */
export function formatJsonPath(segments: ReadonlyArray<string | number>): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

export function problemsFromZod(error: ZodError, base: ReadonlyArray<string | number> = []): ConfigProblem[] {
  return error.issues.map((issue) => ({ path: formatJsonPath([...base, ...issue.path]), message: issue.message }));
}
