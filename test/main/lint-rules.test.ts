// The layer rules in eslint.config.js must actually fire. They once did not: the resolver could not map the
// `.js` specifiers to the `.ts` files, so every zone silently passed. Each case lints a scratch source placed
// (virtually, through lintText's filePath) in the folder it would live in, with the real project config.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function lint(file: string, source: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
}

const forbidden: { name: string; file: string; source: string; rule: string; says: string }[] = [
  {
    name: 'renderer imports main/app',
    file: 'renderer/zz-scratch.tsx',
    source: "import { createDesktopIpc } from '../main/app.js';\nexport const x = createDesktopIpc;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'only through window.api',
  },
  {
    name: 'protocol imports a service',
    file: 'main/protocol/zz-scratch.ts',
    source: "import type { HttpPort } from '../services/ports.js';\nexport type X = HttpPort;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'Protocol code is pure',
  },
  {
    name: 'service imports an adapter',
    file: 'main/services/zz-scratch.ts',
    source: "import { createNodeHttp } from '../adapters/http/node-http.js';\nexport const x = createNodeHttp;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'never on concrete adapters',
  },
  {
    name: 'shared imports node:fs',
    file: 'shared/zz-scratch.ts',
    source: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    rule: 'no-restricted-imports',
    says: 'shared/ must run anywhere',
  },
  {
    name: 'shared imports main',
    file: 'shared/zz-scratch.ts',
    source: "import { toAppError } from '../main/errors.js';\nexport const x = toAppError;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'shared/ imports only itself',
  },
  {
    name: 'app imports the web harness',
    file: 'main/zz-scratch.ts',
    source: "import { startWebHarness } from './web-harness/server.js';\nexport const x = startWebHarness;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'nothing in the app imports it',
  },
  {
    name: 'a service builds a simulator',
    file: 'main/services/gba/zz-scratch.ts',
    source: "import { SimulatedUicc } from '../../sim/card/simulated-uicc.js';\nexport const x = SimulatedUicc;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'use the simulators',
  },
  {
    name: 'an IPC implementation builds a simulator',
    file: 'main/ipc/zz-scratch.ts',
    source: "import { SimulatedUicc } from '../sim/card/simulated-uicc.js';\nexport const x = SimulatedUicc;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'use the simulators',
  },
  {
    name: 'the renderer imports the preload',
    file: 'renderer/zz-scratch.ts',
    source: "import * as p from '../preload/index.js';\nexport const x = p;\n",
    rule: 'import-x/no-restricted-paths',
    says: 'only through window.api',
  },
  {
    name: 'a service imports Electron',
    file: 'main/services/zz-scratch.ts',
    source: "import { app } from 'electron';\nexport const x = app;\n",
    rule: 'no-restricted-syntax',
    says: 'import Electron',
  },
];

describe('layer rules (eslint.config.js)', () => {
  for (const c of forbidden) {
    it(`refuses: ${c.name}`, async () => {
      const messages = await lint(c.file, c.source);
      expect(messages.some((m) => m.rule === c.rule && m.message.includes(c.says)), JSON.stringify(messages)).toBe(true);
    });
  }

  it('passes clean files, including the allowed simulator users', async () => {
    expect(await lint('main/protocol/zz-scratch.ts', "import { concatBytes } from '../../shared/bytes.js';\nexport const x = concatBytes;\n")).toEqual([]);
    expect(await lint('main/services/zz-scratch.ts', "import type { HttpPort } from './ports.js';\nexport type X = HttpPort;\n")).toEqual([]);
    expect(await lint('main/adapters/demo/zz-scratch.ts', "import { ScenarioSchema } from '../../sim/carrier/scenario.js';\nexport const x = ScenarioSchema;\n")).toEqual([]);
    expect(await lint('main/zz-scratch.ts', "import { SimulatedUicc } from './sim/card/simulated-uicc.js';\nexport const x = SimulatedUicc;\n")).toEqual([]);
    expect(await lint('main/web-harness/zz-scratch.ts', "import { createDesktopIpc } from '../app.js';\nexport const x = createDesktopIpc;\n")).toEqual([]);
  });
});
