import path from 'node:path';
import { isOwnCode } from './source-map-scope';

describe('source maps for our own code only', () => {
  const root = path.join(path.sep, 'app', 'dist');

  it('tells our compiled files from dependencies, wherever AISBF is installed', () => {
    expect(isOwnCode(path.join(root, 'libs', 'cache', 'src', 'index.js'), root)).toBe(true);
    expect(isOwnCode(path.join(path.sep, 'app', 'node_modules', 'typeorm', 'index.js'), root)).toBe(false);
    expect(isOwnCode(path.join(root, 'node_modules', 'x', 'index.js'), root)).toBe(false);
    // Installed as a package: our files sit under node_modules/aisbf, their dependencies beside it.
    const installed = path.join(path.sep, 'usr', 'lib', 'node_modules', 'aisbf', 'dist');
    expect(isOwnCode(path.join(installed, 'apps', 'cli', 'src', 'main.js'), installed)).toBe(true);
    expect(isOwnCode(path.join(path.sep, 'usr', 'lib', 'node_modules', 'typeorm', 'index.js'), installed)).toBe(false);
    expect(isOwnCode(path.join(path.sep, 'app', 'distant', 'x.js'), root)).toBe(false);
  });
});
