import type { Event } from '../bindings/Event';

/**
 * Background jobs (import, download, reindex, export, ocr, split, merge) as the status line shows them,
 * folded from the core's events.
 */
export interface Job {
  job: string;
  done: number;
  total: number;
  item: string;
  running: boolean;
  cancelled: boolean;
}

/** What the core sends on the `core` channel: its `Event`, generated. */
export type CoreEvent = Event;

export function reduceJobs(jobs: Record<string, Job>, ev: CoreEvent): Record<string, Job> {
  switch (ev.kind) {
    case 'job_started':
      return { ...jobs, [ev.job]: { job: ev.job, done: 0, total: ev.total, item: '', running: true, cancelled: false } };
    case 'job_progress': {
      const prev = jobs[ev.job] ?? { job: ev.job, done: 0, total: ev.total, item: '', running: true, cancelled: false };
      return { ...jobs, [ev.job]: { ...prev, done: ev.done, total: ev.total, item: ev.item, running: true } };
    }
    case 'job_finished': {
      const prev = jobs[ev.job];
      if (!prev) return jobs;
      return { ...jobs, [ev.job]: { ...prev, running: false, cancelled: ev.cancelled, done: ev.cancelled ? prev.done : prev.total } };
    }
    default:
      return jobs;
  }
}

/** 0..100, or null when the total is unknown. */
export function percent(job: Job): number | null {
  if (!job.total) return null;
  return Math.max(0, Math.min(100, Math.round((job.done / job.total) * 100)));
}

/** A job's name as a person says it: "Import", "OCR", "Split". */
export function jobName(job: string): string {
  if (job === 'ocr') return 'OCR';
  if (job === 'bundle') return 'Bundle import';
  return job.charAt(0).toUpperCase() + job.slice(1);
}

export function jobLabel(job: Job): string {
  const name = jobName(job.job);
  if (!job.running) return job.cancelled ? `${name} cancelled` : `${name} done`;
  const p = percent(job);
  const count = job.total ? ` ${job.done}/${job.total}` : '';
  return `${name}${count}${p === null ? '' : ` (${p}%)`}${job.item ? ` · ${job.item}` : ''}`;
}
