// Ids with control characters, plain or percent-encoded, are refused up front with a typed message,
// never an "internal error" with a stack (issue 11). The real CLI in demo mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runCli } from '../support/cli-process.js';

let demoDir = '';
beforeAll(() => {
  requireBuilt(['main/cli/commands/mstore-common.ts', 'main/protocol/mstore/urls.ts']);
  demoDir = mkdtempSync(join(tmpdir(), 'vvm-demo-'));
});
afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

describe('hostile ids', () => {
  it.each([
    ['voicemail', 'download', 'abc%0A'],
    ['voicemail', 'mark-read', 'abc\n'],
    ['greeting', 'delete', 'x%7fy'],
  ])('%s %s %j is a usage error naming the problem', async (group, command, id) => {
    const r = await runCli(['--demo', group, command, id], { VVM_DEMO_DIR: demoDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a valid id');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
