import { ConfigProblem, formatJsonPath } from './config-problems';

/**
 * JSON.parse keeps the last of two equal keys without a word; a configuration document that
 * declares the same provider, rotation or policy twice is a mistake to report. Scans valid JSON
 * text and names every repeated key by its JSON path.
 */
export function findDuplicateKeys(text: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const path: Array<string | number> = [];
  let i = 0;

  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        if (seen.has(key)) problems.push({ path: formatJsonPath([...path, key]), message: `'${key}' appears more than once` });
        seen.add(key);
        skipSpace();
        i++; // ':'
        path.push(key);
        value();
        path.pop();
        skipSpace();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        path.push(index);
        value();
        path.pop();
        skipSpace();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
    }
  };

  try {
    JSON.parse(text);
  } catch {
    return [];
  }
  value();
  return problems;
}
