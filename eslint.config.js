// Per-folder import bans keep the layers honest (Signal-Desktop's approach): the core runs
// under Node alone, the renderer reaches the core only through the preload's bridge.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
      'no-restricted-imports': ['error', {
        paths: electronOrUi.filter((p) => !p.includes('*')).map((name) => ({ name, message: 'app/ is the pure core: no Electron or UI imports.' })),
        patterns: [
          { group: ['electron/*', 'react/*', 'react-dom/*'], message: 'app/ is the pure core: no Electron or UI imports.' },
          { group: ['../main/*', '../renderer/*', '../../main/*', '../../renderer/*'], message: 'app/ may not depend on main/ or renderer/.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement'],
    },
  },
  {
    // The renderer and the preload bundle the run policy and the row outcomes: they may import
    // types only, so they can never pull in Node or anything else that does not run in a page.
    files: ['app/run/run-policy.ts', 'app/run/outcomes.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '.', allowTypeImports: true, message: 'This module is loaded by the renderer: type imports only.' }] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'electron'], message: 'The renderer reaches the core only through window.importer.' },
          // Values from the pure run policy and row outcomes are allowed (no Node, no DOM).
          { regex: '^(\\.\\./)+app/(?!run/(run-policy|outcomes)\\.ts$)', allowTypeImports: true, message: 'Only type imports from app/ (the bridge carries the rest), besides the pure run policy and row outcomes.' },
        ],
      }],
    },
  },
);
