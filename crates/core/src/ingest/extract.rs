//! Text extraction from PDF bytes with pdf-extract, page by page, plus the cheap checks that
//! name what is wrong with a file before any parser sees it.
//!
//! Extraction itself runs in a worker process (see [`crate::ingest::worker`]); the functions here are
//! what that worker calls.

use pdf_extract::{Document, Object};

use crate::ingest::fonts::prepare_fonts;
use crate::ingest::layout::{PageLayout, Recorder};
use crate::ingest::repair;
use serde::{Deserialize, Serialize};

/// Name of the text extractor, recorded with every version and annotation anchor.
pub const EXTRACTOR_NAME: &str = "pdf-extract";
/// Version of the text extractor plus this crate's normalization revision.
pub const EXTRACTOR_VERSION: &str = "0.12.1+n1";

/// Raw text of every page and the PDF's info dictionary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    /// Raw text per page, in page order (page 1 first). A page that failed is empty.
    pub pages: Vec<String>,
    /// Pages whose text could not be extracted, with the reason (1-based page numbers).
    pub page_errors: Vec<(u32, String)>,
    /// Metadata from the info dictionary.
    pub info: PdfInfo,
    /// The layout of the first pages (where titles and authors are read from).
    #[serde(default)]
    pub layout: Vec<PageLayout>,
    /// What was repaired before the file could be read (a rebuilt cross-reference table).
    #[serde(default)]
    pub repairs: Vec<String>,
    /// Technical detail of what failed (extractor messages), for the library's log, never
    /// shown as a reason.
    #[serde(default)]
    pub log: Vec<String>,
}

/// Fields of a PDF's info dictionary that Papertrail uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfInfo {
    /// `/Title`.
    pub title: Option<String>,
    /// `/Author`.
    pub author: Option<String>,
    /// `/Subject`.
    pub subject: Option<String>,
    /// `/CreationDate` as written (`D:20241226...`).
    pub creation_date: Option<String>,
}

/// What [`precheck`] finds wrong with a file's bytes. Each says what the file is and what to
/// do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PrecheckError {
    /// No bytes at all.
    #[error("empty file (0 bytes): nothing to import")]
    Empty,
    /// A PNG or JPEG image saved with a `.pdf` name.
    #[error("not a PDF: this is a {format} image with a .pdf name")]
    Image {
        /// `PNG` or `JPEG`.
        format: String,
    },
    /// No `%PDF-` header in the first KiB.
    #[error("not a PDF: the file holds {holds}, with no %PDF- header")]
    NoHeader {
        /// `plain text` or `unknown binary data`.
        holds: String,
    },
    /// Binary bytes replaced by U+FFFD: the file was saved or uploaded as text.
    #[error(
        "damaged PDF: {replaced} binary bytes were replaced by U+FFFD (the file was saved or \
         uploaded as text); download the original PDF again"
    )]
    SavedAsText {
        /// How many U+FFFD characters the file holds.
        replaced: usize,
    },
    /// No `%%EOF` near the end.
    #[error(
        "truncated PDF: no %%EOF end marker in the last 2 KiB of {len} bytes (incomplete download?); \
         download it again"
    )]
    Truncated {
        /// The file's size in bytes.
        len: usize,
    },
}

/// Why a file yielded no pages at all (a page that fails costs only that page: see
/// [`Extracted::page_errors`]). Crosses the worker's process boundary as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ExtractError {
    /// The cheap checks failed before any parser saw the bytes.
    #[error(transparent)]
    Precheck(#[from] PrecheckError),
    /// The file could not be read.
    #[error("cannot read file: {detail}")]
    Read {
        /// The operating system's message.
        detail: String,
    },
    /// The structure cannot be read and no objects were found to rebuild it from.
    #[error("damaged PDF: its structure cannot be read ({detail}), and no objects were found to rebuild it from")]
    Unreadable {
        /// The parser's message.
        detail: String,
    },
    /// The structure cannot be read and rebuilding it failed too.
    #[error("damaged PDF: its structure cannot be read ({detail}), and rebuilding it failed too ({rebuilt})")]
    Unrepairable {
        /// The parser's message on the file as it is.
        detail: String,
        /// The parser's message on the rebuilt file.
        rebuilt: String,
    },
    /// Encrypted with a password other than the empty one.
    #[error("encrypted PDF: it needs a password; save an unencrypted copy and import that")]
    Encrypted,
    /// The page tree is empty.
    #[error("damaged PDF: it has no pages")]
    NoPages,
}

/// Checks the bytes before parsing and names what is wrong: empty, not a PDF, an image with a
/// `.pdf` name, a file saved as text (bytes replaced by U+FFFD), or a truncated file.
pub fn precheck(bytes: &[u8]) -> Result<(), PrecheckError> {
    if bytes.is_empty() {
        return Err(PrecheckError::Empty);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(PrecheckError::Image { format: "PNG".into() });
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Err(PrecheckError::Image { format: "JPEG".into() });
    }
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_none() {
        let printable = head.iter().filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()).count();
        let holds = if printable == head.len() { "plain text" } else { "unknown binary data" };
        return Err(PrecheckError::NoHeader { holds: holds.into() });
    }
    let replaced = count(bytes, "\u{FFFD}".as_bytes());
    if replaced > 64 && replaced * 200 > bytes.len() {
        return Err(PrecheckError::SavedAsText { replaced });
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if find(tail, b"%%EOF").is_none() {
        return Err(PrecheckError::Truncated { len: bytes.len() });
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            n += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    n
}

/// Parses the PDF and extracts the raw text of every page. Runs in the worker process.
pub fn extract_bytes(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_with(bytes, true)
}

/// [`extract_bytes`] without the font preparation: what pdf-extract gives alone. For the
/// fuzz target that checks the preparation changes no text.
#[doc(hidden)]
pub fn extract_bytes_unprepared(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_with(bytes, false)
}

/// How many first pages have their layout recorded.
const LAYOUT_PAGES: u32 = 2;

/// [`extract_bytes`], with or without [`prepare_fonts`] (the tests compare the two).
///
/// A file whose structure cannot be read is repaired when it can be (its objects are still
/// there but the cross-reference table or trailer is broken); a page on which pdf-extract
/// fails or panics costs that page, never the file. A file with no text on any page (a scan)
/// comes back with empty pages: it is kept, and OCR may read it later.
fn extract_with(bytes: &[u8], prepare: bool) -> Result<Extracted, ExtractError> {
    precheck(bytes)?;
    let mut repairs = Vec::new();
    let mut doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(first) => {
            let fixed =
                repair::rebuild_xref(bytes).ok_or_else(|| ExtractError::Unreadable { detail: first.to_string() })?;
            let doc = Document::load_mem(&fixed)
                .map_err(|e| ExtractError::Unrepairable { detail: first.to_string(), rebuilt: e.to_string() })?;
            repairs.push(format!("rebuilt the cross-reference table ({first})"));
            doc
        }
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    let info = read_info(&doc);
    repairs.extend(repair::repair_fonts(&mut doc));
    crate::ingest::fonts::differences_over_cff(&mut doc);
    if prepare {
        prepare_fonts(&mut doc);
        empty_images(&mut doc);
    }
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err(ExtractError::NoPages);
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut page_errors = Vec::new();
    let mut layout = Vec::new();
    let mut log = Vec::new();
    let page_ids: Vec<(u32, pdf_extract::ObjectId)> = page_ids.into_iter().collect();
    let page_ids: std::collections::BTreeMap<u32, pdf_extract::ObjectId> = page_ids.into_iter().collect();
    for (&num, &page_id) in &page_ids {
        let record = num <= LAYOUT_PAGES;
        repair::expand_quote_operators(&mut doc, page_id);
        let outcome = match extract_page(&doc, num, record) {
            Ok(v) => Ok(v),
            Err(first) => salvage_page(&mut doc, num, page_id, record, &mut log).ok_or(first),
        };
        match outcome {
            Ok((text, page_layout)) => {
                pages.push(text);
                if record {
                    layout.push(page_layout);
                }
            }
            Err((reason, detail)) => {
                page_errors.push((num, reason.to_string()));
                log.push(format!("page {num}: {detail}"));
                pages.push(String::new());
                if record {
                    layout.push(PageLayout::default());
                }
            }
        }
    }
    Ok(Extracted { pages, page_errors, info, layout, repairs, log })
}

/// Empties the data of every image in the in-memory copy of the document.
///
/// pdf-extract runs every XObject a page draws (`Do`) as a content stream, images too: it
/// inflates each image on every page that shows it (megabytes for a figure; a third of the
/// extraction of a paper with figures) and parses the pixels as operators, which yields no
/// text. An image keeps its dictionary, so a page that draws it still finds it. The stored
/// file is untouched (the reader and OCR render from it).
fn empty_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") {
                stream.set_plain_content(Vec::new());
            }
        }
    }
}

/// A page's text and (when `record`) its layout, or why it failed: a sentence for the user
/// and the extractor's own message for the log.
fn extract_page(doc: &Document, num: u32, record: bool) -> Result<(String, PageLayout), (&'static str, String)> {
    let mut text = String::new();
    let mut page_layout = PageLayout::default();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Recorder::new(&mut text, record.then_some(&mut page_layout));
        pdf_extract::output_doc_page(doc, &mut out, num)
    }));
    match result {
        Ok(Ok(())) => Ok((text, page_layout)),
        Ok(Err(e)) => Err(("the text of this page cannot be read", e.to_string())),
        Err(panic) => Err(("the text extractor failed on this page", panic_reason(&panic))),
    }
}

/// A page pdf-extract failed on, tried again with its fonts fixed one by one, least change
/// first ([`repair::FontFix`]): a fix that lets the page through, or changes how it fails
/// (that font was a culprit; another one fails now), is kept; one that does nothing is put
/// back. So a broken font costs its own glyphs, not the page.
fn salvage_page(
    doc: &mut Document,
    num: u32,
    page_id: pdf_extract::ObjectId,
    record: bool,
    log: &mut Vec<String>,
) -> Option<(String, PageLayout)> {
    let fonts = repair::page_fonts(doc, page_id);
    let dropped = repair::sanitize_content(doc, page_id);
    if dropped > 0 {
        log.push(format!("page {num}: dropped {dropped} malformed content operation(s)"));
    }
    let mut last = extract_page(doc, num, record).err()?.1;
    for fix in repair::FontFix::ALL {
        for &font in &fonts {
            let Some(before) = repair::fix_font(doc, font, fix) else { continue };
            match extract_page(doc, num, record) {
                Ok(v) => {
                    log.push(format!("page {num}: {} ({} {}) after: {last}", fix.describe(), font.0, font.1));
                    return Some(v);
                }
                Err((_, detail)) if detail != last => {
                    log.push(format!("page {num}: {} ({} {}) after: {last}", fix.describe(), font.0, font.1));
                    last = detail;
                }
                Err(_) => {
                    doc.objects.insert(font, Object::Dictionary(before));
                }
            }
        }
    }
    None
}

thread_local! {
    static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Records where the last panic happened (the worker's panic hook calls it), for the log.
#[doc(hidden)]
pub fn note_panic_location(at: String) {
    PANIC_AT.with(|p| *p.borrow_mut() = Some(at));
}

/// What a panic payload says, with where it happened when known: for the log only.
fn panic_reason(panic: &Box<dyn std::any::Any + Send>) -> String {
    let at = PANIC_AT.with(|p| p.borrow_mut().take()).map(|a| format!(" at {a}")).unwrap_or_default();
    format!("{}{at}", panic_message(panic))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".into());
    let first = msg.lines().next().unwrap_or("").trim();
    let short: String = first.chars().take(120).collect();
    if short.is_empty() {
        "an internal error".into()
    } else {
        short
    }
}

fn read_info(doc: &Document) -> PdfInfo {
    let Ok(info_ref) = doc.trailer.get(b"Info") else { return PdfInfo::default() };
    let dict = match info_ref {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    };
    let Some(dict) = dict else { return PdfInfo::default() };
    let get = |key: &[u8]| -> Option<String> {
        let obj = dict.get(key).ok()?;
        let obj = match obj {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            o => o,
        };
        let bytes = obj.as_str().ok()?;
        let s = decode_pdf_string(bytes);
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    PdfInfo {
        title: get(b"Title"),
        author: get(b"Author"),
        subject: get(b"Subject"),
        creation_date: get(b"CreationDate"),
    }
}

/// Decodes a PDF text string: UTF-16BE with BOM, else PDFDocEncoding (treated as Latin-1).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_string()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precheck_names_each_problem() {
        assert_eq!(precheck(b""), Err(PrecheckError::Empty));
        assert_eq!(precheck(b"hello, world\n"), Err(PrecheckError::NoHeader { holds: "plain text".into() }));
        assert_eq!(precheck(b"\x89PNG\r\n\x1a\nxxxx"), Err(PrecheckError::Image { format: "PNG".into() }));
        assert_eq!(precheck(b"%PDF-1.5\n1 0 obj"), Err(PrecheckError::Truncated { len: 16 }));
        let mut mangled = b"%PDF-1.5\n".to_vec();
        for _ in 0..1000 {
            mangled.extend_from_slice("\u{FFFD}".as_bytes());
        }
        mangled.extend_from_slice(b"%%EOF");
        assert_eq!(precheck(&mangled), Err(PrecheckError::SavedAsText { replaced: 1000 }));
        assert!(precheck(b"%PDF-1.5\ntrailer\n%%EOF\n").is_ok());
    }

    #[test]
    fn precheck_sentences_name_the_file_and_what_to_do() {
        let said = |bytes: &[u8]| precheck(bytes).unwrap_err().to_string();
        assert_eq!(said(b""), "empty file (0 bytes): nothing to import");
        assert_eq!(said(b"\xFF\xD8\xFFxx"), "not a PDF: this is a JPEG image with a .pdf name");
        assert_eq!(said(b"\x00\x01"), "not a PDF: the file holds unknown binary data, with no %PDF- header");
        assert_eq!(
            said(b"%PDF-1.5\n1 0 obj"),
            "truncated PDF: no %%EOF end marker in the last 2 KiB of 16 bytes (incomplete download?); download it again"
        );
    }

    #[test]
    fn an_extraction_error_crosses_the_worker_boundary_intact() {
        let e = extract_bytes(b"%PDF-1.5\n1 0 obj").unwrap_err();
        let wire: Result<Extracted, ExtractError> = Err(e.clone());
        let back: Result<Extracted, ExtractError> =
            serde_json::from_slice(&serde_json::to_vec(&wire).unwrap()).unwrap();
        assert_eq!(back, Err(e));
    }

    /// The real corpus's PDFs (`PAPERTRAIL_CORPUS`, else `../shared/corpus` beside the
    /// repository), or `None` with a loud message when it is absent, as the CLI tests do.
    fn corpus_pdfs() -> Option<Vec<std::path::PathBuf>> {
        let dir = std::env::var_os("PAPERTRAIL_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
        if !dir.join("MANIFEST.tsv").exists() {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "the test corpus is missing at {} (CI=true: failing instead of skipping)",
                dir.display()
            );
            eprintln!("\n*** SKIPPED: the test corpus is missing at {} ***\n", dir.display());
            return None;
        }
        let mut out = Vec::new();
        for sub in ["pdf", "versions"] {
            for e in std::fs::read_dir(dir.join(sub)).unwrap_or_else(|e| panic!("the corpus at {}: {e}", dir.display()))
            {
                out.push(e.unwrap().path());
            }
        }
        out.sort();
        Some(out)
    }

    /// The wild set's PDFs (`wild/` beside the corpus's `pdf/`, where `corpus_pdf` lies).
    fn wild_pdfs(corpus_pdf: &std::path::Path) -> Vec<std::path::PathBuf> {
        let wild = corpus_pdf.parent().and_then(|d| d.parent()).expect("a corpus file's folder").join("wild");
        let mut out: Vec<_> = std::fs::read_dir(&wild)
            .unwrap_or_else(|e| panic!("the wild set at {}: {e}", wild.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
            .collect();
        out.sort();
        assert!(out.len() >= 50, "{} PDFs in {}", out.len(), wild.display());
        out
    }

    #[test]
    fn prepared_documents_give_the_text_pdf_extract_gives_alone() {
        use crate::ingest::normalize::normalize_pages;
        let mut work = crate::ingest::fonts::FontWork::default();
        let Some(mut pdfs) = corpus_pdfs() else { return };
        assert!(pdfs.len() >= 7, "{pdfs:?}");
        pdfs.extend(wild_pdfs(&pdfs[0]));
        let (mut pages, mut gained) = (0, Vec::new());
        for pdf in pdfs {
            let bytes = std::fs::read(&pdf).unwrap();
            let (Ok(plain), Ok(prepared)) = (extract_with(&bytes, false), extract_with(&bytes, true)) else {
                panic!("{}: extraction failed one way or both", pdf.display());
            };
            assert_eq!(plain.pages.len(), prepared.pages.len(), "{}", pdf.display());
            let failed = |e: &Extracted, n: u32| e.page_errors.iter().any(|(p, _)| *p == n);
            // Stored text is normalized (NFKC first): that is what must not change, except that
            // a page pdf-extract failed on because it ran an image's pixels as operators is
            // now read.
            let (plain_text, prepared_text) = (normalize_pages(&plain.pages), normalize_pages(&prepared.pages));
            for (i, (a, b)) in plain_text.iter().zip(&prepared_text).enumerate() {
                let n = i as u32 + 1;
                if failed(&plain, n) && !failed(&prepared, n) {
                    assert!(a.is_empty() && !b.trim().is_empty(), "{} page {n}", pdf.display());
                    gained.push(format!("{} p.{n}", pdf.file_name().unwrap().to_string_lossy()));
                    continue;
                }
                assert_eq!(a, b, "{} page {n}", pdf.display());
                pages += 1;
            }
            for (n, reason) in &prepared.page_errors {
                assert!(failed(&plain, *n), "{} page {n}: only the prepared document failed: {reason}", pdf.display());
            }
            // (A file whose cross-reference table needs repair is left out of the count.)
            if let Ok(mut doc) = Document::load_mem(&bytes) {
                work.add(prepare_fonts(&mut doc));
            }
        }
        eprintln!("{pages} pages alike; font work: {work:?}; pages read only once images are emptied: {gained:?}");
        // Every kind of preparation was exercised.
        assert!(
            work.cmaps > 0 && work.builtin > 0 && work.renamed > 0 && work.dropped > 0 && work.programs > 0,
            "{work:?}"
        );
        assert!(pages > 1000, "{pages} pages compared");
    }

    #[test]
    fn type1_encodings_are_read_as_pdf_extract_reads_them_in_every_real_font() {
        let Some(mut pdfs) = corpus_pdfs() else { return };
        pdfs.extend(wild_pdfs(&pdfs[0]));
        let (mut fonts, mut custom) = (0, 0);
        for pdf in pdfs {
            let Ok(doc) = Document::load_mem(&std::fs::read(&pdf).unwrap()) else { continue };
            for object in doc.objects.values() {
                let Object::Dictionary(d) = object else { continue };
                let Ok(Object::Reference(file)) = d.get(b"FontFile") else { continue };
                let Ok(Object::Stream(program)) = doc.get_object(*file) else { continue };
                let Some(head) = crate::ingest::fonts::type1_clear_text(program) else { continue };
                let library =
                    std::panic::catch_unwind(|| type1_encoding_parser::get_encoding_map(&head).ok()).ok().flatten();
                let ours = crate::ingest::type1::builtin_encoding(&head);
                assert_eq!(ours, library, "{} font program {file:?}", pdf.display());
                fonts += 1;
                custom += usize::from(ours.is_some_and(|m| !m.is_empty()));
            }
        }
        eprintln!("{fonts} Type1 font programs, {custom} with an encoding of their own");
        assert!(fonts > 100 && custom > 10, "{fonts} fonts, {custom} custom: not a test");
    }

    #[test]
    fn utf16_info_strings_decode() {
        assert_eq!(decode_pdf_string(&[0xFE, 0xFF, 0, b'H', 0, b'i']), "Hi");
        assert_eq!(decode_pdf_string(b"plain"), "plain");
    }
}
