//! One long bundle job (export, import, verify) as the shells see it: started with its
//! number of steps, a progress event per step, cancelled at the next step when asked, and
//! always finished.

use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events};

/// A running job: counts steps, reports them, and checks the cancel flag before each.
pub(crate) struct Job<'a> {
    events: &'a dyn Events,
    cancel: &'a Cancel,
    name: &'static str,
    done: u64,
    total: u64,
}

impl<'a> Job<'a> {
    /// Announces the job with its number of steps.
    pub(crate) fn start(events: &'a dyn Events, cancel: &'a Cancel, name: &'static str, total: u64) -> Self {
        events.emit(Event::JobStarted { job: name.into(), total });
        Job { events, cancel, name, done: 0, total }
    }

    /// Stops with [`Error::Cancelled`] when a cancel was asked for, else reports one more
    /// step done, working on `item`.
    pub(crate) fn step(&mut self, item: &str) -> Result<()> {
        self.check()?;
        self.done += 1;
        self.total = self.total.max(self.done);
        self.events.emit(Event::JobProgress {
            job: self.name.into(),
            done: self.done,
            total: self.total,
            item: item.into(),
        });
        Ok(())
    }

    /// Stops with [`Error::Cancelled`] when a cancel was asked for.
    pub(crate) fn check(&self) -> Result<()> {
        if self.cancel.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Sets the number of steps once it is known (the first progress event carries it).
    pub(crate) fn set_total(&mut self, total: u64) {
        self.total = total;
    }

    /// The events sink, for work that reports through another job's events.
    pub(crate) fn events(&self) -> &'a dyn Events {
        self.events
    }

    /// The cancel flag, for work that checks it itself.
    pub(crate) fn cancel(&self) -> &'a Cancel {
        self.cancel
    }

    /// Counts `n` steps done elsewhere (and reported there).
    pub(crate) fn advance(&mut self, n: u64) {
        self.done += n;
    }

    /// Number of steps.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Steps done so far.
    pub(crate) fn done(&self) -> u64 {
        self.done
    }

    /// Ends the job: cancelled when `result` is [`Error::Cancelled`].
    pub(crate) fn finish<T>(self, result: &Result<T>) {
        let cancelled = matches!(result, Err(Error::Cancelled));
        self.events.emit(Event::JobFinished { job: self.name.into(), cancelled });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Records every event and sets `cancel` at the `at`-th progress event of job `job`.
    pub(crate) struct CancelAt {
        pub(crate) job: &'static str,
        pub(crate) at: u64,
        pub(crate) cancel: Cancel,
        pub(crate) seen: Mutex<Vec<Event>>,
    }

    impl CancelAt {
        pub(crate) fn new(job: &'static str, at: u64) -> Self {
            CancelAt { job, at, cancel: Cancel::new(), seen: Mutex::default() }
        }
        /// (done, total) of every progress event of the job.
        pub(crate) fn progress(&self) -> Vec<(u64, u64)> {
            let seen = self.seen.lock().unwrap();
            seen.iter()
                .filter_map(|e| match e {
                    Event::JobProgress { job, done, total, .. } if job == self.job => Some((*done, *total)),
                    _ => None,
                })
                .collect()
        }
        /// Whether the job finished, and cancelled.
        pub(crate) fn finished(&self) -> Option<bool> {
            let seen = self.seen.lock().unwrap();
            seen.iter().rev().find_map(|e| match e {
                Event::JobFinished { job, cancelled } if job == self.job => Some(*cancelled),
                _ => None,
            })
        }
    }

    impl Events for CancelAt {
        fn emit(&self, event: Event) {
            if let Event::JobProgress { job, done, .. } = &event {
                if job == self.job && *done == self.at {
                    self.cancel.cancel();
                }
            }
            self.seen.lock().unwrap().push(event);
        }
    }
}

#[cfg(test)]
mod cancel_tests {
    use super::tests::CancelAt;
    use crate::bundle::{ExportOptions, ImportBundleOptions, Selection, VerifyOptions};
    use crate::error::Error;
    use crate::evidence::claims::NewClaim;
    use crate::evidence::deleted::tests::{library, quote};
    use crate::library::Library;
    use crate::model::Stance;
    use crate::NoEvents;

    /// A library with two linked passages and three claims, exported whole.
    fn exported() -> (tempfile::TempDir, Library, tempfile::TempDir, ExportOptions) {
        let (dir, lib) = library();
        lib.add_claim(&NewClaim {
            id: Some("extra".into()),
            text: "Only in this library".into(),
            ..Default::default()
        })
        .unwrap();
        let a = quote(&lib, "$5.576M");
        let b = quote(&lib, "2.788M GPU hours");
        lib.link("cost", &a.id, Stance::Supports, "the figure").unwrap();
        lib.link("hours", &b.id, Stance::Supports, "").unwrap();
        lib.link("extra", &b.id, Stance::Context, "").unwrap();
        let out = tempfile::tempdir().unwrap();
        let opts =
            ExportOptions { selection: Selection { all_claims: true, ..Default::default() }, ..Default::default() };
        (dir, lib, out, opts)
    }

    fn files_in(dir: &std::path::Path) -> Vec<String> {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn an_export_cancelled_at_any_step_leaves_no_file() {
        let (_dir, lib, out, opts) = exported();
        let path = out.path().join("bundle.zip");
        let full = CancelAt::new("export", 0);
        lib.export_bundle_with(&opts, &path, &full, &full.cancel).unwrap();
        let steps = full.progress();
        assert_eq!(steps.last().map(|&(d, t)| d == t), Some(true), "{steps:?}");
        assert_eq!(full.finished(), Some(false));
        std::fs::remove_file(&path).unwrap();
        for at in 1..=steps.len() as u64 {
            let ev = CancelAt::new("export", at);
            let r = lib.export_bundle_with(&opts, &path, &ev, &ev.cancel);
            if at < steps.len() as u64 {
                assert!(matches!(r, Err(Error::Cancelled)), "cancelled at step {at}: {r:?}");
                assert_eq!(ev.finished(), Some(true));
                assert!(files_in(out.path()).is_empty(), "step {at} left {:?}", files_in(out.path()));
            } else {
                // a cancel after the last entry comes too late: the bundle is whole
                assert!(r.is_ok());
                std::fs::remove_file(&path).unwrap();
            }
        }
    }

    #[test]
    fn a_cancelled_verify_stops_and_a_whole_one_reports_every_passage() {
        let (_dir, lib, out, opts) = exported();
        let path = out.path().join("bundle.zip");
        lib.export_bundle(&opts, &path).unwrap();
        let full = CancelAt::new("verify", 0);
        let report = lib.verify_bundle_with(&path, &VerifyOptions::default(), &full, &full.cancel).unwrap();
        assert_eq!((report.total, report.holds, report.failed), (2, 2, 0));
        assert_eq!(full.progress(), vec![(1, 2), (2, 2)]);
        let ev = CancelAt::new("verify", 1);
        let r = lib.verify_bundle_with(&path, &VerifyOptions::default(), &ev, &ev.cancel);
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        assert_eq!(ev.finished(), Some(true));
    }

    fn counts(lib: &Library) -> (i64, i64, i64) {
        let conn = lib.conn();
        let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        (n("SELECT count(*) FROM claims"), n("SELECT count(*) FROM annotations"), n("SELECT count(*) FROM evidence"))
    }

    #[test]
    fn a_cancelled_import_stores_none_of_the_bundles_claims_passages_or_links() {
        let (_dir, lib, out, opts) = exported();
        let path = out.path().join("bundle.zip");
        lib.export_bundle(&opts, &path).unwrap();
        // a colleague's library with the same paper and two of the claims
        let (_dir2, other) = library();
        let before = counts(&other);
        let opts = ImportBundleOptions { import_pdfs: false, ..Default::default() };
        let probe = CancelAt::new("bundle", 0);
        let (_dir3, scratch) = library();
        scratch.import_bundle_with(&path, &opts, &probe, &probe.cancel).unwrap();
        let steps = probe.progress().len() as u64;
        // a step per claim of the bundle (the catalog's and the three here), then per passage
        let claims = lib.claims().unwrap().len() as u64;
        assert_eq!(steps, claims + 2, "{:?}", probe.progress());
        for at in [1, 2, claims, claims + 1, steps] {
            let ev = CancelAt::new("bundle", at);
            let r = other.import_bundle_with(&path, &opts, &ev, &ev.cancel);
            assert!(matches!(r, Err(Error::Cancelled)), "cancelled at step {at}: {r:?}");
            assert_eq!(counts(&other), before, "cancelled at step {at}");
        }
        let r = other.import_bundle_with(&path, &opts, &NoEvents, &Default::default()).unwrap();
        assert_eq!((r.claims_added.len(), r.annotations_added.len(), r.evidence_added), (1, 2, 3));
        assert_eq!(counts(&other), (before.0 + 1, 2, 3));
    }
}
