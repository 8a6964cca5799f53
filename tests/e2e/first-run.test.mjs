// A fresh, empty library: the first-run panel says what to do next, and every view has an
// empty state that points somewhere useful.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session } from './webdriver.mjs';

const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-empty-'));
let s;

before(async () => {
  s = await Session.start(
    process.env.WEBDRIVER_URL,
    { 'tauri:options': { application: process.env.PAPERTRAIL_APP, args: ['--library', library] } },
    process.env.SHOTS,
  );
});
after(async () => {
  await s?.quit();
  rmSync(library, { recursive: true, force: true });
});

test('a fresh library shows the first-run panel', async () => {
  const panel = await s.waitFor('[data-testid=first-run]');
  const text = await s.text(panel);
  assert.match(text, /Import PDFs/);
  assert.match(text, /timeline/i);
  await s.waitFor('[data-testid=counts]', { text: /^0 of \d+ papers imported/ });
  await s.screenshot('00-first-run');
});

test('search on an empty library says what to do', async () => {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '2');
  const empty = await s.waitFor('.search .empty');
  assert.match(await s.text(empty), /Import PDFs/);
  await s.type(await s.find('#search-input'), 'aha moment');
  await s.waitFor('.search .empty', { text: /No passage matches/ });
  await s.screenshot('00-search-empty');
});
