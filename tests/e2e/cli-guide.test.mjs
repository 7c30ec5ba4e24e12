// End-to-end: `gmg --help` ends by pointing people to the guide (docs/guide/ and /help).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGmg } from '../lib/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('gmg --help ends with a line naming the guide, which exists', () => {
  const r = runGmg(['--help']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const last = lines[lines.length - 1];
  assert.match(last, /docs\/guide\/README\.md/);
  assert.match(last, /\/help/);
  assert.ok(existsSync(path.join(root, 'docs/guide/README.md')), 'docs/guide/README.md is missing');
});
