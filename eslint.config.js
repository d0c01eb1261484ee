// Lint with the layer rules of the house style: shared/ is pure, the renderer never reaches into
// main/ or Node, only main/ipc and windows.ts touch Electron, only adapters touch PC/SC, fs and fetch.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

// The sources import each other as `./x.js` (NodeNext) while the files are `x.ts`: without this alias the
// resolver finds nothing and no zone below ever reports. test/main/lint-rules.test.ts keeps them firing.
const tsResolver = createNodeResolver({
  extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.node'],
  extensionAlias: { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] },
  conditionNames: ['types', 'import', 'require', 'node', 'default'],
});

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'tls'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    settings: { 'import-x/resolver-next': [tsResolver] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      'import-x/no-restricted-paths': ['error', {
        basePath: import.meta.dirname,
        zones: [
          { target: './shared', from: ['./main', './preload', './renderer', './test'], message: 'shared/ imports only itself and zod.' },
          { target: './renderer', from: ['./main', './preload'], message: 'The renderer talks to main only through window.api.' },
          { target: './preload', from: ['./main', './renderer'], except: [], message: 'The preload imports only shared/ipc.' },
          { target: './main/protocol', from: ['./main/services', './main/adapters', './main/ipc', './main/sim', './main/cli'], message: 'Protocol code is pure: it imports only shared/, zod and node:crypto.' },
          { target: './main/services', from: ['./main/adapters', './main/ipc', './main/cli'], message: 'Services depend on ports, never on concrete adapters.' },
          // The simulators are demo mode and test equipment: only the wiring (app.ts), the demo state adapter,
          // `card simulate`, the web harness and tests may build them; the engine never depends on them.
          {
            target: ['./main/{protocol,services,ipc}/**', './main/adapters/!(demo)/**', './main/cli/*.ts', './main/cli/commands/!(card).ts',
              './main/windows.ts', './main/electron-main.ts', './renderer/**', './preload/**', './shared/**'],
            from: './main/sim',
            message: 'Only main/app.ts and main/app/, main/adapters/demo, `card simulate`, the web harness and tests use the simulators.',
          },
          {
            target: ['./main/!(web-harness)/**', './main/*.ts', './renderer/**', './preload/**', './shared/**'],
            from: './main/web-harness',
            message: 'The web harness is a development and test front end: nothing in the app imports it.',
          },
        ],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', ...nodeBuiltins, 'react', 'react-dom'], message: 'shared/ must run anywhere: no Electron, Node or DOM libraries.' },
      ] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', ...nodeBuiltins], message: 'The renderer is sandboxed Chromium: no Electron or Node.' },
      ] }],
    },
  },
  {
    files: ['main/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'pcsclite', 'keytar', 'node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:tls', 'node:child_process', 'node:os', 'node:process'], message: 'Protocol code is pure: only shared/, zod and node:crypto.' },
      ] }],
    },
  },
  {
    files: ['main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'pcsclite', 'keytar', 'node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:tls', 'node:child_process'], message: 'Services reach the outside world only through ports.' },
      ] }],
    },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'test/**/*.ts', 'shared/**/*.ts'],
    ignores: ['main/ipc/**', 'main/windows.ts', 'main/electron-main.ts', 'preload/**'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "ImportDeclaration[source.value='electron']", message: 'Only main/ipc, main/windows.ts, main/electron-main.ts and preload import Electron.' },
        { selector: "Identifier[name='ipcMain']", message: 'ipcMain only in main/ipc/.' },
      ],
    },
  },
);
