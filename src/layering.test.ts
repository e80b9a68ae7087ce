// Database-independent: lints fixture files with the project's ESLint configuration.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = (file: string) => path.join(root, 'test/fixtures/layering/src', file);

/** The project's configuration (eslint.config.js), only the layering rule, on files the normal run ignores. */
async function layeringErrors(file: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    ignore: false,
    ruleFilter: ({ ruleId }) => ruleId.startsWith('boundaries/'),
  });
  const [result] = await eslint.lintFiles([fixture(file)]);
  assert.ok(result, `ESLint linted ${file}`);
  return result.messages.map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

describe('the layering rule (npm run lint)', () => {
  it('refuses infrastructure importing a feature', async () => {
    const errors = await layeringErrors('db/reaches-up.ts');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^boundaries\/dependencies: Infrastructure may not import a feature/);
  });

  it('refuses shipped code importing src/testing', async () => {
    const errors = await layeringErrors('features/sample/uses-test-helper.ts');
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^boundaries\/dependencies: src\/testing is for tests only/);
  });

  it('lets a feature import its own modules', async () => {
    assert.deepEqual(await layeringErrors('features/sample/allowed.ts'), []);
  });
});
