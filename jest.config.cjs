// Two projects: unit specs beside the code, and suites under test/ that start real services.
const { swcOptions } = require('./scripts/swc-options.cjs');
const tsconfig = require('./tsconfig.base.json');

const moduleNameMapper = {
  ...Object.fromEntries(Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`])),
  // The dashboard's browser modules import each other as './x.js' (what the browser loads).
  '^(\\.{1,2}/.*)\\.js$': '$1',
};
const transform = {
  '^.+\\.ts$': ['@swc/jest', { ...swcOptions({ rewritePaths: false }), swcrc: false }],
  // ESM-only dependencies (secretlint's rules) are compiled to CommonJS for jest's module system.
  '^.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, swcrc: false }],
};
const transformIgnorePatterns = ['/node_modules/(?!@secretlint/)'];

module.exports = {
  // Keep-alive sockets of HTTP clients inside the test process must not keep a finished run alive.
  forceExit: true,
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      // The labelled prompt corpus: privacy recall, false positives and local selection accuracy.
      displayName: 'corpus',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.corpus-spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
  ],
};
