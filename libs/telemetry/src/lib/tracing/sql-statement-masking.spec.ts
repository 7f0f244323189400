import { maskSqlLiterals } from './sql-statement-masking';

describe('SQL statements on spans', () => {
  it('replace every literal value by a placeholder', () => {
    expect(maskSqlLiterals("SELECT * FROM `tokens` WHERE `hash` = 'a1b2c3' AND `id` > 42 AND score < -1.5e3")).toBe(
      'SELECT * FROM `tokens` WHERE `hash` = ? AND `id` > ? AND score < ?',
    );
    expect(maskSqlLiterals(`INSERT INTO t (a, b, c) VALUES ("it's", 'o''brien', 'back\\'slash')`)).toBe('INSERT INTO t (a, b, c) VALUES (?, ?, ?)');
    expect(maskSqlLiterals("SELECT X'DEADBEEF', 0xCAFE, b'1010'")).toBe('SELECT ?, ?, ?');
  });

  it('keep identifiers with digits, placeholders and the statement shape', () => {
    expect(maskSqlLiterals('SELECT `t1`.`key2`, col3 FROM users_v2 AS t1 WHERE t1.`id` = ? LIMIT 10')).toBe(
      'SELECT `t1`.`key2`, col3 FROM users_v2 AS t1 WHERE t1.`id` = ? LIMIT ?',
    );
    expect(maskSqlLiterals('SELECT 1')).toBe('SELECT ?');
  });
});
