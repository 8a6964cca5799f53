// The claims desk and bundles in the real app: a claim deleted after a confirmation that names
// its evidence links; an existing annotation linked from a claim's page, its stance changed
// (the verdict badge follows) and a note added; an annotation deleted in the reader and
// brought back whole by Undo; a bundle exported by the CLI verified in the app (one passage
// edited in the zip so that it fails); an export cancelled from the status line leaves no
// file. Every change is checked with the CLI too. Light and dark screenshots of the claim
// page and the verify dialog. Started by tests/e2e/run.sh.
import { after, before, describe, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS } = process.env;
assert.ok(APP && BASE && CORPUS && SHOTS, 'run through tests/e2e/run.sh');
const CLI = process.env.PAPERTRAIL_CLI ?? join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/papertrail-target', 'debug', 'papertrail');

const dir = mkdtempSync(join(tmpdir(), 'papertrail-e2e-desk-'));
const library = join(dir, 'library');
const config = join(dir, 'config');
const bundles = join(dir, 'bundles');
mkdirSync(bundles);
const cli = (...args) => execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const cliJson = (...args) => JSON.parse(cli(...args, '--json'));
// screenshots in a folder of their own: run.sh empties the shared one when another run starts
const shots = join(SHOTS, 'claims-desk');
let s;
/** A test that leaves a screenshot of the window when it fails. */
const test = (name, fn) =>
  nodeTest(name, async () => {
    try {
      await fn();
    } catch (e) {
      await s?.screenshot(`failed-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => {});
      throw e;
    }
  });
/** Annotation ids made by the CLI before the app starts. */
const ids = {};

const QUOTE = 'without supervised fine-tuning (SFT)';

before(async () => {
  cli('import', join(CORPUS, 'pdf/deepseek-r1.pdf'), join(CORPUS, 'pdf/deepseek-v3.pdf'), join(CORPUS, 'pdf/deepseek-v2.pdf'));
  ids.a = cliJson('annotate', 'deepseek-r1', '--page', '1', '--quote', QUOTE, '--note', 'the abstract says so').id;
  ids.b = cliJson('annotate', 'deepseek-r1', '--page', '1', '--quote', 'OpenAI-o1-1217 on reasoning tasks').id;
  cli('claim', 'add', 'A claim made only to be deleted', '--id', 'e2e-delete', '--claimant', 'E2E');
  cli('claim', 'add', 'R1 learned to reason from reinforcement learning alone', '--id', 'e2e-rl', '--claimant', 'E2E', '--date', '2025-01');
  cli('claim', 'add', 'R1 rivals o1 on reasoning', '--id', 'e2e-o1', '--claimant', 'E2E');
  cli('link', 'e2e-delete', ids.b, '--stance', 'supports');
  cli('link', 'e2e-o1', ids.a, '--stance', 'context', '--note', 'background');
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: ['--library', library, '--config', config] } }, shots);
  try {
    await s.waitFor('[data-testid=counts]', { timeout: 60000 });
  } catch (e) {
    await s.screenshot('desk-00-start-failed');
    console.log(`# page: ${await s.exec('return document.body.innerText.slice(0, 2000)')}`);
    throw e;
  }
});

after(async () => {
  await s?.quit();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Answers the native file dialog titled `title` (GTK's, a window of its own) as a user does:
 * Ctrl+L, the path typed, Enter, with xdotool on the test's X display.
 */
async function answerFileDialog(title, path) {
  const deadline = Date.now() + 20000;
  let id = '';
  while (!id) {
    try {
      // the newest visible window of that title (a dialog closed before stays, unmapped)
      id = execFileSync('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`], { encoding: 'utf8' }).trim().split('\n').pop();
    } catch {
      if (Date.now() > deadline) throw new Error(`no file dialog titled ${title} appeared`);
      await sleep(200);
    }
  }
  await sleep(500);
  execFileSync('xdotool', ['windowfocus', '--sync', id]);
  execFileSync('xdotool', ['key', '--clearmodifiers', 'ctrl+l']);
  await sleep(200);
  execFileSync('xdotool', ['key', '--clearmodifiers', 'ctrl+a']);
  execFileSync('xdotool', ['type', '--delay', '15', path]);
  await sleep(200);
  execFileSync('xdotool', ['key', 'Return']);
}

async function openClaims() {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, '3');
  await s.waitFor('.claims .list button.claim');
}

async function openClaim(id) {
  await openClaims();
  await s.exec('document.querySelector(`[data-claim="${arguments[0]}"]`).scrollIntoView()', [id]);
  await s.click(await s.find(`[data-claim="${id}"]`));
  await s.waitFor('.claim-page h1.quote');
}

const verdict = () => s.exec('return document.querySelector("[data-testid=claim-verdict] [data-verdict]")?.dataset.verdict');
const claimRow = (id) => cliJson('claims').find((c) => c.id === id);
const shownEvidence = (id) => {
  const d = cliJson('claim', 'show', id);
  return [...d.supports, ...d.contradicts, ...d.context].map((e) => ({ ...e, stance: d.supports.includes(e) ? 'supports' : d.contradicts.includes(e) ? 'contradicts' : 'context' }));
};

/** Screenshots in the light and the dark theme. */
async function lightAndDark(name) {
  await sleep(200);
  await s.screenshot(`${name}-light`);
  await s.exec('document.documentElement.dataset.theme = "dark"');
  await sleep(300);
  await s.screenshot(`${name}-dark`);
  await s.exec('delete document.documentElement.dataset.theme');
}

describe('the claims desk', () => {
  test('a claim is deleted after a confirmation naming its links; the annotation stays', async () => {
    await openClaim('e2e-delete');
    await s.click(await s.find('[data-testid=delete-claim]'));
    const dialog = await s.waitFor('[data-testid=delete-claim-dialog]');
    const text = await s.text(dialog);
    assert.match(text, /A claim made only to be deleted/);
    assert.match(text, /evidence link goes with it \(1 supporting, 0 contradicting, 0 context\)/, text);
    assert.match(text, /annotations themselves stay in their papers/, text);
    await s.screenshot('desk-01-delete-confirm');
    // Esc keeps it
    await s.chord(KEYS.Escape);
    await s.waitUntil('return !document.querySelector("[data-testid=delete-claim-dialog]")');
    assert.ok(claimRow('e2e-delete'), 'Esc changes nothing');
    await s.click(await s.find('[data-testid=delete-claim]'));
    await s.click(await s.waitFor('[data-testid=confirm-delete-claim]'));
    await s.waitFor('.claims .list');
    await s.waitUntil('return !document.querySelector("[data-claim=e2e-delete]")');
    assert.equal(claimRow('e2e-delete'), undefined, 'the CLI no longer lists the claim');
    const b = cliJson('annotations').find((a) => a.id === ids.b);
    assert.ok(b, 'its annotation stays');
    assert.deepEqual(b.claims, []);
  });

  test('an existing annotation is linked from the claim page, its stance changed and a note added', async () => {
    await openClaim('e2e-rl');
    assert.equal(await verdict(), 'unresolved');
    await s.click(await s.find('[data-testid=link-annotation]'));
    await s.waitFor('[data-testid=link-annotation-dialog] [data-annotation-option]');
    const search = await s.find('[data-testid=link-annotation-dialog] input[type=search]');
    assert.equal(await s.exec('return document.activeElement === arguments[0]', [{ 'element-6066-11e4-a52e-4f735466cecf': search }]), true, 'the search field has the focus');
    const total = await s.exec('return document.querySelectorAll("[data-testid=link-annotation-dialog] [data-annotation-option]").length');
    await s.type(search, 'supervised fine-tuning');
    // the list narrows to the annotations holding both words, ours among them
    await s.waitUntil(`const opts = [...document.querySelectorAll('[data-testid=link-annotation-dialog] [data-annotation-option]')];
      return opts.length < ${total} && opts.some((o) => o.dataset.annotationOption === '${ids.a}') && opts.every((o) => /supervised/i.test(o.textContent) && /fine-tuning/i.test(o.textContent));`);
    const option = await s.find(`[data-annotation-option="${ids.a}"]`);
    assert.match(await s.text(option), /DeepSeek-R1.*p\. 1/s);
    await s.click(option);
    await s.type(await s.find('[data-testid=link-annotation-dialog] input[aria-label="Note on the link"]'), 'RL first, no SFT');
    await s.screenshot('desk-02-link-dialog');
    await s.click(await s.find('[data-testid=confirm-link-annotation]'));
    await s.waitUntil('return document.querySelector("[data-testid=claim-verdict] [data-verdict]")?.dataset.verdict === "supported"');
    await s.waitFor(`.col.supports [data-evidence="${ids.a}"]`);
    assert.equal(claimRow('e2e-rl').verdict, 'supported');
    let ev = shownEvidence('e2e-rl');
    assert.deepEqual(ev.map((e) => [e.annotation_id, e.stance, e.note]), [[ids.a, 'supports', 'RL first, no SFT']]);

    // the stance changes in place: the verdict badge follows at once
    await s.exec(
      `const sel = document.querySelector('[data-evidence="${ids.a}"] [data-testid=evidence-stance]');
       sel.value = 'contradicts'; sel.dispatchEvent(new Event('change', { bubbles: true }));`,
    );
    await s.waitUntil('return document.querySelector("[data-testid=claim-verdict] [data-verdict]")?.dataset.verdict === "contradicted"');
    await s.waitFor(`.col.contradicts [data-evidence="${ids.a}"]`);
    ev = shownEvidence('e2e-rl');
    assert.deepEqual(ev.map((e) => [e.stance, e.note]), [['contradicts', 'RL first, no SFT']], 'the note stays when the stance changes');

    // the note changes
    await s.click(await s.find(`[data-evidence="${ids.a}"] [data-testid=edit-link-note]`));
    const input = await s.waitFor(`[data-evidence="${ids.a}"] input[aria-label="Note on the link"]`);
    await s.clear(input);
    await s.type(input, `Pure RL came first; SFT only later${KEYS.Enter}`);
    await s.waitFor(`[data-evidence="${ids.a}"] [data-testid=link-note]`, { text: 'Pure RL came first; SFT only later' });
    ev = shownEvidence('e2e-rl');
    assert.deepEqual(ev.map((e) => [e.stance, e.note]), [['contradicts', 'Pure RL came first; SFT only later']]);
    await s.exec('document.querySelector("main .view")?.scrollTo(0, 0)');
    await lightAndDark('desk-03-claim-page');
  });

  test('an annotation deleted in the reader comes back whole with Undo', async () => {
    const before = cliJson('annotations').find((a) => a.id === ids.a);
    assert.deepEqual(before.claims, ['e2e-o1', 'e2e-rl']);
    const linksBefore = ['e2e-o1', 'e2e-rl'].map((c) => shownEvidence(c).filter((e) => e.annotation_id === ids.a).map((e) => [c, e.stance, e.note]));
    // from the claim page into the reader, where the annotation is listed
    await s.click(await s.find(`[data-evidence="${ids.a}"] .where button.link`));
    const item = `.notes li[data-annotation="${ids.a}"]`;
    await s.waitFor(item, { timeout: 30000 });
    await s.exec(`[...document.querySelector('${item}').querySelectorAll('button')].find((b) => b.textContent.trim() === 'Delete').click()`);
    const toast = await s.waitFor('.toast', { text: /Annotation deleted/ });
    assert.match(await s.text(toast), /Annotation deleted \(and removed from 2 claims' evidence\)/);
    await s.waitUntil(`return !document.querySelector('${item}')`);
    assert.equal(cliJson('annotations').find((a) => a.id === ids.a), undefined, 'deleted');
    assert.equal(claimRow('e2e-rl').verdict, 'unresolved', 'the verdict changed with it');
    await s.screenshot('desk-04-undo-toast');
    await s.click(await s.find('[data-testid=toast-action]'));
    await s.waitFor('.toast', { text: /Annotation restored with its 2 evidence links/ });
    await s.waitFor(item);
    const back = cliJson('annotations').find((a) => a.id === ids.a);
    assert.deepEqual(back, before, 'the same annotation: id, anchor, note, dates, claims');
    const linksAfter = ['e2e-o1', 'e2e-rl'].map((c) => shownEvidence(c).filter((e) => e.annotation_id === ids.a).map((e) => [c, e.stance, e.note]));
    assert.deepEqual(linksAfter, linksBefore, 'its links with their stances and notes');
    assert.equal(claimRow('e2e-rl').verdict, 'contradicted');
  });
});

describe('bundles in the app', () => {
  test('a bundle exported by the CLI is verified: every passage holds but the one edited', async () => {
    const good = join(bundles, 'good.zip');
    cli('export', '--all', '-o', good);
    const count = cliJson('verify', good).total;
    assert.ok(count >= 3, `the bundle has passages: ${count}`);
    // one passage's quote edited by one letter inside the zip
    const bad = join(bundles, 'edited.zip');
    const edited = execFileSync(
      'python3',
      [
        '-c',
        `import json, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z:
    files = {n: z.read(n) for n in z.namelist()}
doc = json.loads(files['annotations.jsonld'])
for item in doc['first']['items']:
    for sel in [item['target']['selector']] + [item['target']['selector'].get('refinedBy', {})]:
        for s in (sel if isinstance(sel, list) else [sel]):
            if s.get('type') == 'TextQuoteSelector' and len(s['exact']) > 10:
                e = s['exact']
                i = next(k for k in range(5, len(e)) if e[k].isalpha())
                s['exact'] = e[:i] + ('x' if e[i] != 'x' else 'y') + e[i + 1:]
                print(item['id'])
                files['annotations.jsonld'] = (json.dumps(doc, indent=2, ensure_ascii=False) + '\\n').encode()
                with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as out:
                    for n, b in sorted(files.items()):
                        out.writestr(n, b)
                sys.exit(0)
sys.exit('no TextQuoteSelector found')`,
        good,
        bad,
      ],
      { encoding: 'utf8' },
    ).trim();
    const editedId = edited.replace('urn:papertrail:annotation:', '');
    await openClaims();
    await s.click(await s.find('[data-testid=verify-bundle]'));
    await answerFileDialog('Verify a citation bundle', bad);
    await s.waitFor('[data-testid=verify-dialog] [data-testid=verify-summary]', { timeout: 60000 });
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid=verify-dialog] li[data-status]')].map((li) => [li.dataset.annotation, li.dataset.status, li.querySelector('.badge').textContent.trim()])`);
    assert.equal(rows.length, count, 'a row per passage');
    assert.deepEqual(rows.filter((r) => r[1] !== 'holds'), [[editedId, 'not_found', 'failed: not found']]);
    assert.ok(rows.filter((r) => r[1] === 'holds').every((r) => r[2] === 'holds'));
    assert.match(await s.text(await s.find('[data-testid=verify-summary]')), new RegExp(`1 of ${count} passages fail`));
    const reason = await s.text(await s.find(`[data-testid=verify-dialog] li[data-annotation="${editedId}"] .reason`));
    assert.match(reason, /differs from the PDF's text/);
    // the status line showed the job while it ran; it is gone now
    assert.equal(await s.exec('return !!document.querySelector("[data-job=verify]")'), false);
    await lightAndDark('desk-05-verify-dialog');
    await s.click(await s.find('[data-testid=verify-dialog] .actions button'));
    await s.waitUntil('return !document.querySelector("[data-testid=verify-dialog]")');
    // the app's verdict agrees with the CLI's (which exits 1 when a passage fails)
    const run = spawnSync(CLI, ['--library', library, 'verify', bad, '--json'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    const cliReport = JSON.parse(run.stdout);
    assert.deepEqual(cliReport.passages.filter((p) => p.status !== 'holds').map((p) => p.annotation_id), [editedId]);
  });

  test('an export cancelled from the status line leaves no file', async () => {
    const out = join(bundles, 'cancelled');
    mkdirSync(out);
    const path = join(out, 'export.zip');
    await openClaims();
    const openExport = async () => {
      if (!(await s.exec('return !!document.querySelector(".claims .export")'))) await s.click(await s.find('[data-testid=export-bundle]'));
      await s.waitFor('.claims .export');
    };
    let cancelled = false;
    for (let attempt = 1; attempt <= 3 && !cancelled; attempt++) {
      await openExport();
      await s.exec('const c = document.querySelector(".claims .export input[type=checkbox]"); if (!c.checked) c.click();');
      // the user's click on the status line's Cancel, as soon as the job shows there
      await s.exec(`
        window.__e2eObs?.disconnect();
        window.__e2eObs = new MutationObserver((_, obs) => {
          const b = document.querySelector('[data-job=export] .cancel');
          if (b) { obs.disconnect(); b.click(); }
        });
        window.__e2eObs.observe(document.body, { childList: true, subtree: true });`);
      await s.click(await s.find('.claims .export button.primary'));
      await answerFileDialog('Export citation bundle', path);
      const toast = await s.waitFor('.toast', { text: /Export cancelled|Bundle written/, timeout: 60000 });
      cancelled = /Export cancelled/.test(await s.text(toast));
      if (cancelled) {
        assert.match(await s.text(toast), /No bundle file was written/);
        await s.screenshot('desk-06-export-cancelled');
      } else {
        console.log(`# attempt ${attempt}: the export finished before the Cancel click arrived; trying again`);
        rmSync(path);
      }
      await s.exec('document.querySelectorAll(".toast .close").forEach((b) => b.click())');
    }
    assert.ok(cancelled, 'the export was cancelled in one of three attempts');
    assert.deepEqual(readdirSync(out), [], 'no bundle and no temporary file');
    // an export that is not cancelled writes the bundle
    await s.exec('window.__e2eObs?.disconnect()');
    await openExport();
    await s.click(await s.find('.claims .export button.primary'));
    await answerFileDialog('Export citation bundle', path);
    await s.waitFor('.toast', { text: /Bundle written/, timeout: 60000 });
    assert.deepEqual(readdirSync(out), ['export.zip']);
    assert.equal(cliJson('verify', path).failed, 0);
  });
});
