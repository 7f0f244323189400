import nx from '@nx/eslint-plugin';

const depConstraints = [
  // contracts and routing stand alone: they import nothing of ours.
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [] },
  // infra libs build on contracts and domain logic, never on apps.
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contract', 'type:domain', 'type:infra'] },
  // a service never imports another service.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contract', 'type:domain', 'type:infra'] },
  // the embedded launcher is the one place that joins the four services.
  { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: ['type:app', 'type:contract', 'type:domain', 'type:infra'] },
];

export default [
  { ignores: ['**/dist', '**/node_modules', 'tmp/**', 'bench/results/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'read the environment once, in main.ts/instrument.ts, through a validated schema',
        },
      ],
    },
  },
  {
    // Nx forbids importing application projects; the launcher imports each service's root module file.
    files: ['apps/standalone/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@aisbf/edge-api', '@aisbf/route-resolver', '@aisbf/classifier', '@aisbf/connector'],
          depConstraints,
        },
      ],
    },
  },
  {
    files: ['**/main.ts', '**/instrument.ts', '**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'jest.config.cjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
