import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

/**
 * Saves the embedded mode's SQLite image: written to a temporary file, flushed to disk and renamed
 * over the database file, one save at a time in order. A save cut short (the process stopped while
 * writing) leaves the previous file whole; a plain write would truncate it first and could leave an
 * empty database behind, losing every user and token.
 */
export function sqliteFileSaver(file: string): (image: Uint8Array) => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return (image) => {
    const save = last.then(() => writeAtomically(file, image));
    // A failed save must not stop the next one; its own caller gets the error.
    last = save.catch(() => undefined);
    return save;
  };
}

async function writeAtomically(file: string, image: Uint8Array): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(image);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
