// The web app's API types are generated from docs/openapi.json; this fails
// when the document changed and `npm run web:types` was not run after it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committedPath = path.join(root, 'web/src/api/schema.d.ts');

describe('web API types', () => {
  it('web/src/api/schema.d.ts matches docs/openapi.json (run `npm run web:types` after `npm run openapi`)', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-web-types-'));
    try {
      const output = path.join(scratch, 'schema.d.ts');
      const result = spawnSync(
        process.execPath,
        [path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), 'docs/openapi.json', '-o', output],
        { cwd: root, encoding: 'utf8' },
      );
      assert.equal(result.status, 0, result.stderr);
      const options = await prettier.resolveConfig(committedPath);
      const generated = await prettier.format(fs.readFileSync(output, 'utf8'), { ...options, filepath: committedPath });
      assert.equal(fs.readFileSync(committedPath, 'utf8'), generated);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
