import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { OwnedServer } from './owned-server';

/** NATS with JetStream, as the shared test server runs. */
export function ownNatsServer(): OwnedServer {
  return new OwnedServer({
    name: 'nats-server',
    command: '/usr/sbin/nats-server',
    args: (port, dir) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'js')],
  });
}

/** Redis without persistence: a stop loses everything, as the fallbacks must tolerate. */
export function ownRedisServer(): OwnedServer {
  return new OwnedServer({
    name: 'redis-server',
    command: 'redis-server',
    args: (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
  });
}

/** MariaDB on a data directory of its own; root without a password over TCP. */
export function ownMariaDbServer(): OwnedServer {
  return new OwnedServer({
    name: 'mariadbd',
    command: '/usr/sbin/mariadbd',
    args: (port, dir) => [
      '--no-defaults',
      `--datadir=${path.join(dir, 'data')}`,
      `--socket=${path.join(dir, 'mariadb.sock')}`,
      `--pid-file=${path.join(dir, 'mariadb.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
    ],
    prepare: async (dir) => {
      await promisify(execFile)('mariadb-install-db', [
        '--no-defaults',
        `--datadir=${path.join(dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--user=root',
      ]);
    },
  });
}
