// The Library as a place to keep papers right: the six DeepSeek reports, an earlier R1 file and
// a scan imported into a fresh library; OCR starts by itself after the import; a paper's title
// and date edited in the app (a bad date refused beside its field), checked with the CLI and
// after a restart; the earlier R1 file split off and merged back; the scan's state; OCR'd
// search hits marked; screenshots in the light and the dark theme.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
assert.ok(APP && BASE && CORPUS && SHOTS, 'run through tests/e2e/run.sh');
const CLI = process.env.PAPERTRAIL_CLI ?? join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/papertrail-target', 'debug', 'papertrail');
const SCAN = 'garbage_collection_the_lisp_ii_garbage_collector.pdf';
const OLD_R1 = 'deepseek-r1-2025-01-20.pdf';

const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-library-'));
const files = [
  ...readdirSync(join(CORPUS, 'pdf')).filter((f) => f.endsWith('.pdf')).map((f) => join(CORPUS, 'pdf', f)),
  join(CORPUS, 'versions', OLD_R1),
  join(CORPUS, 'wild', SCAN),
];
let s;

/** The library as the CLI sees it. */
function papers() {
  return JSON.parse(execFileSync(CLI, ['--library', library, 'papers', '--json'], { encoding: 'utf8' }));
}
const paper = (id) => papers().find((p) => p.id === id);
const byFile = (name) => papers().find((p) => p.versions.some((v) => v.file_name === name));

async function start(args = [], app = APP) {
  s = await Session.start(BASE, { 'tauri:options': { application: app, args: ['--library', library, ...args] } }, SHOTS);
  await s.waitFor('table.papers', { timeout: 30000 });
}
async function stop() {
  await s?.quit();
  s = null;
  await sleep(500);
}
/** Focuses a paper's row (as a click would select it) and presses a key on it. */
async function onRow(id, ...keys) {
  await s.exec('const tr = document.querySelector(`tr[data-paper="${arguments[0]}"]`); tr.scrollIntoView({ block: "center" }); tr.focus();', [id]);
  if (keys.length) await s.chord(...keys);
}
const cell = (id, n) => s.exec(`return document.querySelector('tr[data-paper="${id}"] td:nth-child(${n})')?.textContent.trim() ?? null`);

before(() => assert.ok(existsSync(CLI), `the CLI is built (${CLI}); run.sh builds it`));
after(async () => {
  await s?.quit();
  rmSync(library, { recursive: true, force: true });
});

describe('Library', () => {
  test('imports the reports, an earlier R1 and a scan; OCR then reads the scan by itself', async () => {
    await start(files);
    await s.waitFor('[data-testid=counts]', { text: /^7 of \d+ papers imported/, timeout: 300000 });
    await s.waitUntil(`return document.querySelector('tr[data-paper="deepseek-r1"] td:nth-child(4)')?.textContent.trim() === '2'`, { timeout: 60000 });
    const scanId = byFile(SCAN).id;
    // the app starts OCR after the import: the status line shows the job (with Cancel) while it reads
    const job = await s.waitFor('[data-job=ocr]', { timeout: 30000 }).catch(() => null);
    if (job) {
      assert.match(await s.text(job), /OCR/);
      assert.ok(await s.exec('return !!document.querySelector("[data-job=ocr] button.cancel")'), 'the OCR job can be cancelled');
      await s.screenshot('40-library-ocr-running');
    } else console.log('# the OCR job ended before the status line was looked at');
    await s.waitFor(`tr[data-paper="${scanId}"] .badge`, { text: /^OCR'd$/, timeout: 240000 });
    assert.equal(byFile(SCAN).versions[0].ocr, 'done');
    assert.equal(byFile(SCAN).versions[0].text_layer, 'none');
    // The reports have a readable text layer on every page: nothing of theirs waits for OCR.
    assert.ok(paper('deepseek-r1').versions.every((v) => v.ocr === 'none' && v.text_layer === 'text'));
    const r1Badges = await s.exec('return [...document.querySelectorAll(`tr[data-paper="deepseek-r1"] .badge`)].map((b) => b.textContent.trim())');
    assert.deepEqual(r1Badges, ['imported']);
  });

  test("shows the scan's state, with its problems in the details row", async () => {
    const scanId = byFile(SCAN).id;
    const tip = await s.exec(`return document.querySelector('tr[data-paper="${scanId}"] td.state')?.title`);
    assert.match(tip, /scan/i);
    assert.match(tip, /OCR/);
    await onRow(scanId, KEYS.ArrowRight);
    const details = await s.waitFor(`tr[data-details="${scanId}"]`);
    const text = await s.text(details);
    assert.match(text, new RegExp(SCAN.replace(/\./g, '\\.')));
    assert.match(text, /no text layer \(scan\)/);
    assert.match(text, /No text layer: the pages are images/);
    await s.exec('document.querySelector("main .view")?.scrollTo(0, 0)');
    await s.screenshot('41-library-light');
    await onRow(scanId, KEYS.ArrowLeft);
    await s.waitUntil(`return !document.querySelector('tr[data-details="${scanId}"]')`);
  });

  test('edits a title and a date; a bad date is refused beside its field', async () => {
    await onRow('deepseek-v3', 'e');
    await s.waitFor('[data-testid=paper-editor]');
    const title = await s.find('#edit-title');
    await s.clear(title);
    await s.type(title, 'DeepSeek-V3, edited in the app');
    const date = await s.find('#edit-date');
    await s.clear(date);
    await s.type(date, '2024-13-27' + KEYS.Enter);
    const err = await s.waitFor('[data-testid=error-date]');
    assert.match(await s.text(err), /month 13/);
    assert.equal(await s.exec('return document.activeElement?.id'), 'edit-date', 'the field at fault has the focus');
    await s.screenshot('42-library-edit-error');
    assert.equal(paper('deepseek-v3').title.includes('edited'), false, 'nothing saved');
    await s.clear(date);
    await s.type(date, '2024-12-27' + KEYS.Enter);
    await s.waitUntil('return !document.querySelector("[data-testid=paper-editor]")');
    await s.waitUntil(`return document.querySelector('tr[data-paper="deepseek-v3"] .t')?.textContent === 'DeepSeek-V3, edited in the app'`);
    assert.equal(await cell('deepseek-v3', 2), '27 Dec 2024');
    assert.equal(await s.exec('return document.activeElement?.dataset.paper'), 'deepseek-v3', 'the row has the focus back');
    const v3 = paper('deepseek-v3');
    assert.equal(v3.title, 'DeepSeek-V3, edited in the app');
    assert.equal(v3.date, '2024-12-27');
    assert.equal(v3.date_precision, 'day');

    // Esc leaves the form without saving
    await onRow('deepseek-v3', 'e');
    const t2 = await s.waitFor('#edit-title');
    await s.type(t2, ' not this');
    await s.chord(KEYS.Escape);
    await s.waitUntil('return !document.querySelector("[data-testid=paper-editor]")');
    assert.equal(paper('deepseek-v3').title, 'DeepSeek-V3, edited in the app');
  });

  test('the edit survives a restart', async () => {
    await stop();
    await start();
    await s.waitFor('tr[data-paper="deepseek-v3"] .t', { text: 'DeepSeek-V3, edited in the app' });
    assert.equal(await cell('deepseek-v3', 2), '27 Dec 2024');
  });

  test('splits the earlier R1 off, then merges it back', async () => {
    const old = paper('deepseek-r1').versions.find((v) => v.file_name === OLD_R1);
    assert.ok(old, 'the earlier R1 is a version of deepseek-r1');
    await onRow('deepseek-r1', 's');
    await s.waitFor('[data-testid=split-dialog]');
    await s.click(await s.find(`[data-testid=split-dialog] input[value="${old.sha256}"]`));
    const confirm = await s.text(await s.find('[data-testid=split-dialog]'));
    assert.match(confirm, /To undo/);
    await s.screenshot('43-library-split-confirm');
    await s.click(await s.find('[data-testid=confirm-split]'));
    await s.waitUntil('return !document.querySelector("[data-testid=split-dialog]")', { timeout: 120000 });
    // the new paper is selected, with its details open
    const newId = await s.waitUntil('return document.querySelector("tr.sel[data-paper]")?.dataset.paper !== "deepseek-r1" && document.querySelector("tr.sel[data-paper]")?.dataset.paper');
    assert.equal(await s.exec('return document.activeElement?.dataset.paper'), newId);
    assert.equal(await cell(newId, 4), '1');
    assert.equal(await cell('deepseek-r1', 4), '1');
    const split = paper(newId);
    assert.deepEqual(split.versions.map((v) => v.sha256), [old.sha256]);
    assert.equal(paper('deepseek-r1').versions.length, 1);
    await s.screenshot('44-library-after-split');

    // and back: Merge into… deepseek-r1, found by typing
    await onRow(newId, 'm');
    const search = await s.waitFor('[data-testid=merge-search]');
    await s.type(search, '2501.12948');
    await s.click(await s.waitFor('[data-testid=merge-dialog] li[data-paper="deepseek-r1"]'));
    // the confirmation names both papers (here with the same title: their ids and files tell them apart)
    const from = await s.text(await s.find('[data-testid=merge-source]'));
    const into = await s.text(await s.find('[data-testid=merge-target]'));
    assert.ok(from.includes(split.title) && from.includes(newId) && from.includes(OLD_R1), from);
    assert.ok(into.includes(paper('deepseek-r1').title) && into.includes('deepseek-r1') && into.includes('deepseek-r1.pdf'), into);
    assert.match(await s.text(await s.find('[data-testid=merge-dialog]')), /To undo/);
    await s.screenshot('45-library-merge-confirm');
    await s.click(await s.find('[data-testid=confirm-merge]'));
    await s.waitUntil('return !document.querySelector("[data-testid=merge-dialog]")', { timeout: 60000 });
    await s.waitUntil(`return !document.querySelector('tr[data-paper="${newId}"]')`);
    assert.equal(await cell('deepseek-r1', 4), '2');
    assert.equal(await s.exec('return document.querySelector("tr.sel[data-paper]")?.dataset.paper'), 'deepseek-r1');
    assert.equal(paper(newId), undefined);
    const r1 = paper('deepseek-r1');
    assert.equal(r1.versions.length, 2);
    assert.ok(r1.versions.some((v) => v.sha256 === old.sha256), 'the earlier file is a version of R1 again');
  });

  test('marks search hits on pages read by OCR', async () => {
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Control, '2');
    const input = await s.waitFor('#search-input');
    await s.type(input, 'LISP garbage collector');
    await s.waitFor('[data-testid=ocr-badge]', { timeout: 20000 });
    assert.equal(await s.exec('return document.querySelector("[data-testid=ocr-badge]").title'), 'text read by OCR; may contain recognition errors');
    await s.screenshot('46-search-ocr-badge');
    await s.chord(KEYS.Control, '1');
    await s.waitFor('table.papers');
  });

  test('the library view in the dark theme', async () => {
    await stop();
    // the app follows the system theme; GTK_THEME=…:dark is how a GTK desktop asks for dark
    const wrapper = join(library, 'dark-app.sh');
    writeFileSync(wrapper, `#!/bin/sh\nGTK_THEME=Adwaita:dark exec "${APP}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    await start([], wrapper);
    const dark = await s.exec('return matchMedia("(prefers-color-scheme: dark)").matches');
    if (!dark) console.log('# WebKitGTK did not take the dark theme from GTK_THEME; the screenshot shows the light theme');
    const scanId = byFile(SCAN).id;
    await onRow(scanId, KEYS.ArrowRight);
    await s.waitFor(`tr[data-details="${scanId}"]`);
    await onRow('deepseek-r1', KEYS.ArrowRight);
    await s.waitFor('tr[data-details="deepseek-r1"]');
    await s.exec('document.querySelector("main .view")?.scrollTo(0, 0)');
    await s.screenshot('47-library-dark');
    await onRow('deepseek-v3', 'e');
    await s.waitFor('[data-testid=paper-editor]');
    await s.screenshot('48-library-dark-editor');
    await s.chord(KEYS.Escape);
    await onRow('deepseek-r1', 'm');
    await s.waitFor('[data-testid=merge-search]');
    await s.screenshot('49-library-dark-merge');
    assert.ok(dark, 'prefers-color-scheme: dark under GTK_THEME=Adwaita:dark');
  });
});
