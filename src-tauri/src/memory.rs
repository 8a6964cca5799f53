//! Process settings that keep the app's memory small on Linux. Both must be in place before
//! the webview starts (WebKit's processes read them when they start) and before any other
//! thread exists (they change the process environment). Measured in BENCHMARKS-app.md.

/// Applies both settings; elsewhere than Linux there is nothing to do.
pub fn configure() {
    #[cfg(target_os = "linux")]
    paint_on_cpu();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    return_freed_memory();
}

/// WebKitGTK draws with accelerated compositing by default: the page lives in GPU layers,
/// and where the GPU is Mesa's software renderer (virtual machines, remote desktops, CI) in
/// ordinary memory, about 70 MB of the web process for a window that shows one table or one
/// PDF page. Painting on the CPU is quick enough for pages that barely move. The variable, not
/// the `hardware-acceleration-policy` setting: the setting can only be changed once the
/// webview exists, after the web process has set compositing up (5 MB more, measured).
/// `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment keeps compositing on.
#[cfg(target_os = "linux")]
fn paint_on_cpu() {
    const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(DISABLE_COMPOSITING).is_none() {
        std::env::set_var(DISABLE_COMPOSITING, "1");
    }
}

/// Allocations from this size up get their own pages, which go back to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 256 * 1024;

/// glibc raises its mmap threshold to the size of the largest block freed (up to 32 MB), so
/// after the first page canvas or PDF buffer is freed, the next ones come from the heap and
/// stay there after they are freed: 10 to 20 MB kept across the app and the web process after
/// the reader was used. A fixed threshold stops that. For this process `mallopt`; for WebKit's
/// processes, started later, the `GLIBC_TUNABLES` they inherit. A threshold the user already
/// gives in `GLIBC_TUNABLES` is left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory() {
    const TUNABLES: &str = "GLIBC_TUNABLES";
    const NAME: &str = "glibc.malloc.mmap_threshold";
    let inherited = std::env::var(TUNABLES).unwrap_or_default();
    if inherited.contains(NAME) {
        return;
    }
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: mallopt only sets an allocator parameter; no other thread exists yet.
    unsafe { mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) };
    let ours = format!("{NAME}={MMAP_THRESHOLD}");
    let value = if inherited.is_empty() { ours } else { format!("{inherited}:{ours}") };
    std::env::set_var(TUNABLES, value);
}
