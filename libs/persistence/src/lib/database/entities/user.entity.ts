import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Who manages a row: the declarative file (re-applied at start, read-only via the API) or the API. */
export type ManagedBy = 'file' | 'api';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 63, unique: true })
  username!: string;

  /** argon2id; null for users who only use API tokens. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 16 })
  role!: 'admin' | 'user';

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** The operator's limits for this user, as JSON (see UserLimits); null when none are set. */
  @Column({ type: 'text', nullable: true })
  limits!: string | null;

  @Column({ name: 'managed_by', type: 'varchar', length: 16, default: 'api' })
  managedBy!: ManagedBy;

  /** Bumped by every configuration write: serializes writers and stamps item versions. */
  @Column({ name: 'config_version', type: 'int', default: 0 })
  configVersion!: number;

  @Column({ name: 'providers_version', type: 'int', default: 0 })
  providersVersion!: number;

  @Column({ name: 'rotations_version', type: 'int', default: 0 })
  rotationsVersion!: number;

  @Column({ name: 'autoselect_version', type: 'int', default: 0 })
  autoselectVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
