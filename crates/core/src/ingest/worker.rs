//! Extraction in a separate process with a time limit, so no PDF can take the caller down.
//!
//! The worker is the caller's own binary re-invoked with [`WORKER_ARG`]: both the CLI and the
//! desktop app call [`run_if_worker`] first thing in `main`. The worker reads the PDF, extracts
//! it, and writes JSON to an output file (never stdout, which a parser might print to). A
//! panic, abort, stack overflow, excess memory or a hang fails only that file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ingest::extract::{extract_bytes, ExtractError, Extracted};

/// The hidden first argument that turns a Papertrail binary into an extraction worker.
pub const WORKER_ARG: &str = "__papertrail-extract-worker";

/// Environment variable for fault injection in tests: `SUBSTRING=KIND`, where the worker
/// misbehaves for input files whose name contains SUBSTRING. KIND is `hang`, `panic`,
/// `abort` or `overflow`. Read only by debug builds (the tests'); a release build ignores it.
pub const FAULT_ENV: &str = "PAPERTRAIL_WORKER_FAULT";

/// Address-space limit for a worker, so a runaway parser fails its file instead of the machine.
const WORKER_MEMORY_LIMIT: u64 = 4 << 30;

/// glibc malloc settings for a worker (the desktop app's allocator; the CLI's is mimalloc). Extraction allocates and frees at a high rate, and by
/// default glibc hands every block over 128 KiB back to the kernel, only to fault it in again
/// on the next page: keeping large blocks (up to 64 MiB) on the heap, letting the heap use
/// transparent huge pages and caching more small blocks per thread made extraction of the
/// corpus about 17 % faster with the same peak memory (BENCHMARKS.md). A worker lives for one
/// file, so nothing is held for long.
const WORKER_MALLOC_TUNABLES: &str = "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=67108864:\
                                      glibc.malloc.trim_threshold=134217728:glibc.malloc.tcache_count=1024";

/// Why a file could not be extracted in a worker: the extractor's own failure, or the worker
/// process's (it could not start, crashed, hung). Each is a sentence about the file.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The extractor ran and failed on the file.
    #[error(transparent)]
    Extract(#[from] ExtractError),
    /// No temporary file for the worker's result.
    #[error("cannot create a temporary file for the extractor: {0}")]
    TempFile(std::io::Error),
    /// The worker process could not be started.
    #[error("cannot start the extraction worker {program}: {source}", program = .program.display())]
    Spawn {
        /// The program run as the worker.
        program: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The worker ran past its time limit and was killed.
    #[error(
        "extraction timed out after {} s (the PDF may be too complex or hostile); raise --timeout to try again",
        .limit.as_secs_f32()
    )]
    TimedOut {
        /// The time limit.
        limit: Duration,
    },
    /// Waiting for the worker failed.
    #[error("lost the extraction worker: {0}")]
    Lost(std::io::Error),
    /// The worker died by a signal or a failing exit code.
    #[error("the PDF crashed the text extractor ({how}){}", .detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Crashed {
        /// How it ended: `abort, signal 6` or `exit 101`.
        how: String,
        /// The line of the worker's standard error that says why, when there is one.
        detail: Option<String>,
    },
    /// The worker exited without writing its result.
    #[error("the extraction worker left no result: {0}")]
    NoResult(std::io::Error),
    /// The worker's result could not be read.
    #[error("the extraction worker's result is unreadable: {0}")]
    BadResult(serde_json::Error),
}

/// How to start a worker and how long to let it run.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The program to run (a binary that calls [`run_if_worker`]).
    pub program: PathBuf,
    /// Time limit per file.
    pub timeout: Duration,
}

impl WorkerCommand {
    /// The current executable with a 60 s time limit.
    pub fn current_exe() -> std::io::Result<Self> {
        Ok(Self { program: std::env::current_exe()?, timeout: Duration::from_secs(60) })
    }
}

/// If this process was started as a worker (`argv[1] == WORKER_ARG`), run the extraction and
/// exit; otherwise return at once. Call it first thing in `main`.
pub fn run_if_worker() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() < 2 || args[1] != WORKER_ARG {
        return;
    }
    if args.len() != 4 {
        eprintln!("usage: {WORKER_ARG} INPUT.pdf OUTPUT.json");
        std::process::exit(2);
    }
    let input = PathBuf::from(&args[2]);
    let output = PathBuf::from(&args[3]);
    limit_memory();
    // pdf-extract panics on some fonts and objects; extraction catches that per page. Keep the
    // default hook's report (with a source path) out of the worker's stderr: the page's error
    // says what happened, and the detail is in the result's log.
    std::panic::set_hook(Box::new(|info| {
        if let Some(at) = info.location() {
            crate::ingest::extract::note_panic_location(format!("{}:{}", at.file(), at.line()));
        }
    }));
    inject_fault(&input);
    // The protocol: the extraction's `Result` as JSON, read back by `extract_in_worker`.
    let result: Result<Extracted, ExtractError> = match std::fs::read(&input) {
        Ok(bytes) => extract_bytes(&bytes),
        Err(e) => Err(ExtractError::Read { detail: e.to_string() }),
    };
    let json = serde_json::to_vec(&result).unwrap_or_default();
    if let Err(e) = std::fs::write(&output, json) {
        eprintln!("cannot write {}: {e}", output.display());
        std::process::exit(3);
    }
    std::process::exit(0);
}

#[cfg(unix)]
fn limit_memory() {
    let lim = libc::rlimit { rlim_cur: WORKER_MEMORY_LIMIT, rlim_max: WORKER_MEMORY_LIMIT };
    // SAFETY: setrlimit only reads the struct we pass; failure leaves the limit unchanged.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

#[cfg(not(unix))]
fn limit_memory() {}

/// Test builds only: release builds never read the variable.
#[cfg(not(debug_assertions))]
fn inject_fault(_input: &Path) {}

#[cfg(debug_assertions)]
fn inject_fault(input: &Path) {
    let Ok(spec) = std::env::var(FAULT_ENV) else { return };
    let Some((needle, kind)) = spec.split_once('=') else { return };
    let name = input.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    if needle.is_empty() || !name.contains(needle) {
        return;
    }
    match kind {
        "hang" => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
        "panic" => panic!("injected fault"),
        "abort" => std::process::abort(),
        "overflow" => {
            #[allow(unconditional_recursion)]
            fn recurse(n: u64) -> u64 {
                let buf = [n; 64];
                recurse(buf[(n % 64) as usize] + 1) + buf[0]
            }
            std::hint::black_box(recurse(0));
        }
        _ => {}
    }
}

/// Extracts `pdf` in a worker process. An error's message is a reason a user can read.
pub fn extract_in_worker(cmd: &WorkerCommand, pdf: &Path) -> Result<Extracted, WorkerError> {
    let out = tempfile::Builder::new()
        .prefix("papertrail-extract-")
        .suffix(".json")
        .tempfile()
        .map_err(WorkerError::TempFile)?;
    // A worker's own settings come last, so they win over what it inherits (the desktop app
    // gives its processes a small mmap threshold to keep its memory down). mimalloc (the CLI's
    // allocator) returns freed memory to the kernel 10 ms after the fact by default, and the
    // next allocation faults it in again, zeroed. A worker lives for one file and never
    // returns memory: since images are no longer inflated (see `extract.rs`) that costs no
    // peak memory (63 MB on the corpus, about 100 MB on the wild set, either way) and saves
    // about a tenth of the import's CPU (BENCHMARKS.md).
    let tunables = match std::env::var("GLIBC_TUNABLES") {
        Ok(inherited) if !inherited.is_empty() => format!("{inherited}:{WORKER_MALLOC_TUNABLES}"),
        _ => WORKER_MALLOC_TUNABLES.to_string(),
    };
    let mut child = Command::new(&cmd.program)
        .env("GLIBC_TUNABLES", tunables)
        .env("MIMALLOC_PURGE_DELAY", std::env::var("MIMALLOC_PURGE_DELAY").unwrap_or_else(|_| "-1".into()))
        .arg(WORKER_ARG)
        .arg(pdf)
        .arg(out.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| WorkerError::Spawn { program: cmd.program.clone(), source })?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(err) = stderr.as_mut() {
            let _ = err.take(64 * 1024).read_to_string(&mut s);
        }
        s
    });
    let deadline = Instant::now() + cmd.timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(WorkerError::TimedOut { limit: cmd.timeout });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(WorkerError::Lost(e)),
        }
    };
    let stderr = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(describe_crash(status, &stderr));
    }
    let bytes = std::fs::read(out.path()).map_err(WorkerError::NoResult)?;
    let result: Result<Extracted, ExtractError> = serde_json::from_slice(&bytes).map_err(WorkerError::BadResult)?;
    Ok(result?)
}

fn describe_crash(status: std::process::ExitStatus, stderr: &str) -> WorkerError {
    let detail = stderr
        .lines()
        .find(|l| l.contains("panicked at") || l.contains("overflow") || l.contains("memory"))
        .map(|l| l.trim().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                libc::SIGSEGV => "segmentation fault or stack overflow",
                libc::SIGABRT => "abort",
                libc::SIGKILL => "killed",
                libc::SIGBUS => "bus error",
                _ => "signal",
            };
            return WorkerError::Crashed { how: format!("{name}, signal {sig}"), detail };
        }
    }
    WorkerError::Crashed { how: format!("exit {}", status.code().unwrap_or(-1)), detail }
}
