// One SWC configuration for the build and for jest, with the path aliases of tsconfig.base.json.
const path = require('node:path');
const tsconfig = require('../tsconfig.base.json');

function swcOptions({ rewritePaths }) {
  const root = path.resolve(__dirname, '..');
  return {
    sourceMaps: true,
    module: { type: 'commonjs', strictMode: true },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      ...(rewritePaths ? { baseUrl: root, paths: tsconfig.compilerOptions.paths } : {}),
    },
  };
}

module.exports = { swcOptions };
