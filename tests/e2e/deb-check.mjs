// The installed package, as a user meets it (run by scripts/deb-check.sh after `apt-get install`
// of the .deb, not by the default e2e run): the installed app starts with no --library, creates
// its library in the default place (XDG_DATA_HOME, set to an empty folder by the script),
// imports the PDF named on its command line, opens it in the reader, and finds the same library
// again after a restart. Prints the release build's idle memory.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KEYS, Session, sleep } from './webdriver.mjs';
import { appMemory, memorySummary, record } from './measure.mjs';

const { PAPERTRAIL_APP: APP, WEBDRIVER_URL: BASE, CORPUS, SHOTS, XDG_DATA_HOME } = process.env;
assert.ok(APP && BASE && CORPUS && SHOTS && XDG_DATA_HOME, 'run through scripts/deb-check.sh');
const library = join(XDG_DATA_HOME, 'papertrail', 'library');
const pdf = join(CORPUS, 'pdf', readdirSync(join(CORPUS, 'pdf')).filter((f) => f.endsWith('.pdf')).sort()[0]);
let s;

after(async () => {
  await s?.quit();
});

test('the installed app creates its library and imports a PDF named on its command line', async () => {
  assert.equal(existsSync(library), false, 'no library before the first start');
  const t0 = Date.now();
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: [pdf] } }, SHOTS);
  await s.waitFor('[data-testid=counts]', { text: /^1 of \d+ papers imported/, timeout: 120000 });
  console.log(`# ${basename(pdf)} imported by the installed app ${((Date.now() - t0) / 1000).toFixed(1)} s after launch`);
  assert.ok(existsSync(join(library, 'papertrail.db')), `the library was created at ${library}`);
  assert.equal(readdirSync(join(library, 'pdfs')).filter((f) => f.endsWith('.pdf')).length, 1);
  assert.match(await s.exec('return document.querySelector(".status .path").textContent'), new RegExp(library.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await sleep(3000);
  const idle = appMemory(APP);
  console.log(`# release build, idle at the library view with 1 paper: ${memorySummary(idle)}`);
  record(SHOTS, 'deb_memory_idle_library', idle);
  await s.screenshot('70-deb-library');
});

test('the imported paper opens in the reader', async () => {
  await s.exec('document.activeElement?.blur()');
  await s.chord(KEYS.Control, 'k');
  const input = await s.find('#top-search');
  await s.type(input, 'the');
  await s.click(await s.waitFor('#top-search-results .hit'));
  await s.waitFor('.reader .textLayer span', { timeout: 30000 });
  await s.screenshot('71-deb-reader');
  await s.quit();
  s = null;
});

test('after a restart the app finds the same library', async () => {
  await sleep(500);
  s = await Session.start(BASE, { 'tauri:options': { application: APP, args: [] } }, SHOTS);
  await s.waitFor('[data-testid=counts]', { text: /^1 of \d+ papers imported/, timeout: 30000 });
});
