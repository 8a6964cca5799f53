import { describe, expect, it, vi } from 'vitest';

// lib/ocr imports the app state, which reads localStorage and calls the shell: neither exists here
vi.mock('../state/app.svelte', () => ({ app: {} }));
vi.mock('../api/library', () => ({}));

import type { Paper, Version } from '../api/types';
import {
  draftOf,
  editOf,
  familyName,
  fieldOfError,
  formatAuthors,
  identifier,
  isEmptyEdit,
  matchesPaper,
  ocrItem,
  parseAuthors,
  problemPages,
  shortAuthors,
  stateTooltip,
  versionState,
} from '../lib/paperstate';
import { justFinished, pendingOcr } from '../lib/ocr';
import { jobLabel, jobName } from '../lib/jobs';

const SHA = 'a'.repeat(64);

function version(over: Partial<Version> = {}): Version {
  return { sha256: SHA, pages: 10, imported_at: '2025-01-20T10:00:00Z', file_name: 'x.pdf', size: 1000, text_layer: 'text', ocr: 'none', problems: [], embedded: false, ...over };
}

function paper(over: Partial<Paper> = {}): Paper {
  return {
    id: 'deepseek-r1',
    title: 'DeepSeek-R1',
    date: '2025-01-20',
    date_precision: 'day',
    arxiv_id: '2501.12948',
    authors: ['DeepSeek-AI'],
    in_catalog: true,
    versions: [version()],
    doi: null,
    cites: [],
    cited_by: [],
    edited: [],
    ...over,
  };
}

describe('versionState', () => {
  it('says imported for a file with a text layer', () => {
    expect(versionState(version())).toEqual({ main: { label: 'imported', cls: 'ok' } });
  });
  it('names the state of a scan by its OCR', () => {
    const scan = (ocr: Version['ocr']) => versionState(version({ text_layer: 'none', ocr, problems: [{ page: 0, problem: 'No text layer: the pages are images (a scan).' }] })).main;
    expect(scan('pending').label).toBe('OCR pending');
    expect(scan('done')).toMatchObject({ label: "OCR'd", cls: 'ok' });
    expect(scan('unavailable')).toMatchObject({ label: 'no text layer', cls: 'bad' });
    expect(scan('unavailable').hint).toMatch(/tesseract/i);
    expect(scan('none').label).toBe('no text layer');
    expect(scan('failed')).toMatchObject({ label: 'OCR failed', cls: 'bad' });
  });
  it('keeps "imported" first for a file with some unreadable pages, and says how many', () => {
    const problems = [
      { page: 0, problem: 'Repaired: gave 4 Type3 font(s) the widths or matrix they lack.' },
      { page: 20, problem: 'unreadable font' },
      { page: 21, problem: 'unreadable font' },
      { page: 21, problem: 'twice on one page' },
    ];
    const st = versionState(version({ text_layer: 'partial', ocr: 'unavailable', problems }));
    expect(st.main.label).toBe('imported');
    expect(st.extra).toMatchObject({ label: '2 pages unreadable', cls: 'warn' });
    expect(versionState(version({ text_layer: 'partial', ocr: 'none', problems: problems.slice(0, 2) })).extra?.label).toBe('1 page unreadable');
    expect(versionState(version({ text_layer: 'partial', ocr: 'pending', problems })).extra?.label).toBe('OCR pending');
    expect(versionState(version({ text_layer: 'partial', ocr: 'done', problems })).extra?.label).toBe("OCR'd");
    expect(versionState(version({ text_layer: 'partial', ocr: 'failed', problems })).extra?.cls).toBe('bad');
  });
  it('shows OCR progress on the version being read', () => {
    expect(versionState(version({ text_layer: 'none', ocr: 'pending' }), 40).main.label).toBe('OCR 40%');
    expect(versionState(version({ text_layer: 'partial', ocr: 'pending' }), 40).extra?.label).toBe('OCR 40%');
    // once read, progress is not shown any more
    expect(versionState(version({ text_layer: 'none', ocr: 'done' }), 40).main.label).toBe("OCR'd");
  });
  it('lists the problems in the tooltip, the file first', () => {
    const v = version({ text_layer: 'partial', ocr: 'done', problems: [{ page: 0, problem: 'Repaired.' }, { page: 3, problem: 'Empty.' }] });
    const st = versionState(v);
    expect(stateTooltip(v, st.extra!).split('\n')).toEqual(["1 page: text read by OCR; may contain recognition errors.", 'Repaired.', 'p. 3: Empty.']);
    expect(problemPages(v)).toEqual([3]);
  });
});

describe('authors', () => {
  it('shortens to family names', () => {
    expect(shortAuthors([])).toBe('');
    expect(shortAuthors(['DeepSeek-AI'])).toBe('DeepSeek-AI');
    expect(shortAuthors(['John McCarthy'])).toBe('McCarthy');
    expect(shortAuthors(['Ada Lovelace', 'Charles Babbage'])).toBe('Lovelace & Babbage');
    expect(shortAuthors(['Ada Lovelace', 'Charles Babbage', 'Alan Turing'])).toBe('Lovelace et al.');
    expect(familyName('Lovelace, Ada')).toBe('Lovelace');
    expect(familyName('Guido van Rossum')).toBe('van Rossum');
    expect(familyName('Google DeepMind')).toBe('Google DeepMind');
    expect(familyName('  ')).toBe('');
  });
  it('parses the semicolon list of the form, and formats it back', () => {
    expect(parseAuthors('Ada  Lovelace; Charles Babbage ;; ')).toEqual(['Ada Lovelace', 'Charles Babbage']);
    expect(parseAuthors('')).toEqual([]);
    // commas belong to a name ("Family, Given"), only semicolons separate
    expect(parseAuthors('Lovelace, Ada; Babbage, Charles')).toEqual(['Lovelace, Ada', 'Babbage, Charles']);
    const list = ['Lovelace, Ada', 'Charles Babbage'];
    expect(parseAuthors(formatAuthors(list))).toEqual(list);
  });
});

describe('the metadata form', () => {
  it('sends only the fields that changed', () => {
    const p = paper();
    const d = draftOf(p);
    expect(isEmptyEdit(editOf(p, d))).toBe(true);
    expect(isEmptyEdit(editOf(p, { ...d, title: ' DeepSeek-R1 ', authors: 'DeepSeek-AI ;' }))).toBe(true);
    expect(editOf(p, { ...d, title: 'R1, edited', date: '2025-01' })).toEqual({ title: 'R1, edited', authors: null, date: '2025-01', arxiv_id: null, doi: null });
    expect(editOf(p, { ...d, authors: 'A B; C D' }).authors).toEqual(['A B', 'C D']);
    // an emptied field clears it
    expect(editOf(p, { ...d, arxiv_id: '' }).arxiv_id).toBe('');
    expect(editOf(paper({ doi: null }), { ...d, doi: '10.1/x' }).doi).toBe('10.1/x');
  });
  it('finds the field a core error names', () => {
    expect(fieldOfError('invalid date: `2025-13` has month 13; months run from 01 to 12')).toEqual({ field: 'date', text: '`2025-13` has month 13; months run from 01 to 12' });
    expect(fieldOfError('invalid arxiv: `123` is not an arXiv id')?.field).toBe('arxiv_id');
    expect(fieldOfError('invalid doi: `x` is not a DOI')?.field).toBe('doi');
    expect(fieldOfError('invalid title: the title cannot be empty')).toEqual({ field: 'title', text: 'The title cannot be empty' });
    expect(fieldOfError('invalid paper: x is a catalog paper')).toBeNull();
    expect(fieldOfError('library is busy: another process')).toBeNull();
  });
});

describe('the table', () => {
  it('shows the arXiv id, else the DOI', () => {
    expect(identifier(paper())).toEqual({ text: '2501.12948', kind: 'arXiv' });
    expect(identifier(paper({ arxiv_id: null, doi: '10.1145/1' }))).toEqual({ text: '10.1145/1', kind: 'DOI' });
    expect(identifier(paper({ arxiv_id: null }))).toBeNull();
  });
  it('filters on every word, across title, authors and identifiers', () => {
    const p = paper({ authors: ['Ada Lovelace'], doi: '10.1145/357172' });
    expect(matchesPaper(p, '')).toBe(true);
    expect(matchesPaper(p, 'r1 lovelace')).toBe(true);
    expect(matchesPaper(p, '2501.12948')).toBe(true);
    expect(matchesPaper(p, '357172')).toBe(true);
    expect(matchesPaper(p, 'r1 babbage')).toBe(false);
  });
});

describe('the OCR job', () => {
  it('names the page being read by its paper', () => {
    const papers = [paper({ title: 'LISP II', versions: [version()] })];
    expect(ocrItem(`${SHA} p.2`, papers)).toBe('LISP II p. 2');
    expect(ocrItem(`${'b'.repeat(64)} p.2`, papers)).toBe('p. 2');
    expect(ocrItem('something else', papers)).toBe('something else');
    expect(jobName('ocr')).toBe('OCR');
    expect(jobLabel({ job: 'ocr', done: 1, total: 4, item: 'LISP II p. 2', running: true, cancelled: false })).toBe('OCR 1/4 (25%) · LISP II p. 2');
    expect(jobLabel({ job: 'split', done: 0, total: 0, item: '', running: false, cancelled: false })).toBe('Split done');
  });
  it('starts after an import or a download ends, and counts what waits', () => {
    expect(justFinished({ import: true, download: false }, { import: false, download: false })).toBe(true);
    expect(justFinished({ import: false }, { import: true })).toBe(false);
    expect(justFinished({}, { import: false })).toBe(false);
    expect(justFinished({ import: true, download: true }, { import: true, download: false })).toBe(true);
    const p = paper({ versions: [version({ ocr: 'pending' }), version({ ocr: 'done' })] });
    expect(pendingOcr([p, paper({ versions: [] })])).toBe(1);
  });
});
