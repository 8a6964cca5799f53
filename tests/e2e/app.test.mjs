// End-to-end tests of the real Papertrail binary: tauri-driver + WebKitWebDriver under Xvfb.
// Started by tests/e2e/run.sh, which sets PAPERTRAIL_APP, WEBDRIVER_URL, CORPUS and SHOTS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';
import { appMemory, memorySummary, record } from './measure.mjs';

const APP = process.env.PAPERTRAIL_APP;
const BASE = process.env.WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
const CORPUS = process.env.CORPUS;
const SHOTS = process.env.SHOTS;
assert.ok(APP && CORPUS && SHOTS, 'run through tests/e2e/run.sh');

const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-'));
let s;

before(async () => {
  const t0 = Date.now();
  s = await Session.start(
    BASE,
    {
      'tauri:options': {
        application: APP,
        args: ['--library', library, join(CORPUS, 'pdf/deepseek-r1.pdf'), join(CORPUS, 'pdf/deepseek-v3.pdf'), join(CORPUS, 'versions/deepseek-r1-2025-01-20.pdf'), join(CORPUS, 'malformed/empty.pdf')],
      },
    },
    SHOTS,
  );
  await s.waitFor('table.papers, [data-testid=first-run]', { timeout: 30000 });
  const paint = await s.waitUntil(`
    const e = performance.getEntriesByName('papertrail:first-paint')[0];
    return e && { epoch: performance.timeOrigin + e.startTime, sinceLoad: e.startTime };
  `);
  const cold = Math.round(paint.epoch - t0);
  console.log(`# cold start: library view painted ${cold} ms after launch was requested (${Math.round(paint.sinceLoad)} ms after the page began loading)`);
  record(SHOTS, 'cold_start_ms', { launch_to_first_paint: cold, page_load_to_first_paint: Math.round(paint.sinceLoad), note: 'launch includes tauri-driver starting WebKitWebDriver' });
});

after(async () => {
  await s?.quit();
  rmSync(library, { recursive: true, force: true });
});

describe('Papertrail', () => {
  test('imports the PDFs named on the command line', async () => {
    await s.waitFor('tr[data-paper="deepseek-r1"] .badge', { text: /^imported$/, timeout: 180000 });
    await s.waitFor('tr[data-paper="deepseek-v3"] .badge', { text: /^imported$/, timeout: 180000 });
    await s.waitFor('[data-testid=counts]', { text: /^2 of \d+ papers imported · [\d,]+ passages/ });
    const counts = await s.text(await s.find('[data-testid=counts]'));
    assert.match(counts, /2 of \d+ papers imported/);
    // the earlier R1 file is a second version of the same paper, not a new paper
    await s.waitUntil(`return document.querySelector('tr[data-paper="deepseek-r1"] td:nth-child(4)')?.textContent.trim() === '2'`, { timeout: 60000 });
    await s.exec('document.querySelector("main .view")?.scrollTo(0, 0)');
    await s.screenshot('01-library');
    const mem = appMemory(APP);
    console.log(`# memory with 2 papers imported: ${memorySummary(mem)}`);
    record(SHOTS, 'memory_after_import', mem);
  });

  test('a malformed PDF stays listed with its reason', async () => {
    const row = await s.waitFor('[data-testid=failed-file]', { text: 'empty.pdf', timeout: 60000 });
    const text = await s.text(row);
    assert.match(text, /empty\.pdf/);
    assert.ok(text.replace('empty.pdf', '').replace(/failed|Retry|Dismiss/g, '').trim().length > 5, `a reason is shown: ${text}`);
    await s.screenshot('02-malformed-import');
  });

  test('search "aha moment" from anywhere and open the hit in the reader', async () => {
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Control, 'k');
    const active = await s.exec('return document.activeElement && document.activeElement.id');
    assert.equal(active, 'top-search', 'Ctrl+K focuses the search field');
    const input = await s.find('#top-search');
    const t0 = Date.now();
    await s.type(input, 'aha moment');
    await s.waitFor('#top-search-results .hit', { text: /aha/i });
    console.log(`# dropdown results ${Date.now() - t0} ms after typing started (includes WebDriver round trips)`);
    await s.type(input, KEYS.Enter);
    const summary = await s.waitFor('[data-testid=search-summary]', { text: /passages? in \d+ papers?/ });
    console.log(`# ${await s.text(summary)}`);
    await s.waitUntil('return document.querySelector(".results")?.dataset.renderMs');
    const ms = await s.exec('return document.querySelector(".results").dataset.renderMs');
    console.log(`# keystroke to rendered results in the Search view: ${ms} ms`);
    const samples = [];
    for (const q of ['aha mom', 'aha moment', 'GRPO', 'H800 GPU hours', '2.788M', 'distillation']) {
      await s.clear(await s.find('#search-input'));
      await s.type(await s.find('#search-input'), q);
      await s.waitUntil(`return document.querySelector('.results')?.dataset.renderMs && document.querySelector('#search-input').value === ${JSON.stringify(q)} && !document.querySelector('.results[aria-busy=true]')`).catch(() => null);
      await sleep(300);
      const v = await s.exec('return Number(document.querySelector(".results")?.dataset.renderMs)');
      if (v) samples.push(v);
    }
    console.log(`# keystroke→rendered samples (ms, no debounce): ${samples.map((x) => x.toFixed(0)).join(', ')}`);
    record(SHOTS, 'search_keystroke_to_render_ms', { first: Number(ms), samples, debounce_ms: 0 });
    await s.clear(await s.find('#search-input'));
    await s.type(await s.find('#search-input'), 'aha moment');
    await s.waitFor('[data-testid=search-summary]', { text: /passages? in/ });
    await sleep(400);
    await s.screenshot('03-search');
    // "By meaning" with the model out of reach (run.sh keeps it so): the reason is shown under
    // the bar and the same hits come, matched by words; turned off, the note goes.
    const byWords = await s.text(await s.find('[data-testid=search-summary]'));
    await s.click(await s.find('[data-testid=by-meaning]'));
    await s.waitFor('[data-testid=meaning-off]', { text: /model|embedd|meaning/i });
    await s.waitFor('[data-testid=search-summary]', { text: /passages? in/ });
    assert.equal((await s.text(await s.find('[data-testid=search-summary]'))).split('·')[0], byWords.split('·')[0], 'the same hits, by words');
    await s.click(await s.find('[data-testid=by-meaning]'));
    await s.waitUntil('return !document.querySelector("[data-testid=meaning-off]")');
    await s.exec('document.querySelector("#search-input").focus()');
    // arrow keys then Enter open the selected hit
    // arrow keys move through the hits (p. 2 contents, p. 6, then the p. 8 passage); Enter opens
    const sinput = await s.find('#search-input');
    await s.type(sinput, KEYS.ArrowDown + KEYS.ArrowDown);
    const selected = await s.text(await s.find('.hit.sel'));
    assert.match(selected, /aha/i);
    await s.type(sinput, KEYS.Enter);
    await s.waitFor('.reader .textLayer span');
    await s.waitFor('.marks .mark-hit', { timeout: 20000 });
    await s.waitFor('.marks .mark-term');
    await sleep(600);
    await s.screenshot('04-reader-hit');
    assert.equal(await s.exec('return document.querySelectorAll(".reader select.version option").length'), 2, 'the reader offers both versions');
    const title = await s.exec('return document.querySelector(".reader .toolbar h1").textContent');
    assert.match(title, /R1/);
    const page = await s.exec('return document.querySelector("[data-testid=page-input]").value');
    assert.ok(Number(page) > 1, `opened at the hit's page, not the first (${page})`);
    // keyboard: next page, previous page, zoom in and back to fit
    await s.exec('document.querySelector(".reader .scroller").focus()');
    await s.chord(KEYS.ArrowRight);
    await s.waitUntil(`return document.querySelector('[data-testid=page-input]').value === '${Number(page) + 1}'`);
    await s.chord(KEYS.ArrowLeft);
    await s.waitUntil(`return document.querySelector('[data-testid=page-input]').value === '${page}'`);
    const zoom0 = await s.exec('return document.querySelector(".reader .zoom").textContent');
    await s.chord('+');
    await s.waitUntil(`return document.querySelector(".reader .zoom").textContent !== ${JSON.stringify(zoom0)}`);
    await s.chord('0');
    await s.waitUntil(`return document.querySelector(".reader .zoom").textContent === ${JSON.stringify(zoom0)}`);
    await s.waitFor('.reader .textLayer span');
  });

  test('select text in the reader and save an annotation', async () => {
    const quote = await s.exec(`
      const spans = [...document.querySelectorAll('.reader .textLayer span')].filter(e => e.firstChild && e.textContent.trim().length > 25);
      const el = spans.find(e => /aha/i.test(e.textContent)) || spans[Math.floor(spans.length / 3)];
      const r = document.createRange();
      r.setStart(el.firstChild, 0);
      r.setEnd(el.firstChild, el.textContent.length);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      document.querySelector('.reader .scroller').dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      return el.textContent;
    `);
    assert.ok(quote.length > 10);
    await s.waitFor('[data-testid=annotate-popover]');
    const note = await s.find('[data-testid=annotate-popover] textarea');
    await s.type(note, 'The model re-evaluates its approach: the "aha moment".');
    await s.type(await s.find('[data-testid=annotate-popover] input[aria-label=Tags]'), 'rl, reasoning');
    await s.click(await s.find('[data-testid=annotate-popover] .chip.c-green'));
    await s.click(await s.find('[data-testid=save-annotation]'));
    await s.waitFor('.notes li', { text: 'aha moment' });
    await s.waitFor('.marks .mark-ann');
    await s.screenshot('05-annotation');
    // edit it in the side panel: note and colour
    const li = await s.exec(`return [...document.querySelectorAll('.notes li')].findIndex(li => /aha moment/.test(li.textContent))`);
    await s.exec(`[...document.querySelectorAll('.notes li')][${li}].querySelector('.row .link').click()`);
    const box = await s.waitFor('.notes .edit textarea');
    await s.clear(box);
    await s.type(box, 'Edited: the model learns to rethink.');
    await s.click(await s.find('.notes .edit .chip.c-blue'));
    await s.click(await s.find('.notes .edit button.primary'));
    await s.waitFor('.notes li', { text: 'Edited: the model learns to rethink.' });
    await s.waitFor('.marks .mark-ann.c-blue');
  });

  test('link a passage to a claim and see the verdict change', async () => {
    // pick a claim whose verdict a contradicting passage will change: unresolved, else supported
    const before = await s.execAsync(`
      const done = arguments[arguments.length - 1];
      window.__TAURI_INTERNALS__.invoke('claims').then((cs) => {
        const c = cs.find((c) => c.verdict === 'unresolved') || cs.find((c) => c.verdict === 'supported') || cs[0];
        done(c);
      }, (e) => done({ error: String(e && e.message || e) }));
    `);
    assert.ok(before && before.id, `a claim to link to: ${JSON.stringify(before)}`);
    await s.exec(`
      const spans = [...document.querySelectorAll('.reader .textLayer span')].filter(e => e.firstChild && e.textContent.trim().length > 25);
      const el = spans[Math.floor(spans.length / 2)];
      const r = document.createRange();
      r.setStart(el.firstChild, 0);
      r.setEnd(el.firstChild, el.textContent.length);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(r);
      document.querySelector('.reader .scroller').dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    `);
    await s.waitFor('[data-testid=annotate-popover]');
    await s.click(await s.find('[data-testid=link-claim]'));
    await s.type(await s.waitFor('[data-testid=annotate-popover] input[aria-label="Find a claim"]'), before.text.split(' ').slice(0, 3).join(' '));
    await s.click(await s.waitFor(`[data-claim-option="${before.id}"]`));
    await s.click(await s.find('[data-testid=annotate-popover] input[value=contradicts]'));
    await s.screenshot('06-link-popover');
    await s.click(await s.find('[data-testid=save-annotation]'));
    await s.waitFor('.notes li .linked');
    await sleep(300);
    await s.screenshot('07-linked-in-reader');
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Control, '3');
    const row = await s.waitFor(`[data-claim="${before.id}"] .badge`);
    const expected = before.evidence.supports > 0 ? 'contested' : 'contradicted';
    await s.waitUntil(`return document.querySelector('[data-claim="${before.id}"] .badge')?.dataset.verdict === '${expected}'`);
    assert.notEqual(before.verdict, expected, 'the verdict changed');
    await sleep(500);
    await s.screenshot('08-claims-list');
    await s.click(await s.find(`[data-claim="${before.id}"]`));
    const badge = await s.waitFor('[data-testid=claim-verdict] .badge');
    assert.equal(await s.exec('return document.querySelector("[data-testid=claim-verdict] .badge").dataset.verdict'), expected);
    assert.match(await s.text(badge), new RegExp(expected, 'i'));
    await s.waitFor('.col.contradicts .evidence');
    await sleep(300);
    await s.screenshot('09-claim-verdict');
    assert.ok(row);
  });

  test('add a claim, accept a suggested passage, and see it supported', async () => {
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Control, '3');
    await s.click(await s.waitFor('.claims .view-head button.primary'));
    const text = await s.waitFor('.claim-form textarea');
    await s.type(text, 'DeepSeek-R1-Zero was trained with reinforcement learning and no supervised fine-tuning.');
    const inputs = await s.findAll('.claim-form input');
    await s.type(inputs[0], 'A reader of the paper');
    await s.type(inputs[1], '2025-01');
    await s.click(await s.find('.claim-form button[type=submit]'));
    const verdict = await s.waitFor('[data-testid=claim-verdict] .badge');
    assert.equal(await s.exec('return document.querySelector("[data-testid=claim-verdict] .badge").dataset.verdict'), 'unresolved');
    assert.match(await s.text(verdict), /Unresolved/);
    const first = await s.waitFor('[data-suggestion]', { timeout: 20000 });
    await sleep(500);
    await s.screenshot('09b-new-claim-suggestions');
    const accept = await s.exec('return [...document.querySelector("[data-suggestion]").querySelectorAll("button")].findIndex(b => b.textContent.trim() === "Accept")');
    assert.ok(accept >= 0 && first);
    await s.exec(`[...document.querySelector("[data-suggestion]").querySelectorAll("button")][${accept}].click()`);
    await s.waitUntil('return document.querySelector("[data-testid=claim-verdict] .badge")?.dataset.verdict === "supported"');
    await s.waitFor('.col.supports .evidence');
    await sleep(300);
    await s.screenshot('09c-new-claim-supported');
  });

  test('open the timeline and click the R1 milestone', async () => {
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Control, '4');
    await s.waitFor('[data-milestone]', { timeout: 15000 });
    assert.equal(await s.exec('return document.querySelectorAll(".timeline .error-box").length'), 0);
    await sleep(300);
    await s.screenshot('10-timeline');
    const id = await s.exec('return document.querySelector("[data-focus=true]")?.dataset.milestone');
    assert.match(id ?? '', /r1/i, 'the R1 release is the focus of the lineage');
    assert.ok(await s.exec('return document.querySelectorAll(".edge.path").length') > 2, 'the path to R1 is drawn');
    const runUp = (await s.findAll('.timeline .view-head button')).at(-2);
    assert.match(await s.text(runUp), /Run-up/);
    await s.click(runUp);
    await sleep(300);
    await s.screenshot('10b-timeline-run-up');
    await s.exec(`document.querySelector('[data-milestone="${id}"]').dispatchEvent(new MouseEvent('click', { bubbles: true }))`);
    const title = await s.waitUntil('return document.querySelector(".reader .toolbar h1, .claim-page h1")?.textContent');
    assert.match(title, /DeepSeek-R1/);
    // Alt+Left goes back to the timeline
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Alt, KEYS.ArrowLeft);
    await s.waitFor('[data-milestone]');
    await sleep(500);
    await s.screenshot('11-timeline-r1-opened');
  });
});
