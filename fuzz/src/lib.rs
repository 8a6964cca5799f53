//! The properties the fuzz targets check, as plain functions: the targets in `fuzz_targets/`
//! call them under libFuzzer (nightly, `cargo fuzz run TARGET`), and `tests/corpus.rs` replays
//! the saved corpus and every crash reproducer through them on stable (`cargo test`).

use std::sync::OnceLock;

use papertrail_core::evidence::anchor::{context, reanchor, Anchor, CONTEXT_CHARS, MIN_FUZZY_SCORE};
use papertrail_core::story::catalog::Catalog;
use papertrail_core::search::index::{PassageDoc, PassageIndex, SearchOptions};
use papertrail_core::ingest::normalize::normalize_pages;
use papertrail_core::ingest::passage::{char_slice, split_passages};

/// Pages of a document: the input split at form feeds, as pdftotext separates pages.
fn pages_of(data: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(data).split('\u{c}').map(str::to_string).collect()
}

/// Normalization then passage splitting: never panics; every passage's offsets slice its page
/// to exactly its text; passages are in order, do not overlap and are never empty.
pub fn normalize_split(data: &[u8]) {
    let pages = pages_of(data);
    let normalized = normalize_pages(&pages);
    assert_eq!(normalized.len(), pages.len(), "one normalized page per page");
    for page in &normalized {
        let n = page.chars().count();
        let mut last_end = 0;
        for p in split_passages(page) {
            assert!(p.start < p.end, "empty passage {}..{} in {page:?}", p.start, p.end);
            assert!(p.end <= n, "passage end {} past the page's {n} chars", p.end);
            assert!(p.start >= last_end, "passages overlap or go backwards at {}", p.start);
            assert_eq!(char_slice(page, p.start, p.end), p.text, "offsets do not slice the page");
            last_end = p.end;
        }
    }
}

fn small_index() -> &'static PassageIndex {
    static INDEX: OnceLock<PassageIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = PassageIndex::in_memory().expect("in-memory index");
        let mut writer = index.writer().expect("writer");
        let texts = [
            "Our total training costs amount to only $5.576M, assuming the rental price of the H800 GPU is $2 per GPU hour.",
            "DeepSeek-R1-Zero demonstrates an aha moment: it learns to allocate more thinking time (93.3% on AIME).",
            "Group Relative Policy Optimization (GRPO) foregoes the critic model; 2.788M H800 GPU hours in total.",
            "Fine-grained expert segmentation and shared expert isolation: 2,048 tokens, 16B parameters, R1-Zero.",
            "<img src=x onerror=alert(1)> <script>alert('x')</script> ﬁnancial café naïve 東京 ½ x² — “quotes”.",
        ];
        for (i, t) in texts.iter().enumerate() {
            let doc = PassageDoc {
                passage_id: i as u64,
                paper_id: format!("paper-{}", i % 2),
                title: "Fuzz".into(),
                version: format!("v{i}"),
                page: 1,
                start: 0,
                end: t.chars().count() as u64,
                year: Some(2024),
                current: true,
                section: Default::default(),
                text: t.to_string(),
            };
            index.add(&writer, &doc).expect("add");
        }
        index.commit(&mut writer, &Default::default()).expect("commit");
        index
    })
}

/// Query parsing, and searching a small index with whatever parses: Ok or a clear Err, never
/// a panic; snippets' highlights are inside the snippet.
pub fn query_search(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 2000 {
        return;
    }
    let Ok(query) = papertrail_core::search::query::parse(text) else { return };
    for all_versions in [false, true] {
        let opts = SearchOptions { limit: 5, all_versions, ..Default::default() };
        if let Ok(results) = small_index().search(&query, &opts) {
            for hit in results.hits {
                let n = hit.snippet.chars().count();
                for [s, e] in hit.highlights {
                    assert!(s < e && e <= n, "highlight {s}..{e} outside a {n}-char snippet");
                }
            }
        }
    }
}

/// Catalog parsing returns Ok or Err, never panics; an Ok catalog has unique paper ids.
pub fn catalog_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(catalog) = Catalog::parse("fuzz.toml", text) {
        let mut ids: Vec<&str> = catalog.papers.iter().map(|p| p.id.as_str()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate paper ids accepted");
    }
}

/// Quote anchoring (W3C TextQuoteSelector): `context` never panics for any offsets, prefix
/// and suffix are at most CONTEXT_CHARS long and prefix + quote + suffix is a piece of the
/// page; a quote re-anchors to itself, exactly, on its unchanged page; on a changed page
/// (one character inserted) any re-anchor lies inside the page with a score in range.
///
/// Input: 2 bytes start, 2 bytes end (little endian), 1 byte edit position, 1 byte inserted
/// character, then the page text.
pub fn anchor_context(data: &[u8]) {
    if data.len() < 6 {
        return;
    }
    let a = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let b = usize::from(u16::from_le_bytes([data[2], data[3]]));
    let (edit_at, edit_char) = (usize::from(data[4]), char::from(data[5]));
    let page = String::from_utf8_lossy(&data[6..]).into_owned();
    let (prefix, suffix) = context(&page, a, b);
    assert!(prefix.chars().count() <= CONTEXT_CHARS && suffix.chars().count() <= CONTEXT_CHARS);
    let n = page.chars().count();
    let (start, end) = (a.min(b), a.max(b));
    if end > n {
        return;
    }
    let (prefix, suffix) = context(&page, start, end);
    let exact = char_slice(&page, start, end).to_string();
    let whole = format!("{prefix}{exact}{suffix}");
    assert!(page.contains(&whole), "prefix + quote + suffix is not in the page");
    assert_eq!(prefix.chars().count(), start.min(CONTEXT_CHARS));
    assert_eq!(suffix.chars().count(), (n - end).min(CONTEXT_CHARS));
    if start == end || end - start > 400 {
        return;
    }
    let anchor = Anchor { page: 1, exact: exact.clone(), prefix, suffix, start, end };
    let found = reanchor(&anchor, std::slice::from_ref(&page)).expect("an unchanged page holds its quote");
    assert_eq!((found.page, found.start, found.end), (1, start, end), "re-anchored elsewhere on an unchanged page");
    assert_eq!(found.score, 1.0);
    let mut chars: Vec<char> = page.chars().collect();
    chars.insert(edit_at * chars.len() / 256, edit_char);
    let pages = vec![String::new(), chars.into_iter().collect::<String>()];
    if let Some(f) = reanchor(&anchor, &pages) {
        assert!(f.page == 2, "found on the empty page");
        let m = pages[1].chars().count();
        assert!(f.start <= f.end && f.end <= m, "re-anchor {}..{} outside a {m}-char page", f.start, f.end);
        assert!((MIN_FUZZY_SCORE..=1.0).contains(&f.score), "score {}", f.score);
    }
}

/// Bundle reading: the zip reader on arbitrary bytes refuses or reads, never panics; the
/// manifest and ClaimReview parsers do the same on every file found and on the raw bytes.
pub fn bundle_read(data: &[u8]) {
    use papertrail_core::bundle::{archive::BundleArchive, claimreview, Manifest};
    let _ = Manifest::parse(data);
    let _ = claimreview::parse(data);
    let path = std::env::temp_dir().join(format!("papertrail-fuzz-bundle-{}.zip", std::process::id()));
    std::fs::write(&path, data).expect("write the temporary bundle");
    let read = BundleArchive::read(&path);
    let _ = std::fs::remove_file(&path);
    if let Ok(archive) = read {
        for (name, bytes) in &archive.files {
            assert!(
                !name.starts_with('/') && !name.split('/').any(|p| p == ".."),
                "unsafe entry name {name:?} accepted"
            );
            let _ = Manifest::parse(bytes);
            let _ = claimreview::parse(bytes);
        }
    }
}

/// Glyph names the generated fonts use: standard ones, a ligature, ones pdf-extract does not
/// know, and `.notdef`.
const GLYPHS: &[&str] = &[
    "A", "a", "eacute", "quoteright", "fi", "endash", "alpha", "Omega", "minus", "space", "uni0041", "foo", ".notdef",
    "zero", "hyphen", "germandbls",
];

/// Unicode values the generated `/ToUnicode` maps use (UTF-16BE): letters, accented and
/// Greek letters, punctuation, a two-letter ligature, a lone surrogate, nothing.
const VALUES: &[&[u8]] = &[
    &[0, 0x41],
    &[0, 0x61],
    &[0, 0xE9],
    &[0x20, 0x19],
    &[0, 0x66, 0, 0x69],
    &[0x20, 0x13],
    &[0x03, 0xB1],
    &[0x21, 0x26],
    &[0x22, 0x12],
    &[0, 0x20],
    &[0xD8, 0x00],
    &[0xFB, 0x01],
    &[],
];

/// A one-page PDF whose font's `/Encoding` and `/ToUnicode` come from `data`, showing every
/// code from 0 to 255 and some from `data`.
fn font_pdf(data: &[u8]) -> Vec<u8> {
    use lopdf::{dictionary, Dictionary, Document, Object, Stream, StringFormat};
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next().unwrap_or(0);
    let mut doc = Document::with_version("1.5");
    let encoding = match next() % 6 {
        0 => None,
        1 => Some(Object::Name(b"WinAnsiEncoding".to_vec())),
        2 => Some(Object::Name(b"MacRomanEncoding".to_vec())),
        mode => {
            let mut dict = Dictionary::new();
            if mode == 4 {
                dict.set("BaseEncoding", Object::Name(b"WinAnsiEncoding".to_vec()));
            }
            let mut differences = Vec::new();
            for _ in 0..next() % 12 {
                if next() % 2 == 0 {
                    differences.push(Object::Integer(i64::from(next())));
                }
                differences.push(Object::Name(GLYPHS[usize::from(next()) % GLYPHS.len()].as_bytes().to_vec()));
            }
            if !differences.is_empty() && !matches!(differences[0], Object::Integer(_)) {
                differences.insert(0, Object::Integer(i64::from(next())));
            }
            dict.set("Differences", differences);
            Some(Object::Dictionary(dict))
        }
    };
    let mut cmap = String::new();
    let n = next() % 24;
    if n > 0 {
        cmap.push_str(&format!("{n} beginbfchar\n"));
        for _ in 0..n {
            let code = next();
            let value: String = VALUES[usize::from(next()) % VALUES.len()].iter().map(|b| format!("{b:02X}")).collect();
            cmap.push_str(&format!("<{code:02X}> <{value}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    if next() % 3 == 0 {
        let (lo, len, start) = (next(), next() % 16, next());
        cmap.push_str(&format!("1 beginbfrange\n<{lo:02X}> <{:02X}> <00{start:02X}>\nendbfrange\n", lo.saturating_add(len)));
    }
    let mut font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "FirstChar" => 0,
        "LastChar" => 255,
        "Widths" => (0..256).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
    };
    if let Some(encoding) = encoding {
        font.set("Encoding", encoding);
    }
    if !cmap.is_empty() {
        let id = doc.add_object(Stream::new(Dictionary::new(), cmap.into_bytes()));
        font.set("ToUnicode", Object::Reference(id));
    }
    let font_id = doc.add_object(font);
    let mut shown: Vec<u8> = (0..=255).collect();
    shown.extend((0..16).map(|_| next()));
    let mut content = b"BT /F1 12 Tf 72 700 Td ".to_vec();
    for line in shown.chunks(32) {
        let s = Object::String(line.to_vec(), StringFormat::Hexadecimal);
        content.extend_from_slice(format!("{} Tj 0 -14 Td\n", hex_string(&s)).as_bytes());
    }
    content.extend_from_slice(b"ET");
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! {
        "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
    }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saving a generated PDF");
    out
}

fn hex_string(o: &lopdf::Object) -> String {
    match o {
        lopdf::Object::String(bytes, _) => format!("<{}>", bytes.iter().map(|b| format!("{b:02X}")).collect::<String>()),
        _ => unreachable!(),
    }
}

/// Preparing the fonts changes no stored text: a PDF whose font encoding and `/ToUnicode` come
/// from the input extracts to the same normalized pages (or fails the same way) with and
/// without it.
pub fn font_prepare(data: &[u8]) {
    use papertrail_core::ingest::extract::{extract_bytes, extract_bytes_unprepared};
    let pdf = font_pdf(data);
    // pdf-extract panics on some fonts (the app runs it in a worker process for that reason).
    // Both ways must then panic alike; libFuzzer's hook would abort on the first panic, so it
    // is set aside while pdf-extract runs.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let plain = std::panic::catch_unwind(|| extract_bytes_unprepared(&pdf));
    let prepared = std::panic::catch_unwind(|| extract_bytes(&pdf));
    std::panic::set_hook(hook);
    match (plain, prepared) {
        (Ok(Ok(a)), Ok(Ok(b))) => {
            // Stored text is normalized (NFKC first): that is what must not change.
            assert_eq!(normalize_pages(&a.pages), normalize_pages(&b.pages), "the prepared fonts changed the text");
            assert_eq!((a.page_errors, a.info), (b.page_errors, b.info));
        }
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the prepared fonts changed the outcome"),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("only one way panicked: unprepared ok={}, prepared ok={}", a.is_ok(), b.is_ok()),
    }
}

