// End-to-end: `gmg demo generate` writes a synthetic corpus that `gmg import iati` takes whole,
// and labels that name its planted pairs by IATI identifier (so they survive the import).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGmg, newDatabase } from '../lib/server.mjs';

test('gmg demo generate: 300 activities import whole, the labels name imported activities', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-synthetic-'));
  const d = newDatabase(dir);
  try {
    const xml = path.join(dir, 'corpus.xml');
    const labels = path.join(dir, 'labels.csv');
    const gen = runGmg(['demo', 'generate', '--activities', '300', '--seed', '42', '--out', xml, '--labels', labels]);
    assert.equal(gen.status, 0, gen.stderr);
    assert.match(gen.stderr, /generated 300 activities, 15 planted pairs \(seed 42\)/);
    // Deterministic: the same seed writes the same file (but for the generation time).
    const again = runGmg(['demo', 'generate', '--activities', '300', '--seed', '42']);
    assert.equal(again.status, 0, again.stderr);
    const noTime = (s) => s.replace(/generated-datetime="[^"]*"/, '');
    assert.equal(noTime(again.stdout), noTime(readFileSync(xml, 'utf8')));

    const imp = runGmg(['import', 'iati', '--db', d.db, xml]);
    assert.equal(imp.status, 0, imp.stderr);
    assert.match(imp.stdout, /created 300, updated 0, skipped 0/);

    const out = path.join(dir, 'out.xml');
    const exp = runGmg(['export', 'iati', '--db', d.db, '--out', out]);
    assert.equal(exp.status, 0, exp.stderr);
    const exported = readFileSync(out, 'utf8');
    assert.equal((exported.match(/<iati-activity[ >]/g) || []).length, 300);
    const rows = readFileSync(labels, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'a,b,category,expected_class');
    assert.equal(rows.length, 1 + 15);
    const categories = new Set();
    for (const row of rows.slice(1)) {
      const [a, b, category, expected] = row.split(',');
      categories.add(category);
      assert.ok(['duplication', 'synergy', 'none'].includes(expected), row);
      for (const id of [a, b]) assert.ok(exported.includes(`<iati-identifier>${id}</iati-identifier>`), id);
    }
    assert.deepEqual([...categories].sort(), ['decoy', 'near_identical', 'paraphrase', 'synergy', 'two_languages']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    d.drop();
  }
});

test('gmg demo generate --project-names no: the same activities without the names in the titles', () => {
  const titles = (xml) => [...xml.matchAll(/<title>\s*<narrative[^>]*>([^<]*)<\/narrative>/g)].map((m) => m[1]);
  const ids = (xml) => [...xml.matchAll(/<iati-identifier>([^<]*)</g)].map((m) => m[1]);
  const named = runGmg(['demo', 'generate', '--activities', '200', '--seed', '7']);
  const plain = runGmg(['demo', 'generate', '--activities', '200', '--seed', '7', '--project-names', 'no']);
  assert.equal(named.status, 0, named.stderr);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stderr, /\(seed 7, no project names\)/);
  assert.deepEqual(ids(plain.stdout), ids(named.stdout));
  const withNames = titles(named.stdout);
  const without = titles(plain.stdout);
  assert.equal(withNames.length, 200);
  assert.equal(without.length, withNames.length);
  // The name follows the title's text (a near-identical copy may add a year after it).
  const name = / \((?:[BDFGKLMNPRTVZ][AEIOU]){3}K\)/;
  withNames.forEach((t, i) => {
    assert.match(t, name);
    assert.equal(t.replace(name, ''), without[i]);
    assert.doesNotMatch(without[i], name);
  });
  const bad = runGmg(['demo', 'generate', '--activities', '10', '--project-names', 'maybe']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /project-names/);
});
