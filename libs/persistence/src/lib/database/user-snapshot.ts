import type { EntityManager } from 'typeorm';
import {
  AutoselectConfig,
  autoselectSchema,
  compileProvider,
  ConfigDocumentKind,
  ProviderConfig,
  providerSchema,
  RotationConfig,
  rotationSchema,
  UserConfigDocuments,
  UserRouteConfig,
} from '@aisbf/routing';
import { ManagedBy, UserEntity } from './entities/user.entity';
import { AutoselectEntity, ProviderEntity, RotationEntity } from './entities/route-item.entity';

export const ITEM_ENTITIES = { providers: ProviderEntity, rotations: RotationEntity, autoselect: AutoselectEntity } as const;
export const ITEM_SCHEMAS = { providers: providerSchema, rotations: rotationSchema, autoselect: autoselectSchema } as const;
export const DOCUMENT_VERSION_COLUMNS = {
  providers: 'providersVersion',
  rotations: 'rotationsVersion',
  autoselect: 'autoselectVersion',
} as const satisfies Record<ConfigDocumentKind, keyof UserEntity>;

/** One stored provider, rotation or autoselect: the client's JSON as sent, and its bookkeeping. */
export interface StoredItem {
  name: string;
  /** The JSON the client sent (providers without their key). */
  raw: Record<string, unknown>;
  version: number;
  managedBy: ManagedBy;
  sealedKey: string | null;
  keyHint: string | null;
}

/** A user and every route item, read in one go: what both the cache and the writers start from. */
export interface UserSnapshot {
  user: UserEntity;
  items: Record<ConfigDocumentKind, Map<string, StoredItem>>;
}

export async function loadUserSnapshot(manager: EntityManager, username: string): Promise<UserSnapshot | null> {
  const user = await manager.findOne(UserEntity, { where: { username } });
  if (!user) return null;
  const items = {} as UserSnapshot['items'];
  for (const kind of Object.keys(ITEM_ENTITIES) as ConfigDocumentKind[]) {
    const rows = (await manager.find(ITEM_ENTITIES[kind], { where: { userId: user.id }, order: { name: 'ASC' } })) as Array<
      ProviderEntity | RotationEntity
    >;
    items[kind] = new Map(
      rows.map((row) => [
        row.name,
        {
          name: row.name,
          raw: JSON.parse(row.config) as Record<string, unknown>,
          version: row.version,
          managedBy: row.managedBy,
          sealedKey: 'sealedKey' in row ? row.sealedKey : null,
          keyHint: 'keyHint' in row ? (row as ProviderEntity).keyHint : null,
        },
      ]),
    );
  }
  return { user, items };
}

/** The three documents, parsed (defaults applied) for checks and compilation. */
export function snapshotDocuments(items: UserSnapshot['items']): UserConfigDocuments {
  const parse = <T>(kind: ConfigDocumentKind): Record<string, T> =>
    Object.fromEntries([...items[kind].values()].map((item) => [item.name, ITEM_SCHEMAS[kind].parse(item.raw) as T]));
  return {
    providers: parse<ProviderConfig>('providers'),
    rotations: parse<RotationConfig>('rotations'),
    autoselect: parse<AutoselectConfig>('autoselect'),
  };
}

/**
 * What the resolver routes with. Admins' and file-declared users' providers may point at private
 * networks; other users' only when the operator trusts every user (AISBF_TRUST_USER_ENDPOINTS).
 */
export function compileSnapshot(snapshot: UserSnapshot, trustUserEndpoints: boolean): UserRouteConfig {
  const docs = snapshotDocuments(snapshot.items);
  return {
    username: snapshot.user.username,
    trustedEndpoints: trustUserEndpoints || snapshot.user.role === 'admin' || snapshot.user.managedBy === 'file',
    providers: new Map(
      Object.entries(docs.providers).map(([id, provider]) => [id, compileProvider(id, provider, snapshot.items.providers.get(id)!.sealedKey)]),
    ),
    rotations: new Map(Object.entries(docs.rotations)),
    autoselects: new Map(Object.entries(docs.autoselect)),
  };
}
