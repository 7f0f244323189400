import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteFileSaver } from './sqlite-file-saver';

describe('sqliteFileSaver', () => {
  const dir = () => mkdtempSync(path.join(os.tmpdir(), 'aisbf-saver-'));

  it('keeps the last of many overlapping saves, whole, and leaves no temporary file', async () => {
    const folder = dir();
    const file = path.join(folder, 'aisbf.sqlite');
    const save = sqliteFileSaver(file);
    const images = Array.from({ length: 20 }, (_, i) => new Uint8Array(64 * 1024 + i).fill(i + 1));
    await Promise.all(images.map((image) => save(image)));
    const written = readFileSync(file);
    expect(written.length).toBe(64 * 1024 + 19);
    expect(written.every((byte) => byte === 20)).toBe(true);
    expect(readdirSync(folder)).toEqual(['aisbf.sqlite']);
  });

  it('reports a failed save, cleans up after it and goes on saving', async () => {
    const folder = dir();
    const file = path.join(folder, 'aisbf.sqlite');
    // A directory in the file's place (even root cannot rename a file over it).
    mkdirSync(path.join(file, 'occupied'), { recursive: true });
    const save = sqliteFileSaver(file);
    await expect(save(new Uint8Array([1]))).rejects.toThrow();
    expect(readdirSync(folder)).toEqual(['aisbf.sqlite']);
    rmSync(file, { recursive: true });
    await save(new TextEncoder().encode('next'));
    expect(readFileSync(file, 'utf8')).toBe('next');
  });

  it('leaves the previous file whole and no temporary file when writing the new image fails', async () => {
    const folder = dir();
    const file = path.join(folder, 'aisbf.sqlite');
    writeFileSync(file, 'previous');
    const save = sqliteFileSaver(file);
    await expect(save({} as Uint8Array)).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(folder)).toEqual(['aisbf.sqlite']);
  });
});
