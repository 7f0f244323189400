import Module from 'node:module';
import path from 'node:path';

/** Where AISBF's own compiled files live: dist/ (or the sources under ts-node and Jest). */
const OWN_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** True for AISBF's own files: inside its root and not inside a dependency. */
export function isOwnCode(filename: string, ownRoot = OWN_ROOT): boolean {
  return filename.startsWith(ownRoot + path.sep) && !filename.slice(ownRoot.length).includes(NODE_MODULES);
}

type CompiledModule = { _compile(content: string, filename: string): unknown };
let scoped = false;

/**
 * With --enable-source-maps (the image sets it), Node reads the source map of every module it
 * loads and keeps it for the life of the process: about 17 MB of heap for our dependencies alone
 * (TypeORM ships 6 MB of maps with its full sources), a quarter of a small container's budget.
 * Stack traces are read for our code, so maps are loaded for it alone; frames inside
 * dependencies keep their JavaScript positions.
 */
export function scopeSourceMapsToOwnCode(): void {
  if (scoped || !process.sourceMapsEnabled) return;
  scoped = true;
  const prototype = Module.prototype as unknown as CompiledModule;
  const compile = prototype._compile;
  prototype._compile = function (this: CompiledModule, content: string, filename: string) {
    // Node decides when it compiles a file; nested requires restore their parent's setting.
    const before = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(isOwnCode(filename));
    try {
      return compile.call(this, content, filename);
    } finally {
      process.setSourceMapsEnabled(before);
    }
  };
}

// Done on load: the telemetry lib loads this file before any dependency (see index.ts).
scopeSourceMapsToOwnCode();
