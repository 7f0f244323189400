import type { EntityManager } from 'typeorm';
import { AisbfError, ConfigChanged } from '@aisbf/contracts';
import {
  autoselectDocumentSchema,
  checkConfigReferences,
  ConfigDocumentKind,
  ConfigProblem,
  formatJsonPath,
  locateProblem,
  problemsFromZod,
  providersDocumentSchema,
  rotationsDocumentSchema,
  SubmittedConfig,
} from '@aisbf/routing';
import { maskSecret, SecretBox } from '@aisbf/secrets';
import { canonicalJson } from './canonical-json';
import { ConfigRejectedError } from './config-rejected-error';
import { DatabaseHandle } from './database/database-handle';
import { UserEntity } from './database/entities/user.entity';
import {
  DOCUMENT_VERSION_COLUMNS,
  ITEM_ENTITIES,
  ITEM_SCHEMAS,
  loadUserSnapshot,
  snapshotDocuments,
  StoredItem,
  UserSnapshot,
} from './database/user-snapshot';
import type { ConfigInvalidator } from './config-invalidator';

/** Optimistic concurrency: the version the client last saw (If-Match), or "must not exist yet" (If-None-Match: *). */
export interface Precondition {
  ifMatch?: number | '*';
  ifNoneMatch?: '*';
}

export interface ItemView {
  name: string;
  body: Record<string, unknown>;
  version: number;
  managedBy: 'file' | 'api';
}

export interface DocumentView {
  body: Record<string, unknown>;
  version: number;
}

/** Limits that keep one user's configuration reasonable to compile and cache. */
export const CONFIG_LIMITS = { itemsPerKind: 500, itemBytes: 256 * 1024, documentBytes: 2 * 1024 * 1024 } as const;

const CHANGE_KIND: Record<ConfigDocumentKind, ConfigChanged['kind']> = {
  providers: 'providers',
  rotations: 'rotations',
  autoselect: 'autoselects',
};
const LABEL: Record<ConfigDocumentKind, string> = { providers: 'provider', rotations: 'rotation', autoselect: 'autoselect' };

interface NextItem {
  raw: Record<string, unknown>;
  sealedKey: string | null;
  keyHint: string | null;
}

/**
 * Writes providers, rotations and autoselects: one item or a whole document, atomically. Every
 * write checks the schema, then the whole resulting configuration (references, loops), then the
 * client's version; anything wrong is refused with the JSON path of each problem and nothing stored.
 */
export class RouteConfigWriter {
  constructor(
    private readonly db: DatabaseHandle,
    private readonly box: SecretBox,
    private readonly invalidator: ConfigInvalidator,
  ) {}

  async getItem(username: string, kind: ConfigDocumentKind, name: string): Promise<ItemView> {
    const snapshot = await this.snapshot(username);
    const item = snapshot.items[kind].get(name);
    if (!item) throw new AisbfError('not_found', `${LABEL[kind]} '${name}' does not exist`);
    return { name, body: this.view(item), version: item.version, managedBy: item.managedBy };
  }

  async listItems(username: string, kind: ConfigDocumentKind): Promise<ItemView[]> {
    const snapshot = await this.snapshot(username);
    return [...snapshot.items[kind].values()].map((item) => ({ name: item.name, body: this.view(item), version: item.version, managedBy: item.managedBy }));
  }

  async getDocument(username: string, kind: ConfigDocumentKind): Promise<DocumentView> {
    const snapshot = await this.snapshot(username);
    const items = Object.fromEntries([...snapshot.items[kind].values()].map((item) => [item.name, this.view(item)]));
    return { body: this.wrap(kind, items), version: snapshot.user[DOCUMENT_VERSION_COLUMNS[kind]] };
  }

  async putItem(username: string, kind: ConfigDocumentKind, name: string, body: unknown, precondition: Precondition): Promise<{ version: number; created: boolean }> {
    const submitted: SubmittedConfig = { document: kind, item: name };
    const parsed = ITEM_SCHEMAS[kind].safeParse(body);
    if (!parsed.success) throw new ConfigRejectedError('unprocessable_config', `invalid ${LABEL[kind]}`, problemsFromZod(parsed.error));
    this.checkSize(body, CONFIG_LIMITS.itemBytes, []);
    return this.write(username, kind, async (manager, snapshot, stamp) => {
      const current = snapshot.items[kind].get(name);
      this.checkPrecondition(precondition, current?.version ?? null, `${LABEL[kind]} '${name}'`);
      if (current?.managedBy === 'file') throw this.fileManaged(kind, [name], submitted);
      const next = this.nextItem(kind, body as Record<string, unknown>, current, []);
      const items = new Map(snapshot.items[kind]);
      items.set(name, { ...(current ?? { name, version: 0, managedBy: 'api' }), ...next, name });
      this.checkWhole(snapshot, kind, items, submitted);
      await this.save(manager, snapshot, kind, name, next, stamp, current);
      await this.bumpDocument(manager, snapshot, kind, stamp);
      return { version: stamp, created: !current };
    });
  }

  async deleteItem(username: string, kind: ConfigDocumentKind, name: string, precondition: Precondition): Promise<void> {
    await this.write(username, kind, async (manager, snapshot, stamp) => {
      const current = snapshot.items[kind].get(name);
      if (!current) throw new AisbfError('not_found', `${LABEL[kind]} '${name}' does not exist`);
      this.checkPrecondition(precondition, current.version, `${LABEL[kind]} '${name}'`);
      if (current.managedBy === 'file') throw this.fileManaged(kind, [name], { document: kind, item: name });
      const items = new Map(snapshot.items[kind]);
      items.delete(name);
      this.checkWhole(snapshot, kind, items, { document: kind });
      await manager.delete(ITEM_ENTITIES[kind], { userId: snapshot.user.id, name });
      await this.bumpDocument(manager, snapshot, kind, stamp);
    });
  }

  /** Replaces a whole document (`{"providers":{...}}`, `{"rotations":{...}}`, or the autoselect map). */
  async putDocument(username: string, kind: ConfigDocumentKind, body: unknown, precondition: Precondition): Promise<{ version: number }> {
    const submitted: SubmittedConfig = { document: kind };
    const schema = kind === 'providers' ? providersDocumentSchema : kind === 'rotations' ? rotationsDocumentSchema : autoselectDocumentSchema;
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ConfigRejectedError('unprocessable_config', `invalid ${kind} document`, problemsFromZod(parsed.error));
    this.checkSize(body, CONFIG_LIMITS.documentBytes, []);
    const base = kind === 'autoselect' ? [] : [kind];
    const incoming = (kind === 'autoselect' ? body : (body as Record<string, unknown>)[kind]) as Record<string, Record<string, unknown>>;
    if (Object.keys(incoming).length > CONFIG_LIMITS.itemsPerKind) {
      throw new ConfigRejectedError('unprocessable_config', 'document too large', [
        { path: formatJsonPath(base), message: `at most ${CONFIG_LIMITS.itemsPerKind} ${kind} per user` },
      ]);
    }
    return this.write(username, kind, async (manager, snapshot, stamp) => {
      this.checkPrecondition(precondition, snapshot.user[DOCUMENT_VERSION_COLUMNS[kind]], `the ${kind} document`);
      const items = new Map<string, StoredItem>();
      const changed = new Map<string, NextItem>();
      for (const [name, raw] of Object.entries(incoming)) {
        const current = snapshot.items[kind].get(name);
        const next = this.nextItem(kind, raw, current, [...base, name]);
        items.set(name, { ...(current ?? { name, version: 0, managedBy: 'api' }), ...next, name });
        if (!current || canonicalJson(current.raw) !== canonicalJson(next.raw) || current.sealedKey !== next.sealedKey) changed.set(name, next);
      }
      const fileItems = [...snapshot.items[kind].values()].filter((item) => item.managedBy === 'file' && (!items.has(item.name) || changed.has(item.name)));
      if (fileItems.length) throw this.fileManaged(kind, fileItems.map((item) => item.name), submitted);
      this.checkWhole(snapshot, kind, items, submitted);
      const removed = [...snapshot.items[kind].keys()].filter((name) => !items.has(name));
      for (const name of removed) await manager.delete(ITEM_ENTITIES[kind], { userId: snapshot.user.id, name });
      for (const [name, next] of changed) await this.save(manager, snapshot, kind, name, next, stamp, snapshot.items[kind].get(name));
      if (removed.length === 0 && changed.size === 0) return { version: snapshot.user[DOCUMENT_VERSION_COLUMNS[kind]] };
      await this.bumpDocument(manager, snapshot, kind, stamp);
      return { version: stamp };
    });
  }

  private async snapshot(username: string): Promise<UserSnapshot> {
    let snapshot: UserSnapshot | null;
    try {
      snapshot = await loadUserSnapshot(this.db.dataSource.manager, username);
    } catch (error) {
      throw this.unavailable(error);
    }
    if (!snapshot) throw new AisbfError('not_found', `user '${username}' does not exist`);
    return snapshot;
  }

  private unavailable(error: unknown): AisbfError {
    return error instanceof AisbfError ? error : new AisbfError('service_unavailable', 'the configuration database is unavailable, try again', { retryable: true });
  }

  /**
   * One write: the user's row is bumped first (a row lock on MySQL, so writers of one user take
   * turns and each gets a new, higher stamp), the snapshot is read inside the transaction, and the
   * caches are dropped on every replica after the commit.
   */
  private async write<T>(username: string, kind: ConfigDocumentKind, work: (manager: EntityManager, snapshot: UserSnapshot, stamp: number) => Promise<T>): Promise<T> {
    this.invalidator.assertWritable();
    const result = await this.db.transaction(async (manager) => {
      const bumped = await manager.increment(UserEntity, { username }, 'configVersion', 1);
      if (!bumped.affected) throw new AisbfError('not_found', `user '${username}' does not exist`);
      const snapshot = (await loadUserSnapshot(manager, username))!;
      return work(manager, snapshot, snapshot.user.configVersion);
    });
    await this.invalidator.changed({ username, kind: CHANGE_KIND[kind] }, []);
    return result;
  }

  /** The stored form of a submitted item: the JSON as sent, the key sealed and replaced by a hint. */
  private nextItem(kind: ConfigDocumentKind, body: Record<string, unknown>, current: StoredItem | undefined, at: Array<string | number>): NextItem {
    if (kind !== 'providers') return { raw: body, sealedKey: null, keyHint: null };
    const { api_key: apiKey, ...raw } = body as { api_key?: string };
    if ('api_key_env' in raw) {
      throw new ConfigRejectedError('unprocessable_config', 'invalid provider', [
        { path: formatJsonPath([...at, 'api_key_env']), message: "only the configuration file may read the server's environment; send api_key" },
      ]);
    }
    // Left out, or the hint GET showed: keep the stored key. Empty: remove it.
    if (apiKey === undefined || (current?.keyHint && apiKey === current.keyHint)) {
      return { raw, sealedKey: current?.sealedKey ?? null, keyHint: current?.keyHint ?? null };
    }
    if (apiKey === '') return { raw, sealedKey: null, keyHint: null };
    return { raw, sealedKey: this.box.seal(apiKey), keyHint: maskSecret(apiKey) };
  }

  private view(item: StoredItem): Record<string, unknown> {
    return item.keyHint ? { ...item.raw, api_key: item.keyHint } : item.raw;
  }

  private wrap(kind: ConfigDocumentKind, items: Record<string, unknown>): Record<string, unknown> {
    return kind === 'autoselect' ? items : { [kind]: items };
  }

  private checkPrecondition(precondition: Precondition, current: number | null, what: string): void {
    if (precondition.ifNoneMatch === '*' && current !== null) throw new AisbfError('conflict', `${what} already exists (If-None-Match: *)`);
    if (precondition.ifMatch === undefined) return;
    if (current === null) throw new AisbfError(precondition.ifMatch === '*' ? 'not_found' : 'conflict', `${what} does not exist (If-Match)`);
    if (precondition.ifMatch !== '*' && precondition.ifMatch !== current) {
      throw new AisbfError('conflict', `${what} changed since version ${precondition.ifMatch} (now ${current}): reload it and apply your change again`);
    }
  }

  private checkSize(body: unknown, limit: number, at: Array<string | number>): void {
    const size = Buffer.byteLength(JSON.stringify(body));
    if (size > limit) {
      throw new ConfigRejectedError('unprocessable_config', 'document too large', [{ path: formatJsonPath(at), message: `${size} bytes, at most ${limit}` }]);
    }
  }

  private checkWhole(snapshot: UserSnapshot, kind: ConfigDocumentKind, items: Map<string, StoredItem>, submitted: SubmittedConfig): void {
    if (items.size > CONFIG_LIMITS.itemsPerKind) {
      throw new ConfigRejectedError('unprocessable_config', 'too many items', [{ path: '$', message: `at most ${CONFIG_LIMITS.itemsPerKind} ${kind} per user` }]);
    }
    const docs = snapshotDocuments({ ...snapshot.items, [kind]: items });
    const problems: ConfigProblem[] = checkConfigReferences(docs).map((problem) => locateProblem(problem, submitted));
    if (problems.length) throw new ConfigRejectedError('unprocessable_config', 'configuration refused, nothing was stored', problems);
  }

  private fileManaged(kind: ConfigDocumentKind, names: string[], submitted: SubmittedConfig): ConfigRejectedError {
    return new ConfigRejectedError(
      'conflict',
      `managed by the configuration file (AISBF_CONFIG): change it there`,
      names.map((name) => locateProblem({ document: kind, item: name, segments: [], message: `${LABEL[kind]} '${name}' is declared in the configuration file` }, submitted)),
    );
  }

  private async save(manager: EntityManager, snapshot: UserSnapshot, kind: ConfigDocumentKind, name: string, next: NextItem, stamp: number, current: StoredItem | undefined): Promise<void> {
    const columns = {
      config: JSON.stringify(next.raw),
      version: stamp,
      ...(kind === 'providers' ? { sealedKey: next.sealedKey, keyHint: next.keyHint } : {}),
    };
    if (current) await manager.update(ITEM_ENTITIES[kind], { userId: snapshot.user.id, name }, columns);
    else await manager.insert(ITEM_ENTITIES[kind], { userId: snapshot.user.id, name, managedBy: 'api', ...columns });
  }

  private async bumpDocument(manager: EntityManager, snapshot: UserSnapshot, kind: ConfigDocumentKind, stamp: number): Promise<void> {
    await manager.update(UserEntity, { id: snapshot.user.id }, { [DOCUMENT_VERSION_COLUMNS[kind]]: stamp });
  }
}
