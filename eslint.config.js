// Per-folder import bans keep the layers honest (Signal-Desktop's approach): the core runs
// under Node alone, the renderer reaches the core only through the preload's bridge.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
// Last: turns off the lint rules that are about layout, which Prettier owns (npm run format).
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

/** Node's built-in modules, both spellings (fs and node:fs), for the folders that run in a page. */
const nodeModules = ['node:*', ...builtinModules, ...builtinModules.map((name) => `${name}/*`)];
const electronOrUi = ['electron', 'electron/*', 'react', 'react-dom', 'react-dom/*', 'react/*'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOrUi
            .filter((p) => !p.includes('*'))
            .map((name) => ({ name, message: 'app/ is the pure core: no Electron or UI imports.' })),
          patterns: [
            { group: ['electron/*', 'react/*', 'react-dom/*'], message: 'app/ is the pure core: no Electron or UI imports.' },
            {
              group: ['../main/*', '../renderer/*', '../../main/*', '../../renderer/*'],
              message: 'app/ may not depend on main/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement'],
    },
  },
  {
    // app/shared: what crosses the process boundary (the contract, the views, state names,
    // limits, redaction). The preload and the renderer bundle it, so it may not reach Node or
    // anything else that does not run in a page: values only from app/shared itself and io-ts /
    // fp-ts; types from anywhere in app/ (they are erased).
    files: ['app/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOrUi
            .filter((p) => !p.includes('*'))
            .map((name) => ({ name, message: 'app/ is the pure core: no Electron or UI imports.' })),
          patterns: [
            { group: nodeModules, message: 'app/shared is loaded by the preload and the renderer: no Node built-ins.' },
            {
              regex: '^\\.\\./',
              allowTypeImports: true,
              message: 'app/shared is loaded by the preload and the renderer: values only from app/shared (types from anywhere).',
            },
            {
              regex: '^(?!\\.|io-ts|fp-ts)',
              message: 'app/shared is loaded by the preload and the renderer: only io-ts and fp-ts among packages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'electron'],
              message: 'The renderer reaches the core only through window.importer.',
            },
            // Values from app/shared are allowed: it is linted to run in a page (no Node, no DOM).
            {
              regex: '^(\\.\\./)+app/(?!shared/)',
              allowTypeImports: true,
              message: 'Only type imports from app/ outside app/shared (the bridge carries the rest).',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
