//! The zip itself: written deterministically (sorted entries, one fixed modification time,
//! fixed permissions), and read as untrusted input under limits. A bundle holds only the
//! files Papertrail writes; anything else is refused with the reason, before any change:
//! absolute paths or `..`, symlinks, nested archives, deep paths, too many entries, entries
//! larger than their limit or than they declare, zip bombs, encrypted or duplicate entries.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

use crate::error::{Error, Result};

/// Most entries a bundle may have.
pub const MAX_ENTRIES: usize = 1_000;
/// Largest uncompressed size of a JSON, BibTeX, RIS or report file.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;
/// Largest uncompressed size of one PDF.
pub const MAX_PDF_BYTES: u64 = 512 << 20;
/// Largest uncompressed size of the whole bundle.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// Highest compression ratio accepted for an entry over 1 MiB (zip bombs reach 1000:1).
pub const MAX_RATIO: u64 = 200;
/// Deepest path: `pdfs/<sha256>.pdf`.
pub const MAX_DEPTH: usize = 2;

/// The text files of a bundle.
pub const TEXT_FILES: &[&str] = &[
    "annotations.jsonld",
    "claims.jsonld",
    "manifest.json",
    "references.bib",
    "references.json",
    "references.ris",
    "report.html",
    "report.md",
    "ro-crate-metadata.json",
];

fn refuse(path: &Path, message: impl Into<String>) -> Error {
    Error::invalid(format!("bundle {}", path.display()), format!("{}; nothing was read from it", message.into()))
}

/// The sha256 of a `pdfs/<sha256>.pdf` entry name.
pub fn pdf_sha(name: &str) -> Option<&str> {
    let sha = name.strip_prefix("pdfs/")?.strip_suffix(".pdf")?;
    (sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then_some(sha)
}

/// A bundle's files, read and checked.
#[derive(Debug, Clone, Default)]
pub struct BundleArchive {
    /// File name → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl BundleArchive {
    /// A file's bytes, if present.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }

    /// A file's bytes, or an error naming the missing file.
    pub fn require(&self, name: &str) -> Result<&[u8]> {
        self.get(name).ok_or_else(|| super::bad(name, "is missing from the bundle"))
    }

    /// The PDF of a version, if the bundle holds it.
    pub fn pdf(&self, sha256: &str) -> Option<&[u8]> {
        self.get(&format!("pdfs/{sha256}.pdf"))
    }

    /// Reads a bundle, refusing anything hostile or unexpected (see the module docs).
    pub fn read(path: &Path) -> Result<BundleArchive> {
        let file = std::fs::File::open(path).map_err(|e| Error::io("opening", path, e))?;
        let size = file.metadata().map_err(|e| Error::io("reading", path, e))?.len();
        if size > MAX_TOTAL_BYTES {
            return Err(refuse(
                path,
                format!("the file is {size} bytes, more than a bundle may hold ({MAX_TOTAL_BYTES})"),
            ));
        }
        let mut zip = ZipArchive::new(file).map_err(|e| refuse(path, format!("not a readable zip archive ({e})")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(refuse(
                path,
                format!("it has {} entries, more than the {MAX_ENTRIES} a bundle may hold", zip.len()),
            ));
        }
        let mut out = BundleArchive::default();
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(|e| refuse(path, format!("entry {} is damaged ({e})", i + 1)))?;
            let raw = entry.name_raw().to_vec();
            let name = String::from_utf8(raw)
                .map_err(|_| refuse(path, format!("entry {} has a name that is not UTF-8", i + 1)))?;
            check_name(&name).map_err(|m| refuse(path, format!("entry `{name}` {m}")))?;
            if entry.is_symlink() {
                return Err(refuse(path, format!("entry `{name}` is a symbolic link")));
            }
            if entry.encrypted() {
                return Err(refuse(path, format!("entry `{name}` is encrypted")));
            }
            if entry.is_dir() {
                if name == "pdfs/" {
                    continue;
                }
                return Err(refuse(path, format!("entry `{name}` is a folder a bundle does not have")));
            }
            let limit = if pdf_sha(&name).is_some() {
                MAX_PDF_BYTES
            } else if TEXT_FILES.contains(&name.as_str()) {
                MAX_TEXT_BYTES
            } else {
                return Err(refuse(path, format!("entry `{name}` is not a file a bundle holds")));
            };
            let declared = entry.size();
            if declared > limit {
                return Err(refuse(
                    path,
                    format!("entry `{name}` is {declared} bytes uncompressed, over its limit of {limit}"),
                ));
            }
            let compressed = entry.compressed_size().max(1);
            if declared > 1 << 20 && declared / compressed > MAX_RATIO {
                return Err(refuse(
                    path,
                    format!(
                        "entry `{name}` expands {}:1 (over {MAX_RATIO}:1), which looks like a zip bomb",
                        declared / compressed
                    ),
                ));
            }
            total += declared;
            if total > MAX_TOTAL_BYTES {
                return Err(refuse(
                    path,
                    format!("its entries add up to more than {MAX_TOTAL_BYTES} bytes uncompressed"),
                ));
            }
            let mut bytes = Vec::with_capacity(declared.min(limit) as usize);
            let read = (&mut entry)
                .take(declared + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| refuse(path, format!("entry `{name}` cannot be read ({e})")))?;
            if read as u64 != declared {
                return Err(refuse(
                    path,
                    format!(
                        "entry `{name}` declares {declared} bytes but holds {}",
                        if read as u64 > declared { "more" } else { "fewer" }
                    ),
                ));
            }
            if bytes.starts_with(b"PK\x03\x04") {
                return Err(refuse(
                    path,
                    format!("entry `{name}` is itself a zip archive; nested archives are refused"),
                ));
            }
            if out.files.insert(name.clone(), bytes).is_some() {
                return Err(refuse(path, format!("entry `{name}` appears twice")));
            }
        }
        Ok(out)
    }
}

/// What is wrong with an entry's name; the message completes "entry `NAME` ...".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum BadName {
    #[error("has an empty name or a NUL character")]
    Empty,
    #[error("has an absolute path")]
    Absolute,
    #[error("has a backslash in its path")]
    Backslash,
    #[error("climbs out of the bundle with `..`")]
    ClimbsOut,
    #[error("has an empty or `.` path component")]
    EmptyComponent,
    #[error("is nested {depth} folders deep (a bundle has at most {})", MAX_DEPTH - 1)]
    TooDeep { depth: usize },
    #[error("is a nested archive")]
    Archive,
}

/// Checks an entry name: relative, no `..`, no backslashes or drive letters, not too deep,
/// not an archive.
fn check_name(name: &str) -> std::result::Result<(), BadName> {
    if name.is_empty() || name.contains('\0') {
        return Err(BadName::Empty);
    }
    if name.starts_with('/') || name.starts_with('\\') || name.as_bytes().get(1) == Some(&b':') {
        return Err(BadName::Absolute);
    }
    if name.contains('\\') {
        return Err(BadName::Backslash);
    }
    let parts: Vec<&str> = name.trim_end_matches('/').split('/').collect();
    if parts.contains(&"..") {
        return Err(BadName::ClimbsOut);
    }
    if parts.iter().any(|p| p.is_empty() || *p == ".") {
        return Err(BadName::EmptyComponent);
    }
    if parts.len() > MAX_DEPTH {
        return Err(BadName::TooDeep { depth: parts.len() - 1 });
    }
    let lower = name.to_ascii_lowercase();
    if [".zip", ".jar", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst"].iter().any(|x| lower.ends_with(x))
    {
        return Err(BadName::Archive);
    }
    Ok(())
}

/// The zip timestamp of an RFC 3339 time (UTC), or 1980-01-01 when out of zip's range.
pub fn zip_time(rfc3339: &str) -> DateTime {
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339) else {
        return DateTime::DEFAULT;
    };
    let t = t.to_offset(time::UtcOffset::UTC);
    DateTime::from_date_and_time(
        t.year().clamp(0, u16::MAX as i32) as u16,
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .unwrap_or(DateTime::DEFAULT)
}

/// Writes `entries` (name, bytes) as a zip at `path` through a temporary file and a rename.
/// Entries are written in name order, all with the modification time `mtime` and mode 0644;
/// PDFs are stored, everything else deflated. Returns the zip's size.
pub fn write(path: &Path, entries: &[(String, Vec<u8>)], mtime: DateTime) -> Result<u64> {
    write_with(path, entries, mtime, &mut |_| Ok(()))
}

/// [`write()`], calling `before_entry` with each entry's name before it is written: an error
/// from it (a cancel) stops the write, and the temporary file is removed, so `path` is
/// either the whole zip or untouched.
pub fn write_with(
    path: &Path,
    entries: &[(String, Vec<u8>)],
    mtime: DateTime,
    before_entry: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<u64> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("creating a temporary file in", dir, e))?;
    let mut sorted: Vec<&(String, Vec<u8>)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let zip_err = |e: zip::result::ZipError| Error::io("writing", path, std::io::Error::other(e));
    let mut w = ZipWriter::new(tmp.reopen().map_err(|e| Error::io("opening", tmp.path().to_path_buf(), e))?);
    for (name, bytes) in sorted {
        let method = if name.ends_with(".pdf") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(if method == CompressionMethod::Deflated { Some(6) } else { None })
            .last_modified_time(mtime)
            .unix_permissions(0o644)
            .system(System::Unix)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        before_entry(name)?;
        w.start_file(name.as_str(), opts).map_err(zip_err)?;
        w.write_all(bytes).map_err(|e| Error::io("writing", path, e))?;
    }
    let file = w.finish().map_err(zip_err)?;
    file.sync_all().map_err(|e| Error::io("syncing", path, e))?;
    drop(file);
    tmp.persist(path).map_err(|e| Error::io("renaming into", path, e.error))?;
    Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused_with_their_reason() {
        assert_eq!(check_name("/etc/passwd"), Err(BadName::Absolute));
        assert_eq!(check_name("C:/x"), Err(BadName::Absolute));
        assert_eq!(check_name("pdfs/../../x"), Err(BadName::ClimbsOut));
        assert_eq!(check_name("a\\b"), Err(BadName::Backslash));
        assert_eq!(check_name("a/b/c/d"), Err(BadName::TooDeep { depth: 3 }));
        assert_eq!(check_name("a/b/c/d").unwrap_err().to_string(), "is nested 3 folders deep (a bundle has at most 1)");
        assert_eq!(check_name("pdfs/inner.zip"), Err(BadName::Archive));
        assert!(check_name("manifest.json").is_ok());
        assert!(pdf_sha(&format!("pdfs/{}.pdf", "a".repeat(64))).is_some());
        assert!(pdf_sha("pdfs/x.pdf").is_none());
    }

    #[test]
    fn zip_times_come_from_rfc3339() {
        assert_eq!(zip_time("2025-01-27T10:11:12Z"), DateTime::from_date_and_time(2025, 1, 27, 10, 11, 12).unwrap());
        assert_eq!(zip_time("nonsense"), DateTime::DEFAULT);
    }
}
