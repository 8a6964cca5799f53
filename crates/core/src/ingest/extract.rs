//! Text extraction from PDF bytes with pdf-extract, page by page, plus the cheap checks that
//! name what is wrong with a file before any parser sees it.
//!
//! Extraction itself runs in a worker process (see [`crate::ingest::worker`]); the functions here are
//! what that worker calls.

use pdf_extract::{Document, Object, PlainTextOutput};

use crate::ingest::fonts::prepare_fonts;
use serde::{Deserialize, Serialize};

/// Name of the text extractor, recorded with every version and annotation anchor.
pub const EXTRACTOR_NAME: &str = "pdf-extract";
/// Version of the text extractor plus this crate's normalization revision.
pub const EXTRACTOR_VERSION: &str = "0.12.1+n1";

/// Raw text of every page and the PDF's info dictionary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extracted {
    /// Raw text per page, in page order (page 1 first).
    pub pages: Vec<String>,
    /// Pages whose text could not be extracted, with the reason (1-based page numbers).
    pub page_errors: Vec<(u32, String)>,
    /// Metadata from the info dictionary.
    pub info: PdfInfo,
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

/// Checks the bytes before parsing and names what is wrong: empty, not a PDF, an image with a
/// `.pdf` name, a file saved as text (bytes replaced by U+FFFD), or a truncated file.
pub fn precheck(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("empty file (0 bytes): nothing to import".into());
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err("not a PDF: this is a PNG image with a .pdf name".into());
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Err("not a PDF: this is a JPEG image with a .pdf name".into());
    }
    let head = &bytes[..bytes.len().min(1024)];
    let Some(pos) = find(head, b"%PDF-") else {
        let printable = head.iter().filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()).count();
        let what = if printable == head.len() { "plain text" } else { "unknown binary data" };
        return Err(format!("not a PDF: the file holds {what}, with no %PDF- header"));
    };
    let _ = pos;
    let replacement = count(bytes, "\u{FFFD}".as_bytes());
    if replacement > 64 && replacement * 200 > bytes.len() {
        return Err(format!(
            "damaged PDF: {replacement} binary bytes were replaced by U+FFFD (the file was saved or \
             uploaded as text); download the original PDF again"
        ));
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if find(tail, b"%%EOF").is_none() {
        return Err(format!(
            "truncated PDF: no %%EOF end marker in the last 2 KiB of {} bytes (incomplete download?); \
             download it again",
            bytes.len()
        ));
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
pub fn extract_bytes(bytes: &[u8]) -> Result<Extracted, String> {
    extract_with(bytes, true)
}

/// [`extract_bytes`] without the font preparation: what pdf-extract gives alone. For the
/// fuzz target that checks the preparation changes no text.
#[doc(hidden)]
pub fn extract_bytes_unprepared(bytes: &[u8]) -> Result<Extracted, String> {
    extract_with(bytes, false)
}

/// [`extract_bytes`], with or without [`prepare_fonts`] (the tests compare the two).
fn extract_with(bytes: &[u8], prepare: bool) -> Result<Extracted, String> {
    precheck(bytes)?;
    let mut doc = Document::load_mem(bytes).map_err(|e| format!("damaged PDF: cannot read its structure ({e})"))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err("encrypted PDF: it needs a password; save an unencrypted copy and import that".into());
    }
    let info = read_info(&doc);
    if prepare {
        prepare_fonts(&mut doc);
    }
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err("damaged PDF: it has no pages".into());
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut page_errors = Vec::new();
    for &num in page_ids.keys() {
        let mut text = String::new();
        let result = {
            let mut out = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut out, num)
        };
        if let Err(e) = result {
            page_errors.push((num, e.to_string()));
            text.clear();
        }
        pages.push(text);
    }
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(format!(
            "no extractable text on any of its {} pages (a scanned PDF?); run OCR on it first",
            pages.len()
        ));
    }
    Ok(Extracted { pages, page_errors, info })
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
        assert!(precheck(b"").unwrap_err().contains("empty"));
        assert!(precheck(b"hello, world\n").unwrap_err().contains("not a PDF"));
        assert!(precheck(b"\x89PNG\r\n\x1a\nxxxx").unwrap_err().contains("PNG"));
        assert!(precheck(b"%PDF-1.5\n1 0 obj").unwrap_err().contains("truncated"));
        let mut mangled = b"%PDF-1.5\n".to_vec();
        for _ in 0..1000 {
            mangled.extend_from_slice("\u{FFFD}".as_bytes());
        }
        mangled.extend_from_slice(b"%%EOF");
        assert!(precheck(&mangled).unwrap_err().contains("U+FFFD"));
        assert!(precheck(b"%PDF-1.5\ntrailer\n%%EOF\n").is_ok());
    }

    /// The real corpus's PDFs (`PAPERTRAIL_CORPUS`, else `../shared/corpus` beside the
    /// repository), or `None` with a loud message when it is absent, as the CLI tests do.
    fn corpus_pdfs() -> Option<Vec<std::path::PathBuf>> {
        let dir = std::env::var_os("PAPERTRAIL_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
        if !dir.join("MANIFEST.tsv").exists() {
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

    #[test]
    fn prepared_fonts_give_the_text_pdf_extract_gives_alone() {
        use crate::ingest::normalize::normalize_pages;
        let mut work = crate::ingest::fonts::FontWork::default();
        let Some(pdfs) = corpus_pdfs() else { return };
        assert!(pdfs.len() >= 7, "{pdfs:?}");
        for pdf in pdfs {
            let bytes = std::fs::read(&pdf).unwrap();
            let plain = extract_with(&bytes, false).unwrap();
            let prepared = extract_with(&bytes, true).unwrap();
            assert_eq!(plain.pages.len(), prepared.pages.len(), "{}", pdf.display());
            // Stored text is normalized (NFKC first): that is what must not change.
            let (plain_text, prepared_text) = (normalize_pages(&plain.pages), normalize_pages(&prepared.pages));
            for (i, (a, b)) in plain_text.iter().zip(&prepared_text).enumerate() {
                assert_eq!(a, b, "{} page {}", pdf.display(), i + 1);
            }
            assert_eq!(plain.page_errors, prepared.page_errors);
            let mut doc = Document::load_mem(&bytes).unwrap();
            let w = prepare_fonts(&mut doc);
            work.add(w);
        }
        eprintln!("font work over the corpus: {work:?}");
        // Every kind of preparation was exercised.
        assert!(
            work.cmaps > 0 && work.builtin > 0 && work.renamed > 0 && work.dropped > 0 && work.programs > 0,
            "{work:?}"
        );
    }

    #[test]
    fn utf16_info_strings_decode() {
        assert_eq!(decode_pdf_string(&[0xFE, 0xFF, 0, b'H', 0, b'i']), "Hi");
        assert_eq!(decode_pdf_string(b"plain"), "plain");
    }
}
