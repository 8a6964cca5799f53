/**
 * What the Library says about a paper: its state (imported, scan, OCR), short authors, and the
 * metadata form's conversions. A word always, a colour as well.
 */
import type { Paper, PaperEdit, Version } from '../api/types';

export type Tone = 'ok' | 'warn' | 'bad' | 'none';

export interface Badge {
  label: string;
  cls: Tone;
  /** Words for the hover: what the state means and what to do. */
  hint?: string;
}

/** The current version: the last stored (versions come oldest first). */
export function currentVersion(p: Paper): Version | undefined {
  return p.versions[p.versions.length - 1];
}

/** The distinct pages (1-based) a version's problems name; page 0 is the whole file. */
export function problemPages(v: Version): number[] {
  return [...new Set(v.problems.filter((p) => p.page > 0).map((p) => p.page))].sort((a, b) => a - b);
}

const OCR_ERRORS = 'text read by OCR; may contain recognition errors';

function pages(n: number): string {
  return `${n} page${n === 1 ? '' : 's'}`;
}

/**
 * The state of an imported version: a main badge and, for a file with some unreadable pages,
 * a second one about those pages. `ocrPercent` is the running OCR's progress when it is
 * reading this version.
 */
export function versionState(v: Version, ocrPercent: number | null = null): { main: Badge; extra?: Badge } {
  const bad = problemPages(v);
  const reading: Badge | null =
    v.ocr === 'pending' && ocrPercent !== null ? { label: `OCR ${ocrPercent}%`, cls: 'warn', hint: 'Tesseract is reading the pages without text' } : null;
  if (v.text_layer === 'none') {
    // a scan: nothing is searchable until OCR has read it
    if (reading) return { main: reading };
    switch (v.ocr) {
      case 'pending':
        return { main: { label: 'OCR pending', cls: 'warn', hint: 'A scan: its pages will be read by OCR in the background; until then it cannot be searched.' } };
      case 'done':
        return { main: { label: "OCR'd", cls: 'ok', hint: `A scan: ${OCR_ERRORS}.` } };
      case 'failed':
        return { main: { label: 'OCR failed', cls: 'bad', hint: 'A scan, and OCR could not read it: it cannot be searched. The details list each page.' } };
      case 'unavailable':
        return { main: { label: 'no text layer', cls: 'bad', hint: 'A scan (the pages are images) and OCR is unavailable: install tesseract-ocr and tesseract-ocr-eng, then choose "Run OCR".' } };
      default:
        return { main: { label: 'no text layer', cls: 'bad', hint: 'A scan (the pages are images): it cannot be searched.' } };
    }
  }
  const main: Badge = { label: 'imported', cls: 'ok' };
  if (reading) return { main, extra: reading };
  if (v.ocr === 'pending') return { main, extra: { label: 'OCR pending', cls: 'warn', hint: `${bad.length ? pages(bad.length) : 'Some pages'} without readable text will be read by OCR in the background.` } };
  if (v.ocr === 'done') return { main, extra: { label: "OCR'd", cls: 'ok', hint: `${bad.length ? pages(bad.length) : 'Some pages'}: ${OCR_ERRORS}.` } };
  if (bad.length || v.text_layer === 'partial') {
    const n = bad.length;
    const why =
      v.ocr === 'failed' ? 'OCR could not read them.' : v.ocr === 'unavailable' ? 'Install tesseract-ocr to read them by OCR.' : 'They are not searchable.';
    return { main, extra: { label: n ? `${pages(n)} unreadable` : 'some pages unreadable', cls: v.ocr === 'failed' ? 'bad' : 'warn', hint: why } };
  }
  return { main };
}

/** The hover text of a version's state: the hint, then each problem on a line. */
export function stateTooltip(v: Version, badge: Badge): string {
  const lines = badge.hint ? [badge.hint] : [];
  for (const p of v.problems) lines.push(p.page > 0 ? `p. ${p.page}: ${p.problem}` : p.problem);
  return lines.join('\n');
}

/** Authors as a table shows them: "A", "A & B", "A et al.", with family names for people. */
export function shortAuthors(authors: readonly string[]): string {
  const names = authors.map(familyName).filter(Boolean);
  if (names.length === 0) return '';
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} et al.`;
}

/** "Ada Lovelace" → "Lovelace", "Lovelace, Ada" → "Lovelace"; one-word names and groups stay whole. */
export function familyName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (!n) return '';
  if (n.includes(',')) return n.split(',')[0].trim();
  // corporate authors ("DeepSeek-AI", "Google DeepMind", "OpenAI Team") are names, not people
  if (/\b(AI|Team|Lab|Labs|Inc\.?|Ltd\.?|Group|Research|University|Institute|DeepMind|Consortium)\b/.test(n)) return n;
  const parts = n.split(' ');
  if (parts.length === 1) return n;
  // particles stay with the family name: "Guido van Rossum" → "van Rossum"
  let i = parts.length - 1;
  while (i > 1 && /^(van|von|der|den|de|del|della|da|di|du|la|le|ter|bin|al)$/i.test(parts[i - 1])) i--;
  return parts.slice(i).join(' ');
}

/** "A; B ;; C" → ["A", "B", "C"]: the authors field of the metadata form. */
export function parseAuthors(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

export function formatAuthors(authors: readonly string[]): string {
  return authors.join('; ');
}

/** The metadata form's values, as text. */
export interface PaperDraft {
  title: string;
  authors: string;
  date: string;
  arxiv_id: string;
  doi: string;
}

export type DraftField = keyof PaperDraft;

export function draftOf(p: Paper): PaperDraft {
  return { title: p.title, authors: formatAuthors(p.authors), date: p.date ?? '', arxiv_id: p.arxiv_id ?? '', doi: p.doi ?? '' };
}

/** Only what changed (null = unchanged), so that fields left alone are not marked as the user's own. */
export function editOf(p: Paper, d: PaperDraft): PaperEdit {
  const was = draftOf(p);
  const changed = (k: DraftField) => d[k].trim() !== was[k].trim();
  const authors = parseAuthors(d.authors);
  return {
    title: changed('title') ? d.title.trim() : null,
    authors: formatAuthors(authors) !== formatAuthors(parseAuthors(was.authors)) ? authors : null,
    date: changed('date') ? d.date.trim() : null,
    arxiv_id: changed('arxiv_id') ? d.arxiv_id.trim() : null,
    doi: changed('doi') ? d.doi.trim() : null,
  };
}

export function isEmptyEdit(e: PaperEdit): boolean {
  return e.title === null && e.authors === null && e.date === null && e.arxiv_id === null && e.doi === null;
}

/**
 * The form field a core validation error names ("invalid date: …" → date), and the message
 * without the prefix; null when it names no field of the form.
 */
export function fieldOfError(message: string): { field: DraftField; text: string } | null {
  const m = /^invalid ([a-z_ ]+?): (.*)$/s.exec(message.trim());
  if (!m) return null;
  const map: Record<string, DraftField> = { title: 'title', authors: 'authors', author: 'authors', date: 'date', arxiv: 'arxiv_id', arxiv_id: 'arxiv_id', doi: 'doi' };
  const field = map[m[1]];
  if (!field) return null;
  const text = m[2].charAt(0).toUpperCase() + m[2].slice(1);
  return { field, text };
}

/** A paper's identifiers for the table: the arXiv id, else the DOI. */
export function identifier(p: Paper): { text: string; kind: 'arXiv' | 'DOI' } | null {
  if (p.arxiv_id) return { text: p.arxiv_id, kind: 'arXiv' };
  if (p.doi) return { text: p.doi, kind: 'DOI' };
  return null;
}

/** Papers whose title, id, identifiers or authors hold every word of `query`. */
export function matchesPaper(p: Paper, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = `${p.title} ${p.id} ${p.arxiv_id ?? ''} ${p.doi ?? ''} ${p.authors.join(' ')} ${p.date ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** "2025-01-20T10:00:00Z" → "20 Jan 2025". */
export function importedOn(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A running OCR job's item ("<sha256> p.3") in words: the paper's title and the page. */
export function ocrItem(item: string, papers: readonly Paper[]): string {
  const m = /^([0-9a-f]{64}) p\.(\d+)$/.exec(item);
  if (!m) return item;
  const p = papers.find((x) => x.versions.some((v) => v.sha256 === m[1]));
  return p ? `${p.title} p. ${m[2]}` : `p. ${m[2]}`;
}
