import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One attempt of one chat request, written in batches off the request path. */
@Entity({ name: 'usage_events' })
@Index(['username', 'createdAt'])
export class UsageEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 63 })
  username!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId!: string;

  @Column({ type: 'varchar', length: 300 })
  route!: string;

  @Column({ name: 'provider_id', type: 'varchar', length: 128 })
  providerId!: string;

  @Column({ type: 'varchar', length: 256 })
  model!: string;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'boolean' })
  ok!: boolean;

  @Column({ type: 'int' })
  status!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ name: 'prompt_tokens', type: 'int', nullable: true })
  promptTokens!: number | null;

  @Column({ name: 'completion_tokens', type: 'int', nullable: true })
  completionTokens!: number | null;

  @Column({ name: 'latency_ms', type: 'int' })
  latencyMs!: number;

  @Column({ name: 'ttft_ms', type: 'int', nullable: true })
  ttftMs!: number | null;
}
