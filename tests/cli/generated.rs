//! Narrow cases on PDFs the tests make themselves: a ligature glyph, a hyphenated line break,
//! two columns, an encrypted file, pages with no text, HTML in the text.

use std::path::{Path, PathBuf};

use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use crate::{json, papertrail, stdout};

/// One line of text at a position, as bytes in the font's encoding (0x80 is the `fi` glyph).
struct Line<'a>(f32, f32, &'a [u8]);

/// Writes a PDF with one page per entry, Helvetica with `fi`/`fl` ligature glyphs at
/// 0x80/0x81, an info dictionary title, and optionally an `/Encrypt` entry.
fn make_pdf(path: &Path, title: &str, pages: &[Vec<Line>], encrypted: bool) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let encoding = doc.add_object(dictionary! {
        "Type" => "Encoding",
        "BaseEncoding" => "WinAnsiEncoding",
        "Differences" => vec![128.into(), Object::Name(b"fi".to_vec()), Object::Name(b"fl".to_vec())],
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => encoding,
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut content = Vec::new();
        for Line(x, y, text) in lines {
            content.extend_from_slice(format!("BT /F1 11 Tf {x} {y} Td (").as_bytes());
            for &b in text.iter() {
                if matches!(b, b'(' | b')' | b'\\') {
                    content.push(b'\\');
                }
                content.push(b);
            }
            content.extend_from_slice(b") Tj ET\n");
        }
        let stream = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()], "Resources" => resources,
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let info =
        doc.add_object(dictionary! { "Title" => Object::String(title.as_bytes().to_vec(), StringFormat::Literal) });
    doc.trailer.set("Info", info);
    if encrypted {
        let enc = doc.add_object(dictionary! {
            "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -4,
            "O" => Object::String(vec![7u8; 32], StringFormat::Hexadecimal),
            "U" => Object::String(vec![9u8; 32], StringFormat::Hexadecimal),
        });
        doc.trailer.set("Encrypt", enc);
        let id = Object::String(vec![1u8; 16], StringFormat::Hexadecimal);
        doc.trailer.set("ID", vec![id.clone(), id]);
    }
    doc.save(path).unwrap();
}

fn pdf(dir: &Path, name: &str, title: &str, pages: &[Vec<Line>], encrypted: bool) -> PathBuf {
    let p = dir.join(name);
    make_pdf(&p, title, pages, encrypted);
    p
}

fn import(lib: &Path, file: &Path) -> serde_json::Value {
    json(&papertrail(lib, &["import", "--json", file.to_str().unwrap()]))[0].clone()
}

fn page_text(lib: &Path, sha: &str, page: u32) -> String {
    papertrail_core::Library::open(lib).unwrap().page_text(sha, page).unwrap()
}

#[test]
fn ligature_glyphs_and_line_end_hyphens_are_normalized() {
    let dir = tempfile::tempdir().unwrap();
    let lines = vec![
        Line(72.0, 700.0, b"An ef\x80cient method for \x80ne-grained experts and work\x81ows, trained"),
        Line(72.0, 686.0, b"without super-"),
        Line(72.0, 672.0, b"vised fine-tuning; we release DeepSeek-"),
        Line(72.0, 658.0, b"R1 and its distilled models to the community."),
    ];
    let file = pdf(dir.path(), "lig.pdf", "Ligatures and Hyphens in a Generated Paper", &[lines], false);
    let lib = dir.path().join("lib");
    let o = import(&lib, &file);
    assert_eq!(o["status"], "imported", "{o}");
    assert_eq!(o["paper_id"], "ligatures-and-hyphens-in-a-generated", "slug of the info title");
    let text = page_text(&lib, o["sha256"].as_str().unwrap(), 1);
    assert!(text.contains("efficient method for fine-grained experts and workflows"), "{text}");
    assert!(text.contains("without supervised fine-tuning"), "{text}");
    assert!(text.contains("DeepSeek-R1 and its"), "{text}");
    let hits = json(&papertrail(&lib, &["search", "--json", "efficient workflows"]));
    assert_eq!(hits.as_array().unwrap().len(), 1);
}

#[test]
fn two_columns_keep_both_columns_text_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    let left: Vec<String> = (0..12).map(|i| format!("Left column sentence number {i} about alpha.")).collect();
    let right: Vec<String> = (0..12).map(|i| format!("Right column sentence number {i} about omega.")).collect();
    for (i, s) in left.iter().enumerate() {
        lines.push(Line(54.0, 700.0 - 14.0 * i as f32, s.as_bytes()));
    }
    for (i, s) in right.iter().enumerate() {
        lines.push(Line(320.0, 700.0 - 14.0 * i as f32, s.as_bytes()));
    }
    let file = pdf(dir.path(), "cols.pdf", "Two Column Layout Test Paper", &[lines], false);
    let lib = dir.path().join("lib");
    let o = import(&lib, &file);
    let text = page_text(&lib, o["sha256"].as_str().unwrap(), 1);
    for s in left.iter().chain(&right) {
        assert!(text.contains(s.as_str()), "missing {s:?} in {text}");
    }
    let hits = json(&papertrail(&lib, &["search", "--json", "\"sentence number 11 about omega\""]));
    assert_eq!(hits[0]["page"], 1);
}

#[test]
fn an_encrypted_pdf_fails_and_a_pdf_without_text_is_kept_as_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let enc = pdf(dir.path(), "locked.pdf", "Locked", &[vec![Line(72.0, 700.0, b"secret text")]], true);
    let o = import(&lib, &enc);
    assert_eq!(o["status"], "failed");
    assert!(o["reason"].as_str().unwrap().contains("encrypted"), "{o}");
    // A PDF without a text layer is a scan: kept (the reader shows it), flagged, never refused.
    let blank = pdf(dir.path(), "scan.pdf", "Scanned Pages Of A Paper", &[vec![], vec![]], false);
    let o = json(&papertrail(&lib, &["import", "--json", "--no-ocr", blank.to_str().unwrap()]))[0].clone();
    assert_eq!(o["status"], "imported", "{o}");
    assert!(o["notes"].to_string().contains("No text layer"), "{o}");
    let papers = json(&papertrail(&lib, &["papers", "--json"]));
    let v = papers
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["versions"].as_array().unwrap().clone())
        .find(|v| v["sha256"] == o["sha256"])
        .unwrap();
    assert_eq!(v["text_layer"], "none", "{v}");
    assert!(["pending", "unavailable"].contains(&v["ocr"].as_str().unwrap()), "{v}");
    // A page without text inside a paper with text is kept, with no passages.
    let mixed = pdf(
        dir.path(),
        "mixed.pdf",
        "A Paper With A Blank Page",
        &[vec![Line(72.0, 700.0, b"The first page has words on it.")], vec![]],
        false,
    );
    let o = import(&lib, &mixed);
    assert_eq!(o["status"], "imported");
    assert_eq!(o["pages"], 2);
    assert_eq!(page_text(&lib, o["sha256"].as_str().unwrap(), 2), "");
}

#[test]
fn html_in_a_pdf_comes_back_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let lines = vec![
        Line(72.0, 700.0, b"Hostile paper: <img src=x onerror=alert(1)> and <script>alert('x')</script> inside."),
        Line(72.0, 686.0, b"The results are &amp; remain <b>plain</b> text."),
    ];
    let file = pdf(dir.path(), "hostile.pdf", "A Hostile Paper With Markup", &[lines], false);
    let lib = dir.path().join("lib");
    assert_eq!(import(&lib, &file)["status"], "imported");
    let hits = json(&papertrail(&lib, &["search", "--json", "onerror"]));
    let text = hits[0]["text"].as_str().unwrap();
    assert!(text.contains("<img src=x onerror=alert(1)>") && text.contains("<script>alert('x')</script>"), "{text}");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("<img src=x"));
    let human = stdout(&papertrail(&lib, &["search", "script"]));
    assert!(human.contains("<«script»>"), "{human}");
}
