/**
 * SQL literals, in the order they are matched: quoted strings (MySQL's '' and \' escapes; double
 * quotes are strings too outside ANSI_QUOTES), hex and bit literals, then numbers that are not part
 * of an identifier. Backquoted identifiers are matched first and kept, so a column named `key2`
 * or a table `t1` stays readable.
 */
const SQL_TOKENS = /(`(?:[^`]|``)*`)|[xXbB]'[^']*'|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\b0x[0-9a-fA-F]+\b|(?<![\w$.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/g;

/**
 * A statement as spans may carry it (db.query.text): its shape, with every literal value replaced
 * by `?`. The mysql2 instrumentation would otherwise format the bound values into the text, and
 * those include token hashes, sealed keys and user names.
 */
export function maskSqlLiterals(statement: string): string {
  return statement.replace(SQL_TOKENS, (token, identifier: string | undefined) => identifier ?? '?');
}
