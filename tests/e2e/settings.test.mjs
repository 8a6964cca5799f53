// Settings that stay: the theme (applied at once: the page's background colour changes), the
// window's size and place, the mirror URL and a catalog chosen in the app survive a restart;
// a catalog with an error is refused with its line; a corrupt settings file gives the defaults
// and a message, never a crash. Screenshots of the settings view in light and dark.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, SHOTS } = process.env;
assert.ok(APP && BASE && SHOTS, 'run through tests/e2e/run.sh');
const CLI = process.env.PAPERTRAIL_CLI ?? join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/papertrail-target', 'debug', 'papertrail');

const dir = mkdtempSync(join(tmpdir(), 'papertrail-e2e-settings-'));
const library = join(dir, 'library');
const config = join(dir, 'config');
const settingsFile = join(config, 'settings.json');
// A reading group's own catalog: two papers and a milestone, nothing of the bundled story.
const catalogFile = join(dir, 'reading-group.toml');
writeFileSync(
  catalogFile,
  `[catalog]
id = "reading-group"
name = "Systems reading group"
description = "Papers the group read this term."

[[papers]]
id = "attention"
title = "Attention Is All You Need"
arxiv = "1706.03762"
date = "2017-06-12"
authors = ["Ashish Vaswani"]

[[papers]]
id = "bert"
title = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
arxiv = "1810.04805"
date = "2018-10-11"

[[milestones]]
id = "transformer"
title = "The Transformer"
date = "2017-06"
kind = "release"
papers = ["attention"]
`,
);
// the same with a date that is not one
const badCatalog = join(dir, 'bad.toml');
const badText = readFileSync(catalogFile, 'utf8').replace('date = "2017-06-12"', 'date = "June 2017"');
writeFileSync(badCatalog, badText);
const badLine = badText.split('\n').findIndex((l) => l.includes('June 2017')) + 1;

const LIGHT_BG = 'rgb(251, 250, 248)';
const DARK_BG = 'rgb(23, 25, 28)';
let s;

after(async () => {
  await s?.quit();
  rmSync(dir, { recursive: true, force: true });
});

async function start() {
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library, '--config', config] } }, SHOTS);
  await s.waitFor('[data-testid=counts]', { timeout: 30000 });
}
async function stop() {
  await s?.quit();
  s = null;
  await sleep(500);
}
const background = () => s.exec('return getComputedStyle(document.body).backgroundColor');
const rect = () => s.cmd('GET', '/window/rect');
async function openSettings() {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, ',');
  await s.waitFor('[data-testid=settings-view]');
}

test('the settings view opens with Ctrl+, and from the gear in the rail', async () => {
  await start();
  await openSettings();
  // keyboard: the first theme choice has the focus
  assert.equal(await s.exec('return document.activeElement?.dataset.testid'), 'theme-system');
  await s.click(await s.find('.rail [data-view=library]'));
  await s.waitFor('table.papers, .first-run, [data-testid=counts]');
  await s.click(await s.find('.rail [data-view=settings]'));
  await s.waitFor('[data-testid=settings-view]');
  assert.equal(await s.exec('return document.querySelector(".rail [data-view=settings]").getAttribute("aria-current")'), 'page');
  assert.match(await s.text(await s.find('[data-testid=catalog-name]')), /DeepSeek/, 'the bundled catalog to begin with');
  assert.equal(existsSync(settingsFile), false, 'nothing written before a setting changes');
});

test('the theme applies at once: dark, then light, then the system again', async () => {
  assert.equal(await background(), LIGHT_BG, 'Xvfb has no dark system theme');
  await s.click(await s.find('[data-testid=theme-dark]'));
  await s.waitUntil(`return getComputedStyle(document.body).backgroundColor === ${JSON.stringify(DARK_BG)}`, { timeout: 3000 });
  assert.equal(await s.exec('return document.documentElement.dataset.theme'), 'dark');
  await s.screenshot('60-settings-dark');
  await s.click(await s.find('[data-testid=theme-light]'));
  await s.waitUntil(`return getComputedStyle(document.body).backgroundColor === ${JSON.stringify(LIGHT_BG)}`, { timeout: 3000 });
  await s.screenshot('61-settings-light');
  await s.click(await s.find('[data-testid=theme-system]'));
  await s.waitUntil('return document.documentElement.dataset.theme === undefined');
  assert.equal(JSON.parse(readFileSync(settingsFile, 'utf8')).theme, 'system');
  // the keyboard too: arrow keys move between the choices and apply them
  await s.exec('document.querySelector("[data-testid=theme-system]").focus()');
  await s.chord(KEYS.ArrowRight);
  await s.waitUntil(`return getComputedStyle(document.body).backgroundColor === ${JSON.stringify(LIGHT_BG)} && document.documentElement.dataset.theme === 'light'`, { timeout: 3000 });
  await s.chord(KEYS.ArrowRight);
  await s.waitUntil(`return getComputedStyle(document.body).backgroundColor === ${JSON.stringify(DARK_BG)}`, { timeout: 3000 });
});

test('a catalog file chosen in the app is used, and one with an error is refused with its line', async () => {
  const input = await s.find('[data-testid=catalog-input]');
  await s.clear(input);
  await s.type(input, badCatalog);
  await s.click(await s.find('[data-testid=catalog-use]'));
  const err = await s.text(await s.waitFor('[data-testid=catalog-error]'));
  assert.match(err, new RegExp(`line ${badLine}\\b`), `the error names line ${badLine}: ${err}`);
  assert.match(err, /June 2017/, `and the bad value: ${err}`);
  assert.match(await s.text(await s.find('[data-testid=catalog-name]')), /DeepSeek/, 'the library keeps its catalog');

  await s.clear(input);
  await s.type(input, catalogFile);
  await s.click(await s.find('[data-testid=catalog-use]'));
  await s.waitFor('[data-testid=catalog-name]', { text: 'Systems reading group' });
  assert.equal(await s.exec('return document.querySelector("[data-testid=catalog-error]")'), null);
  await s.chord(KEYS.Control, '1');
  await s.waitFor('table.papers, [data-testid=counts]');
  await s.waitFor('main', { text: 'Attention Is All You Need' });
  assert.doesNotMatch(await s.text(await s.find('main')), /DeepSeek-V3 Technical Report/, 'no paper of the bundled catalog');
});

test('the mirror URL is kept, and a URL that is not one is refused', async () => {
  await openSettings();
  const mirror = await s.find('[data-testid=settings-mirror]');
  await s.clear(mirror);
  await s.type(mirror, 'not a url');
  await s.click(await s.find('[data-testid=settings-mirror-save]'));
  await s.waitFor('.settings .field-error', { text: 'not a web address' });
  await s.clear(mirror);
  await s.type(mirror, 'http://127.0.0.1:8765/corpus/');
  await s.click(await s.find('[data-testid=settings-mirror-save]'));
  await s.waitFor('.toast', { text: 'Downloads will use http://127.0.0.1:8765/corpus/' });
  assert.equal(await s.exec('return document.querySelector(".settings .field-error")'), null);
});

test('the window is moved and resized', async () => {
  const before = await rect();
  await s.cmd('POST', '/window/rect', { x: 40, y: 30, width: 1000, height: 640 });
  await s.waitUntil('return window.innerWidth <= 1000 && window.innerHeight <= 640', { timeout: 5000 });
  const now = await rect();
  assert.notDeepEqual([now.width, now.height], [before.width, before.height]);
  assert.equal(now.width, 1000);
  assert.equal(now.height, 640);
  // written beside the settings soon after the move, not only on a clean exit
  const stateFile = join(config, 'window-state.json');
  const saved = () => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')).main : null);
  for (let i = 0; i < 40 && saved()?.width !== now.width; i++) await sleep(250);
  const kept = saved();
  assert.ok(kept, 'the window state is written beside the settings');
  assert.deepEqual([kept.width, kept.height], [now.width, now.height], JSON.stringify(kept));
});

test('after a restart: dark theme, window size and place, mirror and catalog as left', async () => {
  const left = await rect();
  await stop();
  const kept = JSON.parse(readFileSync(settingsFile, 'utf8'));
  assert.deepEqual(kept, { theme: 'dark', mirror: 'http://127.0.0.1:8765/corpus/', catalog: catalogFile });

  await start();
  assert.equal(await s.exec('return document.documentElement.dataset.theme'), 'dark');
  assert.equal(await background(), DARK_BG, 'dark from the first paint');
  const back = await rect();
  console.log(`# window left at ${JSON.stringify(left)}, reopened at ${JSON.stringify(back)}`);
  assert.deepEqual([back.x, back.y, back.width, back.height], [left.x, left.y, left.width, left.height], 'the window opens where it was left');
  await s.waitFor('main', { text: 'Attention Is All You Need' });
  await openSettings();
  assert.equal(await s.text(await s.find('[data-testid=catalog-name]')), 'Systems reading group');
  assert.equal(await s.exec('return document.querySelector("[data-testid=settings-mirror]").value'), 'http://127.0.0.1:8765/corpus/');
  assert.equal(await s.exec('return document.querySelector("[data-testid=theme-dark]").checked'), true);
  // the Library's mirror form shows the same setting
  await s.chord(KEYS.Control, '1');
  await s.click(await s.waitFor('[data-testid=mirror-toggle]'));
  assert.equal(await s.exec('return document.querySelector("input[aria-label=\\"Mirror base URL\\"]").value'), 'http://127.0.0.1:8765/corpus/');
  // the library itself remembers the catalog: the CLI sees the group's papers
  const papers = JSON.parse(execFileSync(CLI, ['--library', library, 'papers', '--json'], { encoding: 'utf8' }));
  assert.deepEqual(papers.map((p) => p.id).sort(), ['attention', 'bert']);
});

test('back to the bundled catalog', async () => {
  await openSettings();
  await s.click(await s.find('[data-testid=catalog-bundled]'));
  await s.waitFor('[data-testid=catalog-name]', { text: 'DeepSeek' });
  assert.equal(JSON.parse(readFileSync(settingsFile, 'utf8')).catalog, null);
  await stop();
});

test('a corrupt settings file gives the defaults and a message, not a crash', async () => {
  writeFileSync(settingsFile, '{"theme": "dark", "mirror": ');
  await start();
  const toast = await s.waitFor('.toast.error', { text: 'settings file could not be read' });
  assert.match(await s.text(toast), /default settings/);
  assert.equal(await s.exec('return document.documentElement.dataset.theme ?? null'), null, 'the default theme, not the half-written dark');
  assert.equal(await background(), LIGHT_BG);
  await s.screenshot('62-settings-corrupt-file');
  // changing a setting writes a good file again
  await openSettings();
  await s.click(await s.find('[data-testid=theme-light]'));
  await s.waitUntil(`return document.documentElement.dataset.theme === 'light'`);
  for (let i = 0; i < 20 && !readFileSync(settingsFile, 'utf8').includes('"light"'); i++) await sleep(100);
  assert.equal(JSON.parse(readFileSync(settingsFile, 'utf8')).theme, 'light');
  await stop();
});
