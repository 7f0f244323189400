/**
 * A cache every replica sees (Redis), or its in-memory stand-in for the embedded mode. Values are
 * strings; a failing backend throws, and callers decide whether a miss is good enough.
 */
export interface SharedCache {
  readonly name: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(keys: string[]): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
}
