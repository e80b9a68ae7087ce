// The layering rule (docs/architecture.md, "Layers"), enforced by eslint-plugin-boundaries:
//   features (src/features/<feature>/)  →  infrastructure (src/db, http, cli, config, storage, jobs, parsing, timestamping,
//   i18n, errors.ts, authentication.ts); never the other way, except the two mount lists (src/features/routes.ts,
//   src/features/cli.ts) and the program assembly (src/cli/main.ts), which name the features.
//   src/testing/ is for tests only; the web app imports no server code but src/parsing and src/i18n.
// test/fixtures/layering/ holds deliberately wrong imports; src/layering.test.ts lints it with this config.
import boundaries from 'eslint-plugin-boundaries';

/** The same patterns inside the repository and inside the layering test's fixture. */
const at = (...patterns) => patterns.flatMap((pattern) => [pattern, `test/fixtures/layering/${pattern}`]);

const infrastructure = ['db', 'http', 'cli', 'config', 'storage', 'jobs', 'timestamping'];

export const layeringConfig = {
  files: ['src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'import/resolver': { [new URL('./scripts/eslint/ts-source-resolver.cjs', import.meta.url).pathname]: {} },
    'boundaries/include': ['src/**', 'web/src/**', 'test/**', 'bench/**', 'scripts/**'],
    'boundaries/elements': [
      // Tests drive the whole program: no restriction (first, so that a test file is never another element).
      { type: 'test', pattern: ['**/*.test.ts', '**/*.test.tsx'], mode: 'full' },
      { type: 'web', pattern: 'web/src/**', mode: 'full' },
      { type: 'mount-list', pattern: at('src/features/routes.ts', 'src/features/cli.ts'), mode: 'full' },
      { type: 'assembly', pattern: at('src/cli/main.ts'), mode: 'full' },
      { type: 'feature', pattern: at('src/features/*'), capture: ['feature'] },
      { type: 'testing', pattern: at('src/testing/**'), mode: 'full' },
      // Shared with the web app: dependency-free.
      { type: 'shared', pattern: at('src/parsing/**', 'src/i18n/**'), mode: 'full' },
      {
        type: 'infrastructure',
        pattern: at(...infrastructure.map((folder) => `src/${folder}/**`), 'src/errors.ts', 'src/authentication.ts'),
        mode: 'full',
      },
    ],
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'allow',
        policies: [
          {
            from: {
              element: { types: { anyOf: ['infrastructure', 'shared'] } },
            },
            disallow: { to: { element: { types: { anyOf: ['feature', 'assembly'] } } } },
            message:
              'Infrastructure may not import a feature: pass what it needs down (see docs/architecture.md, Layers)',
          },
          {
            from: { element: { type: 'shared' } },
            disallow: { to: { element: { types: { anyOf: ['infrastructure', 'mount-list'] } } } },
            message: 'src/parsing and src/i18n are shared with the web app and stay dependency-free',
          },
          {
            from: { element: { types: { anyOf: ['feature', 'mount-list'] } } },
            disallow: { to: { element: { types: { anyOf: ['mount-list', 'assembly'] } } } },
            message: 'A feature may not import the mount lists or the program assembly',
          },
          {
            from: {
              element: { types: { anyOf: ['feature', 'mount-list', 'assembly', 'infrastructure', 'shared', 'web'] } },
            },
            disallow: { to: { element: { type: 'testing' } } },
            message: 'src/testing is for tests only (it is not built into dist/)',
          },
          {
            from: { element: { type: 'web' } },
            disallow: {
              to: {
                element: {
                  types: { anyOf: ['feature', 'mount-list', 'assembly', 'infrastructure', 'testing'] },
                },
              },
            },
            message: 'The web app imports no server code except src/parsing and src/i18n',
          },
        ],
      },
    ],
  },
};
