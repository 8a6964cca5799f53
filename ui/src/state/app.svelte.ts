/**
 * The app's shared state: where we are (with a back stack), the library's papers and size,
 * background jobs, import failures and toasts. Views read it; actions live here so that
 * errors always reach the user.
 */
import { AppError, toAppError } from '../api/core';
import * as library from '../api/library';
import type { ImportOutcome, LibraryInfo, Paper } from '../api/types';
import { reduceJobs, type CoreEvent, type Job } from '../lib/jobs';
import { goBack, push, replace, type NavState, type Route } from '../lib/nav';
import { prefs } from './settings.svelte';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  title: string;
  detail?: string;
  /** A button on the toast (Undo): run once, then the toast goes. */
  action?: { label: string; run: () => void | Promise<void> };
}

class AppState {
  nav = $state<NavState>({ current: { view: 'library' }, back: [] });
  info = $state<LibraryInfo | null>(null);
  papers = $state<Paper[]>([]);
  papersLoaded = $state(false);
  loadError = $state<AppError | null>(null);
  jobs = $state<Record<string, Job>>({});
  /** Files that failed to import (kept by the library), newest first, with their reason. */
  failures = $state<{ path: string; reason: string }[]>([]);
  /** Why a catalog paper could not be downloaded, by paper id (this session). */
  downloadFailures = $state<Record<string, string>>({});
  /** Failures the user dismissed from view. */
  dismissed = $state<string[]>([]);
  /** Paper ids touched by the last import, for a moment's emphasis. */
  recent = $state<string[]>([]);
  toasts = $state<Toast[]>([]);
  dragging = $state(false);
  /** Base URL of a mirror that serves the catalog's files (a setting, kept in settings.json). */
  get mirror() {
    return prefs.settings.mirror;
  }
  /** Bumped whenever the library changes, so views reload what they show. */
  revision = $state(0);
  private nextToast = 1;
  /** Files named on the command line, imported once the index has caught up. */
  private pending: string[] = [];

  go(route: Route) {
    this.nav = push(this.nav, route);
  }
  replace(route: Route) {
    this.nav = replace(this.nav, route);
  }
  back() {
    this.nav = goBack(this.nav);
  }

  toast(kind: Toast['kind'], title: string, detail?: string, ms = kind === 'error' ? 0 : kind === 'success' ? 2500 : 6000, action?: Toast['action']) {
    const id = this.nextToast++;
    this.toasts = [...this.toasts, { id, kind, title, detail, action }].slice(-3);
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
  }
  dismiss(id: number) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
  error(context: string, e: unknown) {
    const err = toAppError(e);
    if (err.code === 'cancelled') this.toast('info', `${context.replace(/ failed$/, '')}: cancelled`);
    else this.toast('error', context, err.message);
    return err;
  }

  /** When the window regains focus: pick up what the CLI changed meanwhile. */
  async onFocus() {
    if (this.loadError || Object.values(this.jobs).some((j) => j.running)) return;
    try {
      await library.refresh();
      await this.refresh();
    } catch {
      /* the next action reports it */
    }
  }

  async refresh() {
    try {
      const [info, papers, failures] = await Promise.all([library.libraryInfo(), library.listPapers(), library.importFailures()]);
      this.failures = failures.filter((f) => !this.dismissed.includes(f.path));
      if (info.pending_imports.length) this.pending = [...this.pending, ...info.pending_imports];
      this.info = info;
      this.papers = papers;
      this.loadError = null;
    } catch (e) {
      this.loadError = toAppError(e);
    } finally {
      this.papersLoaded = true;
      this.revision++;
    }
  }

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Refreshes at most twice a second while files keep arriving. */
  private refreshSoon() {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 500);
  }

  onEvent(ev: CoreEvent) {
    this.jobs = reduceJobs(this.jobs, ev);
    if (ev.kind === 'file_imported') {
      // a failed file shows in the Library the moment it fails, the others as they land
      if (ev.status === 'failed' && typeof ev.reason === 'string') {
        const failed = { path: ev.path, reason: ev.reason };
        this.failures = [failed, ...this.failures.filter((f) => f.path !== ev.path)];
      }
      this.refreshSoon();
    } else if (ev.kind === 'library_changed') this.refreshSoon();
  }

  async importPaths(paths: string[]) {
    if (!paths.length) return;
    try {
      const outcomes = await library.importFiles(paths);
      this.reportImport(outcomes);
    } catch (e) {
      this.error('Import failed', e);
    }
    await this.refresh();
  }

  private reportImport(outcomes: ImportOutcome[]) {
    const failed = outcomes.filter((o) => o.status === 'failed') as (ImportOutcome & { reason: string })[];
    const ok = outcomes.filter((o) => o.status === 'imported' || o.status === 'new_version');
    const same = outcomes.filter((o) => o.status === 'already_present');
    // a file tried again is shown again, even if it was dismissed before
    this.dismissed = this.dismissed.filter((p) => !outcomes.some((o) => o.path === p));
    this.recent = outcomes.flatMap((o) => ('paper_id' in o ? [o.paper_id] : []));
    const parts = [];
    if (ok.length) parts.push(`${ok.length} imported`);
    if (same.length) parts.push(`${same.length} already in the library`);
    if (failed.length) parts.push(`${failed.length} failed`);
    if (failed.length) {
      const names = failed.map((f) => `${basename(f.path)}: ${f.reason}`).join('\n');
      this.toast('error', `Import: ${parts.join(', ')}`, `${names}\nThe Library lists failed files with their reasons.`, 15000);
    } else if (parts.length) {
      this.toast('success', `Import: ${parts.join(', ')}`);
    } else {
      this.toast('info', 'Import: no PDF files found there');
    }
  }

  dismissFailure(path: string) {
    this.dismissed = [...this.dismissed, path];
    this.failures = this.failures.filter((f) => f.path !== path);
  }

  /** After the first paint: bring the search index up to the database, then import the files named on the command line. */
  async afterStart() {
    if (this.loadError) return;
    try {
      if (await library.catchUp()) await this.refresh();
    } catch (e) {
      this.error('The search index could not be brought up to date', e);
    }
    const paths = this.pending;
    this.pending = [];
    if (paths.length) await this.importPaths(paths);
  }

  setMirror(url: string) {
    prefs.save({ mirror: url.trim() }).catch((e) => this.error('The mirror could not be saved', e));
  }

  /** Downloads the catalog's papers (checksums verified where pinned) and imports them. */
  async downloadCatalog() {
    try {
      const outcomes = await library.downloadCatalog({ mirror: this.mirror || null, papers: [], max_bytes: 200 * 1024 * 1024, timeout_secs: 120, pinned_only: false });
      const ok = outcomes.filter((o) => o.status === 'imported');
      const failed = outcomes.filter((o) => o.status === 'failed') as (typeof outcomes[number] & { reason: string })[];
      const verified = ok.filter((o) => 'verified' in o && o.verified).length;
      const title = `Download: ${ok.length} imported${verified ? ` (${verified} checksum-verified)` : ''}${failed.length ? `, ${failed.length} failed` : ''}`;
      this.downloadFailures = {
        ...Object.fromEntries(Object.entries(this.downloadFailures).filter(([id]) => !outcomes.some((o) => o.paper_id === id))),
        ...Object.fromEntries(failed.map((f) => [f.paper_id, f.reason])),
      };
      if (failed.length) this.toast('error', title, `The reason for each paper is in the Library's State column. First: ${failed[0].paper_id}: ${failed[0].reason}`, 12000);
      else this.toast('success', title);
    } catch (e) {
      this.error('Download failed', e);
    }
    await this.refresh();
  }

  async cancel(job: string) {
    try {
      await library.cancelJob(job);
    } catch (e) {
      this.error(`Could not cancel the ${job}`, e);
    }
  }
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export const app = new AppState();
