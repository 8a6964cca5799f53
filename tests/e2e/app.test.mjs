// End-to-end tests of the real Papertrail binary: tauri-driver + WebKitWebDriver under Xvfb.
// Started by tests/e2e/run.sh, which sets PAPERTRAIL_APP, WEBDRIVER_URL, CORPUS and SHOTS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';
import { appMemory, record } from './measure.mjs';

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
        args: ['--library', library, join(CORPUS, 'pdf/deepseek-r1.pdf'), join(CORPUS, 'pdf/deepseek-v3.pdf'), join(CORPUS, 'malformed/empty.pdf')],
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
    await s.waitFor('tr[data-paper="deepseek-r1"] .badge', { text: 'imported', timeout: 180000 });
    await s.waitFor('tr[data-paper="deepseek-v3"] .badge', { text: 'imported', timeout: 180000 });
    await s.waitFor('[data-testid=counts]', { text: /passages/ });
    const counts = await s.text(await s.find('[data-testid=counts]'));
    assert.match(counts, /2 of \d+ papers imported/);
    await s.exec('document.querySelector("main .view")?.scrollTo(0, 0)');
    await s.screenshot('01-library');
    const mem = appMemory(APP);
    console.log(`# memory with 2 papers imported: ${(mem.total_kb / 1024).toFixed(0)} MB RSS over ${mem.processes.length} processes`);
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
    await s.click(await s.find('body'));
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
    console.log(`# keystroke→rendered samples (ms, includes the 100 ms debounce): ${samples.map((x) => x.toFixed(0)).join(', ')}`);
    record(SHOTS, 'search_keystroke_to_render_ms', { first: Number(ms), samples, debounce_ms: 100 });
    await s.clear(await s.find('#search-input'));
    await s.type(await s.find('#search-input'), 'aha moment');
    await s.waitFor('[data-testid=search-summary]', { text: /passages? in/ });
    await sleep(400);
    await s.screenshot('03-search');
    // arrow keys then Enter open the selected hit
    const sinput = await s.find('#search-input');
    await s.type(sinput, KEYS.Enter);
    await s.waitFor('.reader .textLayer span');
    await s.waitFor('.marks .mark-hit', { timeout: 20000 });
    const title = await s.text(await s.find('.reader .toolbar h1'));
    assert.match(title, /R1/);
    await sleep(400);
    await s.screenshot('04-reader-hit');
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
  });

  test('link a passage to a claim and see the verdict change', async (t) => {
    const claimsAvailable = await s.execAsync(`
      const done = arguments[arguments.length - 1];
      window.__TAURI_INTERNALS__.invoke('list_claims').then(c => done(c.length > 0), () => done(false));
    `);
    if (!claimsAvailable) return t.skip('no claims in this build');
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
    await s.waitFor('[data-testid=claim-select] option');
    const claim = await s.exec(`
      const sel = document.querySelector('[data-testid=claim-select]');
      const opt = [...sel.options].find(o => o.textContent.startsWith('[Unresolved]')) || sel.options[0];
      sel.value = opt.value;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      return { id: opt.value, text: opt.textContent };
    `);
    await s.click(await s.find('[data-testid=annotate-popover] input[value=contradicts]'));
    await s.click(await s.find('[data-testid=save-annotation]'));
    await s.waitFor('.notes li .linked');
    await s.screenshot('06-linked-in-reader');
    await s.chord(KEYS.Control, '3');
    await s.click(await s.waitFor(`[data-claim="${claim.id}"]`));
    const badge = await s.waitFor('.claim-page .verdict .badge');
    const verdict = await s.text(badge);
    if (claim.text.startsWith('[Unresolved]')) assert.match(verdict, /Contradicted|Contested/);
    await s.waitFor('.col.contradicts .evidence');
    await s.screenshot('07-claim-verdict');
  });

  test('open the timeline and click the R1 milestone', async (t) => {
    await s.chord(KEYS.Control, '4');
    const ok = await s.waitFor('[data-milestone], .timeline .error-box', { timeout: 15000 });
    if (await s.exec('return !!document.querySelector(".timeline .error-box")')) {
      await s.screenshot('08-timeline');
      return t.skip('no timeline in this build');
    }
    assert.ok(ok);
    await s.screenshot('08-timeline');
    const id = await s.exec(`
      const gs = [...document.querySelectorAll('[data-milestone]')];
      const g = gs.find(g => /R1/.test(g.getAttribute('aria-label')) && /release/.test(g.getAttribute('aria-label')))
        || gs.find(g => /R1/.test(g.getAttribute('aria-label')));
      return g && g.dataset.milestone;
    `);
    assert.ok(id, 'an R1 milestone is drawn');
    await s.exec(`document.querySelector('[data-milestone="${id}"]').dispatchEvent(new MouseEvent('click', { bubbles: true }))`);
    await s.waitFor('.reader .toolbar h1, .claim-page h1', { text: /./ });
    await sleep(500);
    await s.screenshot('09-timeline-r1-opened');
  });
});
