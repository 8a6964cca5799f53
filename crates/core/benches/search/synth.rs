//! Synthetic libraries built from the real passages recombined into new papers.
//!
//! Each synthetic paper copies the page and passage structure of one real paper (so sizes are
//! realistic), and fills every passage slot with sentences drawn from several random real
//! passages of any paper, shuffled. No synthetic passage is a copy of a real one, term
//! statistics stay those of the corpus, and ranking stays meaningful.

use std::path::Path;
use std::time::Instant;

use papertrail_core::ingest::passage::split_passages;
use papertrail_core::{Cancel, Library, NoEvents};
use sha2::{Digest, Sha256};

use crate::util::{self, Rng};

/// A real paper's shape: for each page, the lengths (chars) of its passages.
pub struct Template {
    pub pages: Vec<Vec<usize>>,
}

/// What the real library offers to recombine.
pub struct Source {
    pub templates: Vec<Template>,
    /// Sentences of each real passage.
    pub passages: Vec<Vec<String>>,
    /// Texts of the current versions' passages (for queries and FTS5 at 1x).
    pub texts: Vec<String>,
}

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for i in 0..bytes.len() {
        let (at, c) = bytes[i];
        if (c == '.' || c == '?' || c == '!') && bytes.get(i + 1).is_some_and(|(_, n)| n.is_whitespace()) {
            let end = at + c.len_utf8();
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// Reads the real library's current versions.
pub fn load_source(lib: &Library) -> Source {
    let conn = lib.conn();
    let mut stmt = conn
        .prepare(
            "SELECT v.sha256, ps.page, ps.text FROM passages ps JOIN versions v ON v.sha256 = ps.version_sha256
             WHERE v.sha256 IN (SELECT (SELECT v2.sha256 FROM versions v2 WHERE v2.paper_id = p.id
                                ORDER BY COALESCE(v2.created, v2.imported_at) DESC, v2.rowid DESC LIMIT 1) FROM papers p)
             ORDER BY v.sha256, ps.page, ps.start",
        )
        .unwrap();
    let rows: Vec<(String, u32, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect();
    let mut templates: Vec<Template> = Vec::new();
    let mut last_sha = String::new();
    let mut texts = Vec::new();
    let mut passages = Vec::new();
    for (sha, page, text) in rows {
        if sha != last_sha {
            templates.push(Template { pages: Vec::new() });
            last_sha = sha;
        }
        let t = templates.last_mut().unwrap();
        while t.pages.len() < page as usize {
            t.pages.push(Vec::new());
        }
        t.pages[page as usize - 1].push(text.chars().count());
        passages.push(sentences(&text));
        texts.push(text);
    }
    Source { templates, passages, texts }
}

/// One new passage of about `len` characters from sentences of 2 to 4 random real passages.
fn recombine(src: &Source, rng: &mut Rng, len: usize) -> String {
    let mut pool: Vec<&String> = Vec::new();
    for _ in 0..2 + rng.below(3) {
        pool.extend(rng.pick(&src.passages).iter());
    }
    rng.shuffle(&mut pool);
    let mut out = String::new();
    for s in pool {
        if out.chars().count() >= len {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// Builds a library of `papers` synthetic papers in `dir` (which must not exist yet).
/// Returns (seconds generating and storing, seconds indexing, passages).
pub fn build(src: &Source, dir: &Path, papers: usize, seed: u64) -> (f64, f64, u64) {
    assert!(!dir.join("papertrail.db").exists(), "{} already holds a library", dir.display());
    let lib = Library::open(dir).expect("open the new library");
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let mut passages_total = 0u64;
    let batch = 200;
    for first in (0..papers).step_by(batch) {
        let conn = lib.conn();
        let tx = conn.unchecked_transaction().unwrap();
        {
            let mut paper_stmt = tx
                .prepare(
                    "INSERT INTO papers (id, title, date, date_precision, authors, in_catalog, created_at)
                     VALUES (?1, ?2, ?3, 'day', '[\"Synthetic\"]', 0, '2026-01-01T00:00:00Z')",
                )
                .unwrap();
            let mut version_stmt = tx
                .prepare(
                    "INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
                     VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z', ?4, 0, 'synthetic', '0')",
                )
                .unwrap();
            let mut page_stmt =
                tx.prepare("INSERT INTO pages (version_sha256, page, text) VALUES (?1, ?2, ?3)").unwrap();
            let mut passage_stmt = tx
                .prepare("INSERT INTO passages (version_sha256, page, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)")
                .unwrap();
            for i in first..(first + batch).min(papers) {
                let template = &src.templates[i % src.templates.len()];
                let id = format!("synth-{i:05}");
                let mut hasher = Sha256::new();
                hasher.update(id.as_bytes());
                let sha = hex::encode(hasher.finalize());
                let year = 2022 + (i % 4);
                let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
                let title = format!(
                    "Synthetic paper {i}: {}",
                    recombine(src, &mut rng, 40).chars().take(60).collect::<String>()
                );
                paper_stmt.execute(rusqlite::params![id, title, date]).unwrap();
                version_stmt
                    .execute(rusqlite::params![sha, id, template.pages.len() as u32, format!("{id}.pdf")])
                    .unwrap();
                for (p, lens) in template.pages.iter().enumerate() {
                    let page_text: Vec<String> = lens.iter().map(|&l| recombine(src, &mut rng, l)).collect();
                    let page_text = page_text.join("\n\n");
                    page_stmt.execute(rusqlite::params![sha, p as u32 + 1, page_text]).unwrap();
                    for ps in split_passages(&page_text) {
                        passage_stmt
                            .execute(rusqlite::params![sha, p as u32 + 1, ps.start as i64, ps.end as i64, ps.text])
                            .unwrap();
                        passages_total += 1;
                    }
                }
            }
        }
        papertrail_core::store::bump_revision(&tx).unwrap();
        tx.commit().unwrap();
    }
    let stored = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let indexed = lib.reindex(&NoEvents, &Cancel::new()).expect("reindex");
    assert_eq!(indexed, passages_total, "every passage indexed");
    let index_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "built {papers} papers, {passages_total} passages in {:.1} s + {:.1} s indexing; {:.0} MB on disk",
        stored,
        index_secs,
        util::mb(util::library_size(dir))
    );
    (stored, index_secs, passages_total)
}
