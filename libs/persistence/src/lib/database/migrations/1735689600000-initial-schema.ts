import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The first schema, written once for both dialects (MySQL/MariaDB and the embedded SQLite) with
 * TypeORM's table builder; only column types differ.
 */
export class InitialSchema1735689600000 implements MigrationInterface {
  name = 'InitialSchema1735689600000';

  async up(runner: QueryRunner): Promise<void> {
    const mysql = runner.connection.options.type === 'mysql';
    const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
    const time = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: mysql ? 3 : undefined,
      isNullable: nullable,
      default: nullable ? undefined : mysql ? 'CURRENT_TIMESTAMP(3)' : 'CURRENT_TIMESTAMP',
    });
    const json: TableColumnOptions['type'] = mysql ? 'mediumtext' : 'text';
    const text = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
    // Ids are case-sensitive ('OpenAI' and 'openai' are two providers): binary collation on MySQL.
    const key = (name: string, length: number): TableColumnOptions => ({ ...text(name, length), collation: mysql ? 'utf8mb4_bin' : undefined });
    const int = (name: string, fallback?: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: nullable,
      default: fallback,
    });
    const options = mysql ? { engine: 'InnoDB' } : {};
    const create = (table: Table) => runner.createTable(Object.assign(table, options), false, true, true);

    await create(
      new Table({
        name: 'users',
        columns: [
          id(),
          key('username', 63),
          text('password_hash', 255, true),
          text('role', 16),
          { name: 'disabled', type: 'boolean', default: mysql ? 0 : false },
          { ...text('managed_by', 16), default: "'api'" },
          int('config_version', 0),
          int('providers_version', 0),
          int('rotations_version', 0),
          int('autoselect_version', 0),
          time('created_at'),
          time('updated_at'),
        ],
        uniques: [{ name: 'uq_users_username', columnNames: ['username'] }],
      }),
    );

    await create(
      new Table({
        name: 'api_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          int('user_id'),
          key('token_hash', 64),
          text('prefix', 16),
          text('name', 100),
          { ...text('managed_by', 16), default: "'api'" },
          time('created_at'),
          time('last_used_at', true),
          time('expires_at', true),
          time('revoked_at', true),
        ],
        uniques: [{ name: 'uq_api_tokens_hash', columnNames: ['token_hash'] }],
        indices: [new TableIndex({ name: 'ix_api_tokens_user', columnNames: ['user_id'] })],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_api_tokens_user', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );

    for (const table of ['providers', 'rotations', 'autoselects']) {
      await create(
        new Table({
          name: table,
          columns: [
            id(),
            int('user_id'),
            key('name', 128),
            { name: 'config', type: json },
            ...(table === 'providers' ? [{ name: 'sealed_key', type: 'text', isNullable: true }, text('key_hint', 32, true)] : []),
            int('version'),
            { ...text('managed_by', 16), default: "'api'" },
            time('created_at'),
            time('updated_at'),
          ],
          uniques: [{ name: `uq_${table}_user_name`, columnNames: ['user_id', 'name'] }],
          foreignKeys: [
            new TableForeignKey({ name: `fk_${table}_user`, columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          ],
        }),
      );
    }

    await create(
      new Table({
        name: 'usage_events',
        columns: [
          { name: 'id', type: mysql ? 'bigint' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          time('created_at'),
          text('username', 63),
          text('request_id', 64),
          text('route', 300),
          text('provider_id', 128),
          text('model', 256),
          int('attempt'),
          { name: 'ok', type: 'boolean' },
          int('status'),
          text('code', 64, true),
          int('prompt_tokens', undefined, true),
          int('completion_tokens', undefined, true),
          int('latency_ms'),
          int('ttft_ms', undefined, true),
        ],
        indices: [new TableIndex({ name: 'ix_usage_events_user_time', columnNames: ['username', 'created_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['usage_events', 'autoselects', 'rotations', 'providers', 'api_tokens', 'users']) await runner.dropTable(table, true);
  }
}
