// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * ESLint with typescript-eslint's type-checked rules: in a gateway that is
 * mostly async I/O, a promise nobody awaits or a thenable passed where a
 * callback is expected is the bug class that matters, and only a linter that
 * reads the types finds it. Formatting is Prettier's (npm run format).
 */
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'docs/**', 'data/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js', 'test/support/*.js'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // An async function without await is how a Fastify handler, a repository port or a test double
      // keeps its Promise contract; the rules that catch real promise bugs (no-floating-promises,
      // no-misused-promises, await-thenable) stay on.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests, benchmarks and scripts read other programs' JSON answers, which are `any` by nature:
    // the unsafe-any family would only ask for casts there. The promise rules stay on.
    files: ['test/**', 'bench/**', 'scripts/**', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(spy.method) and friends pass methods around on purpose.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The console's browser scripts: classic scripts (no modules), type-checked by src/console/assets/tsconfig.json.
    files: ['src/console/assets/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    // The contract between core.js and the pages: the admin API's answers are JSON, read loosely by the pages.
    files: ['src/console/assets/*.d.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Jest loads its transformer with require(): CommonJS by contract.
    files: ['test/support/esm-transformer.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
