import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Per-user request, token and stream limits, as the JSON the operator set (null: none of their own). */
export class UserLimits1764979200000 implements MigrationInterface {
  name = 'UserLimits1764979200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('users', new TableColumn({ name: 'limits', type: 'text', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('users', 'limits');
  }
}
