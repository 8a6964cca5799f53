// Measurements taken during the end-to-end run; written to target/e2e-shots/measurements.json.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Resident memory (kB) of the app process and every process below it (the WebKit web process). */
export function appMemory(appPath) {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const procs = out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l);
      return m && { pid: +m[1], ppid: +m[2], rss: +m[3], args: m[4] };
    })
    .filter(Boolean);
  const roots = procs.filter((p) => p.args.startsWith(appPath));
  const rootPids = new Set(roots.map((p) => p.pid));
  const tree = [];
  const visit = (pid) => {
    for (const p of procs) if (p.ppid === pid) {
      tree.push(p);
      visit(p.pid);
    }
  };
  for (const r of roots) {
    if (rootPids.has(r.ppid)) continue; // a worker child of the app is counted below
    tree.push(r);
    visit(r.pid);
  }
  const shortName = (a) => a.split(' ')[0].split('/').pop();
  // PSS shares the pages of common libraries fairly between processes; RSS counts them in each
  const pss = (pid) => {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  };
  const rows = tree.map((p) => ({ name: shortName(p.args), rss_kb: p.rss, pss_kb: pss(p.pid) }));
  return {
    total_rss_kb: rows.reduce((n, p) => n + p.rss_kb, 0),
    total_pss_kb: rows.reduce((n, p) => n + (p.pss_kb ?? 0), 0),
    processes: rows,
  };
}

/** `total MB PSS (RSS): process MB, …`, for the test log. */
export function memorySummary(mem) {
  const mb = (kb) => (kb / 1024).toFixed(0);
  const each = mem.processes.map((p) => `${p.name} ${mb(p.pss_kb ?? 0)}`).join(', ');
  return `${mb(mem.total_pss_kb)} MB PSS (${mb(mem.total_rss_kb)} MB RSS): ${each}`;
}

export function record(dir, key, value) {
  const file = join(dir, 'measurements.json');
  const all = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  all[key] = value;
  writeFileSync(file, JSON.stringify(all, null, 2));
}
