// A timeline for any library: another lab's papers (the wild set), loaded with a catalog of
// that lab's own (exported empty) and imported with the CLI, shown in the real app. The
// timeline holds the library's own papers in a window that fits them, names nothing of the
// bundled catalog's story, and lets the focus of the lineage be chosen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

const CLI = process.env.PAPERTRAIL_CLI;
const CORPUS = process.env.CORPUS;
assert.ok(CLI && CORPUS, 'run through tests/e2e/run.sh');

const dir = mkdtempSync(join(tmpdir(), 'papertrail-e2e-wild-'));
const library = join(dir, 'library');
const FOREIGN = /\bR1\b|DeepSeek|January 2025/;
let s;
let cliTimeline;

const cli = (...args) => execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

before(async () => {
  // A lab's own catalog, with no paper yet, written by the CLI from a hand-made header.
  writeFileSync(join(dir, 'lab.toml'), '[catalog]\nid = "reading-group"\nname = "Systems reading group"\n');
  execFileSync(CLI, ['--library', join(dir, 'first'), '--catalog', join(dir, 'lab.toml'), 'catalog', 'export', '-o', join(dir, 'empty.toml')]);
  cli('--catalog', join(dir, 'empty.toml'), 'import', join(CORPUS, 'wild'));
  cliTimeline = JSON.parse(cli('timeline', '--json'));
  s = await Session.start(
    process.env.WEBDRIVER_URL,
    { 'tauri:options': { application: process.env.PAPERTRAIL_APP, args: ['--library', library] } },
    process.env.SHOTS,
  );
  await s.waitFor('table.papers', { timeout: 30000 });
});

after(async () => {
  await s?.quit();
  rmSync(dir, { recursive: true, force: true });
});

test('a wild-set library shows a timeline of its own papers', async () => {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '4');
  await s.waitFor('[data-milestone]', { timeout: 15000 });
  assert.equal(await s.exec('return document.querySelectorAll(".timeline .error-box").length'), 0);
  const dated = cliTimeline.filter((e) => e.date !== null);
  const undated = cliTimeline.filter((e) => e.date === null);
  assert.ok(dated.length >= 10, `dated papers: ${dated.length}`);
  await s.waitUntil(`return document.querySelectorAll('[data-milestone]').length === ${dated.length}`);
  // every paper of the library is there, dated ones on the axis and the others listed as undated
  const shown = await s.exec('return [...document.querySelectorAll("[data-milestone]")].map((e) => e.dataset.milestone)');
  assert.deepEqual([...shown].sort(), dated.map((e) => e.id).sort());
  const listed = await s.exec('return [...document.querySelectorAll("[data-undated]")].map((e) => e.dataset.undated)');
  assert.deepEqual([...listed].sort(), undated.map((e) => e.id).sort());
  // the axis spans the papers' own years, not the bundled catalog's
  const years = (await s.exec('return [...document.querySelectorAll(".tick-label.year")].map((e) => +e.textContent)')).filter((y) => y > 0);
  const first = +dated[0].date.slice(0, 4);
  const last = +dated[dated.length - 1].date.slice(0, 4);
  assert.ok(years.length >= 2, `year ticks: ${years}`);
  assert.ok(Math.min(...years) <= first + 10 && Math.max(...years) >= last - 10, `ticks ${years} for papers ${first}..${last}`);
  const text = await s.exec('return document.querySelector(".timeline").innerText');
  assert.doesNotMatch(text, FOREIGN);
  assert.match(text, /Systems reading group/);
  // the default focus is the one the CLI names, and its lineage is highlighted
  const focus = cliTimeline.filter((e) => e.on_path);
  const focusId = await s.exec('return document.querySelector("[data-focus=true]")?.dataset.milestone');
  assert.ok(focus.some((e) => e.id === focusId), `focus ${focusId}`);
  assert.equal(await s.exec('return document.querySelectorAll(".milestone.on-path").length'), focus.length);
  await sleep(300);
  await s.screenshot('20-timeline-wild');
});

test('the focus of the lineage can be chosen', async () => {
  const before = await s.exec('return document.querySelector("[data-focus=true]")?.dataset.milestone');
  // choose, in the picker, the latest paper that something leads to other than the current focus
  const ledTo = new Set(cliTimeline.flatMap((e) => e.leads_to));
  const pick = [...cliTimeline].reverse().find((e) => e.date && e.id !== before && ledTo.has(e.id)) ?? cliTimeline.find((e) => e.date && e.id !== before);
  const expected = JSON.parse(cli('timeline', '--focus', pick.id, '--json')).filter((e) => e.on_path).map((e) => e.id).sort();
  await s.exec(
    `const sel = document.querySelector('[data-testid=focus-select]');
     sel.value = arguments[0];
     sel.dispatchEvent(new Event('change', { bubbles: true }));`,
    [pick.id],
  );
  await s.waitUntil(`return document.querySelector("[data-focus=true]")?.dataset.milestone === ${JSON.stringify(pick.id)}`);
  const onPath = await s.exec('return [...document.querySelectorAll(".milestone.on-path")].map((e) => e.dataset.milestone)');
  assert.deepEqual([...onPath].sort(), expected);
  const runUp = await s.text(await s.find('[data-testid=run-up]'));
  assert.equal(runUp, `Run-up to ${pick.short}`);
  assert.doesNotMatch(runUp, FOREIGN);
  await s.click(await s.find('[data-testid=run-up]'));
  await sleep(400);
  await s.screenshot('21-timeline-wild-focus-chosen');
  // F on a milestone makes it the focus
  const other = cliTimeline.find((e) => e.date && e.id !== pick.id);
  await s.click(await s.find('.timeline .view-head button[data-autofocus]'));
  await s.exec(`document.querySelector('[data-milestone="${other.id}"]').focus()`);
  await s.chord('f');
  await s.waitUntil(`return document.querySelector("[data-focus=true]")?.dataset.milestone === ${JSON.stringify(other.id)}`);
  // the choice stays while another view is shown
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '1');
  await s.waitFor('table.papers');
  assert.doesNotMatch(await s.exec('return document.querySelector("main").innerText'), FOREIGN);
  await s.chord(KEYS.Control, '4');
  await s.waitUntil(`return document.querySelector("[data-focus=true]")?.dataset.milestone === ${JSON.stringify(other.id)}`);
});
