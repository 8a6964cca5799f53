// "Passages like this one" in the real app's reader. A library of three corpus papers is
// embedded with the CLI (`papertrail embed`, the real all-MiniLM-L6-v2 installed by
// scripts/setup.sh); the app is started with that model: text selected in R1 lists the passages
// nearest in meaning from across the library (the list is the core's answer for the passage
// under the selection; other papers among them), reached and opened with the keyboard, which
// opens that paper at that page with the passage flashed. Then the app is started without the
// model: the panel says once how to install it and offers nothing else. Light and dark
// screenshots. run.sh keeps the model out of the app's reach (PAPERTRAIL_MODEL_DIR names a
// missing folder), so each app here is started through a small script that sets it.
// Without the model installed the with-model test is skipped, and fails under CI=true.
// Started by tests/e2e/run.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
assert.ok(APP && BASE && CORPUS && SHOTS, 'run through tests/e2e/run.sh');
const CLI = process.env.PAPERTRAIL_CLI ?? join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/papertrail-target', 'debug', 'papertrail');
const PAPERS = ['deepseek-r1.pdf', 'deepseek-prover-v1.5.pdf', 'deepseek-coder-v2.pdf'];
/** Where scripts/setup.sh installs the model (E2E_MODEL_DIR may name another copy). */
const MODEL = process.env.E2E_MODEL_DIR || join(homedir(), '.local/share/papertrail/models/all-MiniLM-L6-v2');
const HAS_MODEL = existsSync(join(MODEL, 'model.safetensors')) && existsSync(join(MODEL, 'tokenizer.json'));
const CI = process.env.CI === 'true';
const TAB = '\uE004';

const work = mkdtempSync(join(tmpdir(), 'papertrail-e2e-similar-'));
const library = join(work, 'library');
const KEEP = join(SHOTS, '..', 'similar-shots');
let s;
let r1;

/** The CLI on the test's library, with the model where `modelDir` says. */
const cli = (modelDir, ...args) =>
  execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, PAPERTRAIL_MODEL_DIR: modelDir } });

/**
 * The app, started through a script that gives it `modelDir` as its model folder (the app
 * inherits tauri-driver's environment, where run.sh hides the model).
 */
async function start(name, modelDir) {
  await s?.quit();
  const script = join(work, `${name}.sh`);
  writeFileSync(script, `#!/bin/sh\nPAPERTRAIL_MODEL_DIR='${modelDir}' exec '${APP}' "$@"\n`);
  chmodSync(script, 0o755);
  s = await Session.start(BASE, { 'tauri:options': { application: script, args: ['--library', library] } }, SHOTS);
  await s.waitFor('table.papers', { timeout: 30000 });
}

/** A screenshot in SHOTS, copied to SHOTS/../similar-shots (other e2e runs empty SHOTS). */
async function shot(name) {
  const file = await s.screenshot(name);
  mkdirSync(KEEP, { recursive: true });
  copyFileSync(file, join(KEEP, `${name}.png`));
  return file;
}

/** Calls a shell command from the page, as the UI does. */
async function invoke(cmd, args) {
  const v = await s.execAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => done({ ok: v }), (e) => done({ err: e }));`,
    [cmd, args],
  );
  if (v.err) throw new Error(`${cmd}: ${JSON.stringify(v.err)}`);
  return v.ok;
}

/** Opens R1 from its library row at page `n`, drawn. */
async function openR1(n) {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '1');
  await s.waitFor(`tr[data-paper="${r1.id}"]`);
  await s.exec('const tr = document.querySelector(`tr[data-paper="${arguments[0]}"]`); tr.scrollIntoView(); tr.click();', [r1.id]);
  await s.waitFor('.reader .page[data-render-ms] .textLayer span', { timeout: 30000 });
  const input = await s.find('[data-testid=page-input]');
  await s.clear(input);
  await s.type(input, String(n) + KEYS.Enter);
  await s.waitUntil(`return document.querySelector('.reader .page[data-page="${n}"][data-render-ms] .textLayer span')`, { timeout: 20000 });
}

/** Selects the longest line of text near the middle of page `n`, as a mouse drag would; returns the words. */
function selectOn(n) {
  return s.exec(
    `const spans = [...document.querySelectorAll('.reader .page[data-page="' + arguments[0] + '"] .textLayer span:not(.markedContent)')].filter((e) => e.firstChild && e.textContent.trim().length > 30);
     const el = spans.slice(Math.floor(spans.length / 3), Math.floor((2 * spans.length) / 3)).sort((a, b) => b.textContent.length - a.textContent.length)[0] ?? spans[0];
     const r = document.createRange();
     r.setStart(el.firstChild, 0);
     r.setEnd(el.firstChild, el.textContent.length);
     const sel = window.getSelection();
     sel.removeAllRanges();
     sel.addRange(r);
     document.querySelector('.reader .scroller').dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
     return el.textContent;`,
    [n],
  );
}

/** Text folded to letters and digits, for comparing a selection with the stored text. */
const fold = (t) => Array.from(t.normalize('NFKC').toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c)).join('');

before(() => {
  assert.ok(existsSync(CLI), `the CLI is built (${CLI}); run.sh builds it`);
  mkdirSync(library);
  cli(join(work, 'no-model'), 'import', '--no-embed', ...PAPERS.map((f) => join(CORPUS, 'pdf', f)));
  r1 = JSON.parse(cli(join(work, 'no-model'), 'papers', '--json')).find((p) => p.versions.some((v) => v.file_name === 'deepseek-r1.pdf'));
  assert.ok(r1, 'R1 is imported');
});

after(async () => {
  await s?.quit();
  rmSync(work, { recursive: true, force: true });
});

describe('passages like this one', () => {
  test('with the model: a passage selected in R1 lists passages like it from other papers; one opens at its page', { skip: !HAS_MODEL && !CI && `the embedding model is not installed in ${MODEL} (scripts/setup.sh installs it)` }, async () => {
    assert.ok(HAS_MODEL, `the embedding model is installed in ${MODEL} (scripts/setup.sh); CI needs it`);
    const t0 = Date.now();
    cli(MODEL, 'embed');
    console.log(`# papertrail embed on ${PAPERS.length} papers: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const embedded = JSON.parse(cli(MODEL, 'papers', '--json')).flatMap((p) => p.versions);
    assert.ok(embedded.length >= PAPERS.length && embedded.every((v) => v.embedded), `every version embedded: ${JSON.stringify(embedded.map((v) => [v.file_name, v.embedded]))}`);

    await start('with-model', MODEL);
    // a page of R1's running text: the first after the title page with the most stored text
    const pages = cli(MODEL, 'text', r1.id).split('\f');
    const n = pages.map((t, i) => [i + 1, t.length]).filter(([p]) => p > 2 && p < pages.length / 2).sort((a, b) => b[1] - a[1])[0][0];
    await openR1(n);

    // before a selection the tab says what to do; the tabs are reached and moved with the keyboard
    await s.exec('document.querySelector("[data-tab=annotations]").focus()');
    await s.chord(KEYS.ArrowRight);
    await s.waitUntil('return document.activeElement?.dataset.tab === "like" && document.activeElement.getAttribute("aria-selected") === "true"');
    await s.waitFor('[data-testid=like-tab]', { text: /Select text/ });

    const words = await selectOn(n);
    const subject = await s.waitFor('[data-testid=like-subject]');
    const at = { page: Number(await s.exec('return document.querySelector("[data-testid=like-subject]").dataset.page')), offset: Number(await s.exec('return document.querySelector("[data-testid=like-subject]").dataset.offset')) };
    assert.equal(at.page, n, `the subject is on the page selected (${await s.text(subject)})`);
    // the selection's start is where its words are in the page's stored text
    assert.ok(fold(pages[n - 1].slice(at.offset, at.offset + words.length + 40)).startsWith(fold(words).slice(0, 20)), `“${words}” starts at ${at.offset} of the stored text: “${pages[n - 1].slice(at.offset, at.offset + 60)}”`);
    await s.waitFor('[data-testid=like-hit]', { timeout: 30000 });
    await s.waitUntil('return document.querySelector("[data-testid=like-tab]").dataset.state === "hits"');
    const listed = await s.exec('return [...document.querySelectorAll("[data-testid=like-hit]")].map((b) => [b.dataset.paper, Number(b.dataset.page), Number(b.dataset.score)])');
    // the list is the core's answer for the passage under the selection: the nearest passages
    // of other papers first (up to 8), then up to 3 elsewhere in R1, each group in the core's order
    const id = await invoke('passage_at', { sha256: r1.versions[0].sha256, page: n, offset: at.offset });
    assert.ok(id, 'a stored passage holds the selection');
    const core = await invoke('similar_passages', { passageId: id, limit: 50 });
    const others = core.filter((h) => h.paper_id !== r1.id).slice(0, 8);
    const same = core.filter((h) => h.paper_id === r1.id).slice(0, 3);
    assert.deepEqual(listed.map(([p, pg]) => [p, pg]), [...others, ...same].map((h) => [h.paper_id, h.page]));
    assert.ok(others.length >= 3, `passages from other papers: ${JSON.stringify(listed)}`);
    assert.ok(listed.every(([p, pg]) => !(p === r1.id && pg === n)), 'none from the page itself');
    const scores = listed.slice(0, others.length).map(([, , sc]) => sc);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'most alike first');
    assert.ok(scores.every((x) => x > 0 && x <= 1), `similarities shown as numbers: ${scores}`);
    console.log(`# like R1 p. ${n}: ${listed.map(([p, pg, sc]) => `${p} p.${pg} ${sc}`).join('; ')}`);
    assert.equal(await s.exec('return document.querySelectorAll("[data-testid=like-no-model]").length'), 0);
    await sleep(300);
    await shot('similar-light');
    await s.exec('document.documentElement.dataset.theme = "dark"');
    await sleep(300);
    await shot('similar-dark');
    await s.exec('delete document.documentElement.dataset.theme');

    // keyboard: Tab from the tab goes into the list, Down moves through it, Enter opens
    await s.exec('document.querySelector("[data-tab=like]").focus()');
    await s.chord(TAB);
    assert.equal(await s.exec('return document.activeElement?.dataset.testid'), 'like-hit', 'Tab reaches the first passage');
    await s.chord(KEYS.ArrowDown);
    const chosen = await s.exec('const b = document.activeElement; return b?.dataset.testid === "like-hit" ? [b.dataset.paper, Number(b.dataset.page)] : null');
    assert.deepEqual(chosen, listed[1].slice(0, 2), 'Down moves to the next passage');
    const hit = others[1];
    await s.chord(KEYS.Enter);
    await s.waitUntil(`return document.querySelector(".reader .toolbar h1")?.textContent === ${JSON.stringify(hit.title)}`);
    await s.waitUntil(`return document.querySelector("[data-testid=page-input]").value === "${hit.page}"`);
    await s.waitFor(`.reader .page[data-page="${hit.page}"] .marks .mark-hit`, { timeout: 20000 });
    await s.waitUntil(
      `const v = document.querySelector('.reader .scroller').getBoundingClientRect(); const r = document.querySelector('.reader .page[data-page="${hit.page}"] .marks .mark-hit').getBoundingClientRect();
       return r.bottom > v.top && r.top < v.bottom`,
    );
    assert.match(await s.text(await s.find('.side .top')), new RegExp(`page ${hit.page}`, 'i'), 'the side panel shows the passage');
    await sleep(400);
    await shot('similar-opened');
    await s.quit();
    s = null;
  });

  test('without the model: the panel says once how setup installs it, and offers nothing else', async () => {
    await start('no-model', join(work, 'no-model'));
    await openR1(3);
    await s.click(await s.find('[data-tab=like]'));
    const msg = await s.waitFor('[data-testid=like-no-model]');
    assert.match(await s.text(msg), /scripts\/setup\.sh/);
    await selectOn(3);
    await sleep(1500);
    assert.equal(await s.exec('return document.querySelectorAll("[data-testid=like-no-model]").length'), 1, 'said once');
    assert.equal(await s.exec('return document.querySelectorAll("[data-testid=like-hit], [data-testid=like-subject]").length'), 0, 'nothing else offered');
    const said = await s.text(await s.find('[data-testid=like-tab]'));
    assert.ok(said.trim().endsWith('.') && !/[.:;]\s+[A-Z]/.test(said), `one sentence: ${said}`);
    await shot('similar-no-model-light');
    await s.exec('document.documentElement.dataset.theme = "dark"');
    await sleep(300);
    await shot('similar-no-model-dark');
    await s.exec('delete document.documentElement.dataset.theme');
  });
});
