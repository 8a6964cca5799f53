//! Terminal output helpers: highlighting and JSON printing.

use std::io::IsTerminal;

/// Whether stdout is a terminal (colour and progress bars) or a pipe (plain text).
pub fn stdout_is_tty() -> bool {
    std::io::stdout().is_terminal()
}

/// Marks `[start, end)` character ranges of `text`: bold on a terminal, «…» in a pipe.
pub fn highlight(text: &str, ranges: &[[usize; 2]]) -> String {
    let (open, close) = if stdout_is_tty() { ("\x1b[1;33m", "\x1b[0m") } else { ("«", "»") };
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut idx = 0;
    let mut ranges = ranges.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if ranges.peek().is_some_and(|r| r[0] == i) {
            out.push_str(open);
        }
        out.push(c);
        idx = i + 1;
        if ranges.peek().is_some_and(|r| r[1] == idx) {
            out.push_str(close);
            ranges.next();
        }
    }
    let _ = idx;
    out
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
