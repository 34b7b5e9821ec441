// Lint configuration: typescript-eslint's recommended rules for every TypeScript file, and the
// layering of the server: domain folders hold the rules of Propusk and know nothing of HTTP, pages,
// storage or oidc-provider (they reach storage through the repository interfaces they declare).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Folders of packages/server/src that hold domain rules only. */
const DOMAIN_FOLDERS = ['accounts', 'clients', 'resources', 'partners', 'linking', 'integrations', 'audit', 'keys', 'device', 'shared'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'packages/server/dist/**', 'packages/resource-server/dist/**', 'packages/server/.dist-*/**', '.tsbuild/**', 'data/**', 'test-output/**', 'bench/results*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // oidc-provider's internals are reached only through the seam, where each reach-in names what it depends on.
    files: ['packages/**/*.ts', 'examples/**/*.ts'],
    ignores: ['packages/server/src/provider/seam/**', 'packages/server/test/provider/seam.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['oidc-provider/lib/*'], message: 'Reach into oidc-provider only from packages/server/src/provider/seam/ (see docs/oidc-provider-seam.md).' }] }],
    },
  },
  {
    files: DOMAIN_FOLDERS.map((d) => `packages/server/src/${d}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/web/**', '**/http/**', '**/storage/**', '**/provider/**', '**/grants/**', '**/app.ts', '**/context.ts'], message: 'Domain folders do not depend on the web layer, HTTP, storage or the provider: declare an interface here and let the outer layer implement it.' },
            { group: ['oidc-provider', 'oidc-provider/*', 'koa', '@koa/*'], message: 'Domain folders do not depend on oidc-provider or Koa.' },
          ],
        },
      ],
    },
  },
);
