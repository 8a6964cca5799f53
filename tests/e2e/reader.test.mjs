// A reader for long papers, in the real app on the 53-page DeepSeek-V3 report: continuous
// scrolling draws pages as they come into view and releases far ones (live canvases counted,
// memory measured); find in the paper (Ctrl+F) with the count the CLI's stored text gives;
// outline, thumbnails and the annotation list navigate; the place (page and zoom) is kept
// across a restart, and a search hit still opens at its own page; the paper's details edited
// from the reader; light and dark screenshots.
// Started by tests/e2e/run.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';
import { appMemory, memorySummary, record } from './measure.mjs';
import * as pdfjs from '../../node_modules/pdfjs-dist/legacy/build/pdf.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
assert.ok(APP && BASE && CORPUS && SHOTS, 'run through tests/e2e/run.sh');
const CLI = process.env.PAPERTRAIL_CLI ?? join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/papertrail-target', 'debug', 'papertrail');
const V3 = join(CORPUS, 'pdf/deepseek-v3.pdf');
const WORD = 'auxiliary';
const HOME = '\uE011';
const SHIFT = '\uE008';
/** The reader never keeps more pages drawn than this (ui/src/lib/readerlayout.ts MAX_LIVE). */
const MAX_LIVE = 12;

const KEEP = join(SHOTS, '..', 'reader-shots');
const library = mkdtempSync(join(tmpdir(), 'papertrail-e2e-reader-'));
/** This test's app (its command line), not another test's run of the same binary. */
const ME = `${APP} --library ${library}`;
let s;
let id;

const cli = (...args) => execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const pageNo = () => s.exec('return Number(document.querySelector("[data-testid=page-input]").value)');
const liveCanvases = () => s.exec('return document.querySelectorAll(".reader .page canvas").length');
const mb = (kb) => Math.round(kb / 1024);

/** A screenshot in SHOTS, copied to SHOTS/../reader-shots (other e2e runs empty SHOTS when they start). */
async function shot(name) {
  const file = await s.screenshot(name);
  mkdirSync(KEEP, { recursive: true });
  copyFileSync(file, join(KEEP, `${name}.png`));
  return file;
}

/** The page (1-based) an outline entry of `file` points to, read with pdf.js in node. */
async function outlinePage(file, title) {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const walk = (items) => items.flatMap((i) => [i, ...walk(i.items ?? [])]);
    const item = walk((await doc.getOutline()) ?? []).find((i) => i.title === title);
    assert.ok(item, `an outline entry “${title}”`);
    const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
    return (await doc.getPageIndex(dest[0])) + 1;
  } finally {
    await doc.destroy();
  }
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

async function start() {
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library] } }, SHOTS);
  await s.waitFor('table.papers', { timeout: 30000 });
}

/** Opens V3 from its library row (a plain open: the reader goes where it was left). */
async function openV3() {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '1');
  await s.waitFor(`tr[data-paper="${id}"]`);
  await s.exec('const tr = document.querySelector(`tr[data-paper="${arguments[0]}"]`); tr.scrollIntoView(); tr.click();', [id]);
  await s.waitFor('.reader .page[data-render-ms] .textLayer span', { timeout: 30000 });
}

/** Waits until the page shown in the page field is drawn with its text layer. */
async function waitDrawn(n) {
  await s.waitUntil(`return document.querySelector('.reader .page[data-page="${n}"][data-render-ms] .textLayer span')`, { timeout: 20000 });
}

/** True when `css` (an element on a page) is inside the scrolling pane's view. */
const inView = (css) =>
  s.exec(
    `const el = document.querySelector(arguments[0]); if (!el) return false;
     const v = document.querySelector('.reader .scroller').getBoundingClientRect(); const r = el.getBoundingClientRect();
     return r.bottom > v.top && r.top < v.bottom;`,
    [css],
  );

before(async () => {
  assert.ok(existsSync(CLI), `the CLI is built (${CLI}); run.sh builds it`);
  cli('import', V3);
  id = JSON.parse(cli('papers', '--json')).find((p) => p.versions.some((v) => v.file_name === 'deepseek-v3.pdf')).id;
  await start();
});

after(async () => {
  await s?.quit();
  rmSync(library, { recursive: true, force: true });
});

describe('a reader for long papers', () => {
  test('continuous scrolling draws pages as they come into view and releases far ones; memory stays bounded', async () => {
    await openV3();
    assert.equal(await pageNo(), 1);
    const pages = await s.exec('return document.querySelectorAll(".reader .page[data-page]").length');
    assert.equal(pages, 53, 'every page is laid out, drawn or not');
    await sleep(1500);
    const atStart = appMemory(ME);
    assert.ok(atStart.processes.some((p) => p.name === 'WebKitWebProcess'), `the app's processes are found: ${memorySummary(atStart)}`);
    const samples = [];
    let peak = atStart;
    let maxLive = 0;
    const height = await s.exec('return document.querySelector(".reader .scroller").clientHeight');
    for (let step = 0; ; step++) {
      const done = await s.exec(
        `const sc = document.querySelector('.reader .scroller'); const end = sc.scrollTop + sc.clientHeight >= sc.scrollHeight - 2;
         sc.scrollTop += arguments[0]; return end;`,
        [Math.round(height * 0.9)],
      );
      await sleep(120);
      const n = await liveCanvases();
      maxLive = Math.max(maxLive, n);
      assert.ok(n <= MAX_LIVE, `at most ${MAX_LIVE} pages drawn at once (${n} at step ${step})`);
      if (step % 8 === 0 || done) {
        // the page in view is drawn: rendering keeps up with the scrolling
        const p = await pageNo();
        await waitDrawn(p);
        const mem = appMemory(ME);
        samples.push({ page: p, live: await liveCanvases(), pss_mb: mb(mem.total_pss_kb) });
        if (mem.total_pss_kb > peak.total_pss_kb) peak = mem;
      }
      if (done) break;
    }
    assert.equal(await pageNo(), 53, 'scrolled to the end');
    await waitDrawn(53);
    // far pages were released: the first pages have no canvas and no text layer left
    const first = await s.exec('return [1, 2, 3].map((n) => { const p = document.querySelector(`.reader .page[data-page="${n}"]`); return { canvas: !!p.querySelector("canvas"), spans: p.querySelectorAll(".textLayer span").length }; })');
    assert.deepEqual(first, [1, 2, 3].map(() => ({ canvas: false, spans: 0 })), 'pages far above are released');
    await sleep(1500);
    const atEnd = appMemory(ME);
    await shot('80-reader-scrolled-to-end');
    // pdf.js's caches (fonts, images) are dropped 10 s after the drawing and scrolling stop
    await sleep(12000);
    const idle = appMemory(ME);
    // what one drawn page holds: its canvas bitmap (the text layer and marks come on top)
    const canvasMb = await s.exec('const c = document.querySelector(".reader .page canvas"); return c.width * c.height * 4 / 1048576');
    // RSS, not PSS: PSS divides shared library pages among every process using them, so it
    // moves when another app instance (another test run) starts or ends; RSS does not
    const grown = mb(idle.total_rss_kb - atStart.total_rss_kb);
    // bounded: past the first pages, memory stays level whatever the number of pages scrolled
    // (a page's images and fonts come and go with it); without releasing, each page scrolled
    // past would add its canvas and text layer
    console.log(`# reader memory, V3 (53 pages): page 1 ${memorySummary(atStart)}; peak while scrolling ${mb(peak.total_pss_kb)} MB PSS; page 53 ${memorySummary(atEnd)}; 12 s later ${memorySummary(idle)}; most pages drawn at once ${maxLive}; a page's canvas ${canvasMb.toFixed(1)} MB`);
    console.log(`# samples (page: drawn pages / PSS): ${samples.map((x) => `p${x.page}:${x.live}/${x.pss_mb}MB`).join(' ')}`);
    record(SHOTS, 'reader_scroll_v3', { start: atStart, peak, end: atEnd, end_idle: idle, max_live_canvases: maxLive, canvas_mb: canvasMb, samples });
    // keeping all 53 pages drawn would hold 53 canvases; the reader keeps a few
    assert.ok(grown < 53 * canvasMb, `memory (RSS) after scrolling the whole paper grew ${grown} MB from page 1: less than the canvases of 53 drawn pages alone (${Math.round(53 * canvasMb)} MB)`);
  });

  test('Ctrl+F finds a word with the count the stored text gives; Enter moves to the next match', async () => {
    // the expected count, from the stored text as the CLI prints it (pages split by form feeds)
    const text = cli('text', id);
    const perPage = text.split('\f').map((t) => Array.from(t.normalize('NFKC')).map((c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c)).join('').split(WORD).length - 1);
    const want = perPage.reduce((a, b) => a + b, 0);
    const onPages = perPage.map((n, i) => (n ? i + 1 : 0)).filter(Boolean);
    assert.ok(want >= 5 && onPages.length >= 3, `"${WORD}" occurs ${want} times on ${onPages.length} pages`);
    await s.exec('document.querySelector(".reader .scroller").focus()');
    await s.chord(HOME);
    await s.waitUntil('return document.querySelector("[data-testid=page-input]").value === "1"');
    await s.chord(KEYS.Control, 'f');
    const input = await s.waitFor('[data-testid=find-input]');
    assert.equal(await s.exec('return document.activeElement?.dataset.testid'), 'find-input', 'Ctrl+F focuses the find field');
    await s.type(input, WORD);
    const count = await s.waitFor('[data-testid=find-count]', { text: new RegExp(`^\\s*1 of ${want}\\s*$`) });
    assert.ok(count);
    // the first match is on the first page that has one, drawn and in view
    await s.waitUntil(`return Number(document.querySelector("[data-testid=page-input]").value) === ${onPages[0]}`);
    await waitDrawn(onPages[0]);
    await s.waitUntil(`return document.querySelector('.reader .page[data-page="${onPages[0]}"] .mark-find.current')`);
    assert.ok(await inView('.reader .mark-find.current'), 'the current match is in view');
    const marked = await s.exec(`return document.querySelectorAll('.reader .page[data-page="${onPages[0]}"] .mark-find').length`);
    assert.ok(marked >= Math.min(1, perPage[onPages[0] - 1]), 'the matches on the page are marked');
    await shot('81-reader-find');
    // Enter: the next match (on this page or the next one that has one); the count follows
    const firstRect = await s.exec('return JSON.stringify(document.querySelector(".reader .mark-find.current").getBoundingClientRect())');
    await s.type(input, KEYS.Enter);
    await s.waitFor('[data-testid=find-count]', { text: new RegExp(`^\\s*2 of ${want}\\s*$`) });
    const second = perPage[onPages[0] - 1] >= 2 ? onPages[0] : onPages[1];
    await s.waitUntil(`return Number(document.querySelector("[data-testid=page-input]").value) === ${second} && document.querySelector('.reader .page[data-page="${second}"] .mark-find.current')`);
    assert.notEqual(await s.exec('return JSON.stringify(document.querySelector(".reader .mark-find.current").getBoundingClientRect())'), firstRect);
    assert.ok(await inView('.reader .mark-find.current'));
    // on to a match on a page far away (not drawn yet): it is drawn and shown
    const lastPage = onPages[onPages.length - 1];
    for (let i = 2; i < want; i++) await s.type(input, KEYS.Enter);
    await s.waitFor('[data-testid=find-count]', { text: new RegExp(`^\\s*${want} of ${want}\\s*$`) });
    await s.waitUntil(`return Number(document.querySelector("[data-testid=page-input]").value) === ${lastPage} && document.querySelector('.reader .page[data-page="${lastPage}"] .mark-find.current')`);
    // Shift+Enter goes back; Enter past the last wraps round to the first
    await s.chord(SHIFT, KEYS.Enter);
    await s.waitFor('[data-testid=find-count]', { text: new RegExp(`^\\s*${want - 1} of ${want}\\s*$`) });
    await s.type(input, KEYS.Enter + KEYS.Enter);
    await s.waitFor('[data-testid=find-count]', { text: new RegExp(`^\\s*1 of ${want}\\s*$`) });
    // a word that is not there says so
    await s.clear(input);
    await s.type(input, 'zxqwv');
    await s.waitFor('[data-testid=find-count]', { text: 'no matches' });
    await s.chord(KEYS.Escape);
    await s.waitUntil('return !document.querySelector("[data-testid=find-input]") && !document.querySelector(".reader .mark-find")');
  });

  test('an outline entry goes to its section', async () => {
    await s.exec('document.querySelector(".reader .scroller").focus()');
    await s.chord(HOME);
    await s.waitUntil('return document.querySelector("[data-testid=page-input]").value === "1"');
    await s.click(await s.find('[data-tab=outline]'));
    await s.waitFor('[data-outline]');
    const entries = await s.exec('return [...document.querySelectorAll("[data-outline]")].map((b) => b.dataset.outline)');
    assert.ok(entries.length > 5, `V3 has an outline: ${entries.join(' | ')}`);
    const heading = 'Pre-Training';
    assert.ok(entries.includes(heading), entries.join(' | '));
    // where the PDF's outline points, read here with pdf.js in node (LaTeX's anchors can sit at
    // the foot of the page before a heading that opens a page: the heading is there or on the next)
    const want = await outlinePage(V3, heading);
    const pages = cli('text', id).split('\f');
    const at = [want, want + 1].find((p) => pages[p - 1].includes(heading));
    assert.ok(at, `page ${want} or the next has the heading “${heading}”`);
    await s.exec('[...document.querySelectorAll("[data-outline]")].find((b) => b.dataset.outline === arguments[0]).click()', [heading]);
    await s.waitUntil(`return document.querySelector("[data-testid=page-input]").value === "${want}"`);
    await waitDrawn(at);
    // the heading is on screen, on its page's text layer
    const seen = await s.waitUntil(
      `const v = document.querySelector('.reader .scroller').getBoundingClientRect();
       return [...document.querySelectorAll('.reader .page[data-page="${at}"] .textLayer span')].some((e) => { const r = e.getBoundingClientRect(); return e.textContent.includes(arguments[0]) && r.top >= v.top - 2 && r.bottom <= v.bottom; });`,
      { args: [heading] },
    ).catch(() => false);
    assert.ok(seen, `the heading “${heading}” is in view`);
    await shot('82-reader-outline');
  });

  test('a thumbnail click goes to its page', async () => {
    await s.click(await s.find('[data-tab=pages]'));
    await s.waitFor('[data-thumb="1"]');
    await s.exec('document.querySelector(\'[data-thumb="40"]\').scrollIntoView()');
    await s.waitUntil('return document.querySelector(\'[data-thumb="40"] canvas[data-drawn]\')');
    // drawn lazily: not every thumbnail is drawn
    const drawn = await s.exec('return document.querySelectorAll("[data-thumb] canvas[data-drawn]").length');
    assert.ok(drawn < 53, `thumbnails are drawn as they come into view (${drawn} of 53)`);
    await s.click(await s.find('[data-thumb="40"]'));
    await s.waitUntil('return document.querySelector("[data-testid=page-input]").value === "40"');
    await waitDrawn(40);
    assert.ok(await inView('.reader .page[data-page="40"] canvas'));
    assert.equal(await s.exec('return document.querySelector("[data-thumb][aria-current=page]")?.dataset.thumb'), '40');
    await shot('83-reader-thumbnails');
  });

  test('the annotation list shows the paper’s annotations by page; a click goes to one', async () => {
    const pages = cli('text', id).split('\f');
    const quoteOn = (p) => pages[p - 1].trim().split(/\s+/).slice(20, 27).join(' ');
    const made = [];
    for (const p of [12, 47]) {
      made.push(await invoke('annotate', { new: { paper: id, version: null, page: p, quote: quoteOn(p), occurrence: null, start: null, end: null, area: null, note: `A note on page ${p}`, tags: [], color: 'green' } }));
    }
    // the reader reads them when the paper is opened again
    await openV3();
    await s.click(await s.find('[data-tab=annotations]'));
    // all of the version's annotations (the catalog's evidence among them), in page order
    const all = await invoke('annotations', { filter: { paper: null, version: made[0].version_sha256, page: null, tag: null } });
    const listed = await s.exec('return [...document.querySelectorAll(".notes li[data-annotation]")].map((li) => [li.dataset.annotation, Number(li.dataset.page)])');
    assert.deepEqual(listed.map(([a]) => a).sort(), all.map((a) => a.id).sort(), 'every annotation of the paper is listed');
    assert.ok(made.every((a) => listed.some(([x]) => x === a.id)));
    assert.deepEqual(listed.map(([, p]) => p), [...listed.map(([, p]) => p)].sort((a, b) => a - b), 'by page');
    await s.exec(`document.querySelector('.notes li[data-annotation="${made[1].id}"] .show').click()`);
    await s.waitUntil('return document.querySelector("[data-testid=page-input]").value === "47"');
    await s.waitFor(`.reader .page[data-page="47"] .mark-ann[data-ann="${made[1].id}"]`);
    await s.waitUntil(`const v = document.querySelector('.reader .scroller').getBoundingClientRect(); const r = document.querySelector('.mark-ann[data-ann="${made[1].id}"]').getBoundingClientRect(); return r.top > v.top && r.bottom < v.bottom`);
    await s.exec(`document.querySelector('.notes li[data-annotation="${made[0].id}"] .show').click()`);
    await s.waitUntil('return document.querySelector("[data-testid=page-input]").value === "12"');
    await s.waitFor(`.reader .page[data-page="12"] .mark-ann[data-ann="${made[0].id}"]`);
    assert.ok(await inView(`.mark-ann[data-ann="${made[0].id}"]`));
    await shot('84-reader-annotations');
  });

  test('reopening the paper after a restart goes back to the last page and zoom', async () => {
    await s.exec('document.querySelector(".reader .scroller").focus()');
    await s.chord('+');
    await s.chord('+');
    const zoom = await s.waitUntil('const z = document.querySelector(".reader .zoom").textContent; return z !== "" && z');
    const input = await s.find('[data-testid=page-input]');
    await s.clear(input);
    await s.type(input, '37' + KEYS.Enter);
    await waitDrawn(37);
    await s.waitUntil(`return document.querySelector("[data-testid=page-input]").value === "37"`);
    // kept in the library (saved shortly after the page settles)
    let kept = null;
    for (let i = 0; i < 20 && !(kept && kept.page === 37); i++) {
      await sleep(250);
      kept = await invoke('reader_state', { paper: id });
    }
    assert.equal(kept?.page, 37, JSON.stringify(kept));
    assert.ok(kept.zoom > 1, `the zoom is kept (${kept.zoom})`);
    await s.quit();
    await sleep(500);
    await start();
    await openV3();
    await s.waitUntil('return document.querySelector("[data-testid=page-input]").value === "37"');
    await waitDrawn(37);
    assert.equal(await s.exec('return document.querySelector(".reader .zoom").textContent'), zoom);
    assert.ok(await inView('.reader .page[data-page="37"] canvas'));
    // back to fit for what follows
    await s.exec('document.querySelector(".reader .scroller").focus()');
    await s.chord('0');
  });

  test('the details are edited from the reader, and the title shown changes', async () => {
    await s.click(await s.find('[data-testid=edit-details]'));
    const title = await s.waitFor('[data-testid=reader-edit-details] #edit-title');
    await s.clear(title);
    await s.type(title, 'DeepSeek-V3 Technical Report, edited in the reader' + KEYS.Enter);
    await s.waitUntil('return !document.querySelector("[data-testid=reader-edit-details]")');
    await s.waitUntil('return document.querySelector(".reader .toolbar h1").textContent === "DeepSeek-V3 Technical Report, edited in the reader"');
    const p = JSON.parse(cli('papers', '--json')).find((x) => x.id === id);
    assert.equal(p.title, 'DeepSeek-V3 Technical Report, edited in the reader');
    assert.equal(await pageNo(), 37, 'the reader stays where it was');
  });

  test('screenshots in the light and the dark theme', async () => {
    await s.chord(KEYS.Control, 'f');
    await s.type(await s.waitFor('[data-testid=find-input]'), 'expert');
    await s.waitFor('[data-testid=find-count]', { text: / of / });
    // typed letter by letter, from page 37: each query's first match is at or after the page
    // shown (even "e", whose matches run to thousands), not back at the start
    assert.ok((await pageNo()) >= 37, `find started from the page shown (now at ${await pageNo()})`);
    await s.click(await s.find('[data-tab=outline]'));
    await sleep(500);
    await shot('85-reader-light');
    await s.exec('document.documentElement.dataset.theme = "dark"');
    await sleep(300);
    await shot('86-reader-dark');
    await s.click(await s.find('[data-tab=pages]'));
    await sleep(800);
    await shot('87-reader-dark-thumbnails');
    await s.exec('delete document.documentElement.dataset.theme');
  });

  test('a search hit opens the reader at its page even when the paper was left elsewhere', async () => {
    const kept = await invoke('reader_state', { paper: id });
    assert.ok(kept && kept.page > 1, `a place is kept past the first page: ${JSON.stringify(kept)}`);
    // words of the first page's running text: the hit on page 1, the page a plain open does
    // not go to when a place is kept
    const first = cli('text', id).split('\f')[0].trim().split(/\s+/);
    const mid = Math.floor(first.length / 2);
    const query = first.slice(mid, mid + 6).map((w) => w.replace(/[^\p{L}]/gu, '')).filter((w) => w.length >= 3).join(' ');
    await s.exec('document.activeElement?.blur()');
    await s.chord(KEYS.Control, '2');
    const input = await s.waitFor('#search-input');
    await s.clear(input);
    await s.type(input, query);
    await s.waitUntil(`return document.querySelector('#search-input').value === ${JSON.stringify(query)} && document.querySelector('.results') && !document.querySelector('.results[aria-busy=true]')`);
    const opened = await s.exec(`
      const pg = [...document.querySelectorAll('.results .page')].find((p) => p.querySelector('.pno').textContent.trim() === 'p. 1');
      pg?.querySelector('.hit').click();
      return !!pg;`);
    assert.ok(opened, `a hit on page 1 for “${query}”`);
    await s.waitFor('.reader .page[data-page="1"] .marks .mark-hit', { timeout: 20000 });
    await sleep(1000);
    assert.equal(await pageNo(), 1, `the hit's page, not the kept page ${kept.page}`);
    assert.ok(await inView('.reader .page[data-page="1"] .marks .mark-hit'), 'the passage is in view');
  });
});
