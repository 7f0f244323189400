import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ManagedBy } from './user.entity';

/** Columns shared by providers, rotations and autoselects: one JSON document per named item. */
abstract class RouteItemColumns {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  /** The item exactly as the client sent it (validated), without any API key. */
  @Column({ type: 'text' })
  config!: string;

  /** The users' config_version when the item last changed: its ETag. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'managed_by', type: 'varchar', length: 16, default: 'api' })
  managedBy!: ManagedBy;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

@Entity({ name: 'providers' })
@Index(['userId', 'name'], { unique: true })
export class ProviderEntity extends RouteItemColumns {
  /** The provider's API key sealed with AES-256-GCM (libs/secrets SecretBox); opened only by a connector. */
  @Column({ name: 'sealed_key', type: 'text', nullable: true })
  sealedKey!: string | null;

  /** What the API shows instead of the key (`sk-…abcd`), so showing it never needs the key opened. */
  @Column({ name: 'key_hint', type: 'varchar', length: 32, nullable: true })
  keyHint!: string | null;
}

@Entity({ name: 'rotations' })
@Index(['userId', 'name'], { unique: true })
export class RotationEntity extends RouteItemColumns {}

@Entity({ name: 'autoselects' })
@Index(['userId', 'name'], { unique: true })
export class AutoselectEntity extends RouteItemColumns {}
