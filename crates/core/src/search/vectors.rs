//! Passage vectors: search by meaning beside the word index.
//!
//! Each passage is embedded as windows of whole sentences ([`crate::search::embed`]); each
//! window's vector is stored as 384 signed bytes and one `f32` scale (388 bytes instead of
//! 1,536). Vectors are derived data in the `passage_vectors` table (migration 0008): a row
//! goes with its passage (`ON DELETE CASCADE`), `reindex` drops them all, and embedding only
//! fills in passages that lack one, committing every [`BATCH_PASSAGES`] passages so a killed
//! process loses at most the batch in flight. A vector is stored only if its passage still
//! holds the text that was embedded.
//!
//! Only body text is embedded; reference-list passages are found by their words.
//!
//! A stored claim's query vector is kept too (`claim_vectors`, migration 0009), with the text
//! and model it was made from: suggestions for a claim run the model once per wording.
//!
//! Queries scan every window of the library in memory (loaded once per change of the
//! library, kept by [`VectorCache`]) and score a passage by its best window.

use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::events::{Cancel, Event, Events};
use crate::library::Library;
use crate::search::embed::{Embedder, DIM, MODEL_NAME, WINDOW_TOKENS};
use crate::store;

/// Passages embedded and committed together. Their windows are sorted by length and padded
/// per forward pass only to the longest of the pass, so the more passages, the less padding:
/// 48 passages padded the corpus's 125k tokens by 26 %, 256 by 9 % (about 12 CPU-seconds
/// of work, what a killed process can lose).
pub const BATCH_PASSAGES: usize = 256;
/// Bytes of one stored window: the scale (`f32`, little-endian) and [`DIM`] signed bytes.
pub const WINDOW_BYTES: usize = 4 + DIM;

/// What the stored vectors were made with; vectors made otherwise are dropped and redone.
fn model_id() -> String {
    format!("{MODEL_NAME} windows of {WINDOW_TOKENS} tokens, int8")
}

/// Quantizes a vector to signed bytes with one scale: `x ≈ scale * q`.
pub fn quantize(v: &[f32]) -> (f32, Vec<i8>) {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    (scale, v.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect())
}

/// The stored form of a passage's window vectors.
pub fn encode(windows: &[Vec<f32>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(windows.len() * WINDOW_BYTES);
    for w in windows {
        let (scale, q) = quantize(w);
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend(q.iter().map(|b| *b as u8));
    }
    out
}

/// Reads back [`encode`]'s form as (scale, bytes) per window; `None` if it is malformed.
pub fn decode(blob: &[u8]) -> Option<Vec<(f32, &[i8])>> {
    if blob.is_empty() || !blob.len().is_multiple_of(WINDOW_BYTES) {
        return None;
    }
    Some(
        blob.chunks(WINDOW_BYTES)
            .map(|c| {
                let scale = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                // SAFETY: i8 and u8 have the same size and alignment.
                let q = unsafe { std::slice::from_raw_parts(c[4..].as_ptr() as *const i8, DIM) };
                (scale, q)
            })
            .collect(),
    )
}

/// The model shared by every library of this process, loaded on first use; `None` when it is
/// not installed.
pub fn shared_embedder() -> Result<Option<Arc<Embedder>>> {
    static SHARED: OnceLock<std::result::Result<Option<Arc<Embedder>>, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| Embedder::find().map(|e| e.map(Arc::new)).map_err(|e| e.to_string()))
        .clone()
        .map_err(Error::Model)
}

/// The sentence said when search by meaning is not possible.
pub const NO_MODEL: &str =
    "the embedding model is not installed (run scripts/setup.sh): passages are matched by their words only";

/// Why search by meaning is not possible in this library now (no model, or no passage has a
/// vector yet), as a sentence; `None` when it is.
pub fn meaning_unavailable(lib: &Library) -> Result<Option<&'static str>> {
    Ok(if shared_embedder()?.is_none() {
        Some(NO_MODEL)
    } else if lib.vector_set()?.is_empty() {
        Some("no passage has a vector yet (run `papertrail embed`): passages are matched by their words only")
    } else {
        None
    })
}

/// What an embedding run did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EmbedSummary {
    /// Passages embedded in this run.
    pub passages: u64,
    /// Windows (vectors) stored in this run.
    pub windows: u64,
    /// Passages still without a vector (after a cancel).
    pub remaining: u64,
}

/// Every window of the library in memory: one row per window, its passage and its bytes.
#[derive(Debug, Default)]
pub struct VectorSet {
    key: (u64, u64),
    passage: Vec<u64>,
    scale: Vec<f32>,
    codes: Vec<i8>,
}

impl VectorSet {
    /// Number of windows.
    pub fn len(&self) -> usize {
        self.passage.len()
    }
    /// Whether no passage has a vector.
    pub fn is_empty(&self) -> bool {
        self.passage.is_empty()
    }

    /// The `limit` passages closest to `query` (a unit vector), best first, each with the
    /// cosine similarity of its best window.
    pub fn nearest(&self, query: &[f32], limit: usize) -> Vec<(u64, f32)> {
        if self.is_empty() || limit == 0 {
            return Vec::new();
        }
        let (qs, q) = quantize(query);
        let mut best: Vec<(u64, f32)> = Vec::new();
        for (i, row) in self.codes.chunks_exact(DIM).enumerate() {
            let dot = dot_i8(&q, row) as f32 * qs * self.scale[i];
            match best.last_mut() {
                Some((p, s)) if *p == self.passage[i] => *s = s.max(dot),
                _ => best.push((self.passage[i], dot)),
            }
        }
        let k = limit.min(best.len());
        best.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        best.truncate(k);
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best
    }
}

/// The dot product of two byte vectors: with AVX2 when the CPU has it (a query scans every
/// window of the library with it), else in a form the compiler vectorizes for any x86-64.
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU has AVX2.
        return unsafe { dot_i8_avx2(a, b) };
    }
    dot_i8_portable(a, b)
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    static AVX2: OnceLock<bool> = OnceLock::new();
    *AVX2.get_or_init(|| is_x86_feature_detected!("avx2"))
}

/// 16 products summed in i32 per step: LLVM turns the inner sum into `pmaddwd`.
fn dot_i8_portable(a: &[i8], b: &[i8]) -> i32 {
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let tail: i32 = ca.remainder().iter().zip(cb.remainder()).map(|(p, q)| *p as i32 * *q as i32).sum();
    ca.zip(cb).map(|(x, y)| x.iter().zip(y).map(|(p, q)| (*p as i16 * *q as i16) as i32).sum::<i32>()).sum::<i32>()
        + tail
}

/// 32 products per step with `vpmaddubsw` (unsigned × signed, so `|a|` times `b` with `a`'s
/// sign) and `vpmaddwd`. Exact for bytes in -127..=127, which [`quantize`] makes: two products
/// of at most 127 × 127 fit the 16-bit sum.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_i8_avx2(a: &[i8], b: &[i8]) -> i32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len()) / 32 * 32;
    let ones = _mm256_set1_epi16(1);
    let mut sum = _mm256_setzero_si256();
    for i in (0..n).step_by(32) {
        // SAFETY: i + 32 <= n <= both lengths; unaligned loads.
        let (x, y) = unsafe {
            (
                _mm256_loadu_si256(a.as_ptr().add(i) as *const __m256i),
                _mm256_loadu_si256(b.as_ptr().add(i) as *const __m256i),
            )
        };
        let pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
        sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, ones));
    }
    let half = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    let quarter = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0b01_00_11_10));
    let one = _mm_add_epi32(quarter, _mm_shuffle_epi32(quarter, 0b10_11_00_01));
    _mm_cvtsi128_si32(one) + dot_i8_portable(&a[n..], &b[n..])
}

/// The library's vectors as last loaded, reloaded when passages or vectors change.
#[derive(Debug, Default)]
pub struct VectorCache(Mutex<Option<Arc<VectorSet>>>);

fn cache_key(conn: &Connection) -> Result<(u64, u64)> {
    let vectors = store::meta_get(conn, "vectors_revision")?.and_then(|v| v.parse().ok()).unwrap_or(0);
    Ok((store::revision(conn)?, vectors))
}

fn bump_vectors_revision(conn: &Connection) -> Result<()> {
    let next = store::meta_get(conn, "vectors_revision")?.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1;
    store::meta_set(conn, "vectors_revision", &next.to_string())
}

impl Library {
    /// The passage vectors, loaded when the library changed since they were last loaded.
    pub fn vector_set(&self) -> Result<Arc<VectorSet>> {
        let conn = self.conn();
        let key = cache_key(&conn)?;
        let mut cached = self.vectors.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = cached.as_ref().filter(|s| s.key == key) {
            return Ok(set.clone());
        }
        let mut set = VectorSet { key, ..Default::default() };
        let mut stmt = conn.prepare("SELECT passage_id, data FROM passage_vectors ORDER BY passage_id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id = r.get::<_, i64>(0)? as u64;
            let blob: Vec<u8> = r.get(1)?;
            for (scale, q) in decode(&blob).unwrap_or_default() {
                set.passage.push(id);
                set.scale.push(scale);
                set.codes.extend_from_slice(q);
            }
        }
        let set = Arc::new(set);
        *cached = Some(set.clone());
        Ok(set)
    }

    /// Passages closest in meaning to `text`, best first, with their similarity; `None` when
    /// the embedding model is not installed.
    pub fn nearest_passages(&self, text: &str, limit: usize) -> Result<Option<Vec<(u64, f32)>>> {
        let Some(embedder) = shared_embedder()? else { return Ok(None) };
        let set = self.vector_set()?;
        if set.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let query = embedder.embed_query(text)?;
        Ok(Some(set.nearest(&query, limit)))
    }

    /// Like [`Library::nearest_passages`] for a stored claim: its vector is kept in
    /// `claim_vectors` (migration 0009) with the text and model it was made from, so the model
    /// runs for a claim once, and again only after its text changes.
    pub fn nearest_passages_for_claim(
        &self,
        claim_id: &str,
        text: &str,
        limit: usize,
    ) -> Result<Option<Vec<(u64, f32)>>> {
        let Some(embedder) = shared_embedder()? else { return Ok(None) };
        let set = self.vector_set()?;
        if set.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let query = self.claim_vector(&embedder, claim_id, text)?;
        Ok(Some(set.nearest(&query, limit)))
    }

    /// A stored claim's query vector: the kept one when it was made from this text by this
    /// model, else made now and kept. Keeping it is derived data and best-effort (a claim
    /// deleted meanwhile, a busy library): a failure costs the next query the model's time.
    fn claim_vector(&self, embedder: &Embedder, claim_id: &str, text: &str) -> Result<Vec<f32>> {
        let kept: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(self.conn().query_row(
            "SELECT vector FROM claim_vectors WHERE claim_id = ?1 AND model = ?2 AND text = ?3",
            (claim_id, MODEL_NAME, text),
            |r| r.get(0),
        ))?;
        if let Some(blob) = kept.filter(|b| b.len() == DIM * 4) {
            return Ok(blob.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect());
        }
        let vector = embedder.embed_query(text)?;
        let blob: Vec<u8> = vector.iter().flat_map(|x| x.to_le_bytes()).collect();
        if let Err(e) = self.conn().execute(
            "INSERT OR REPLACE INTO claim_vectors (claim_id, model, text, vector) VALUES (?1, ?2, ?3, ?4)",
            (claim_id, MODEL_NAME, text, blob),
        ) {
            tracing::debug!("claim {claim_id}: its vector was not kept: {e}");
        }
        Ok(vector)
    }

    /// Number of body passages without a vector (reference lists are not embedded: no claim is
    /// settled by a reference entry, and they would cost a fifth of the embedding time).
    pub fn passages_without_vectors(&self) -> Result<u64> {
        let conn = self.conn();
        Ok(conn.query_row(
            "SELECT count(*) FROM passages p WHERE p.section = 'body' AND NOT EXISTS (SELECT 1 FROM passage_vectors v WHERE v.passage_id = p.id)",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Drops every stored vector (they are made again by [`Library::embed_pending`]).
    pub fn clear_vectors(&self) -> Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute("DELETE FROM passage_vectors", [])?;
        bump_vectors_revision(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Embeds every passage that has no vector yet, [`BATCH_PASSAGES`] at a time, each batch
    /// committed on its own; cancelling keeps what is done. Errs with [`Error::Model`] when
    /// the model is not installed. Does not take the write lock: vectors are derived data and
    /// a vector is stored only if its passage still holds the text that was embedded.
    pub fn embed_pending(&self, events: &dyn Events, cancel: &Cancel) -> Result<EmbedSummary> {
        let embedder = shared_embedder()?.ok_or_else(|| Error::Model(NO_MODEL.into()))?;
        {
            let conn = self.conn();
            if store::meta_get(&conn, "vectors_model")?.as_deref() != Some(model_id().as_str()) {
                let tx = conn.unchecked_transaction()?;
                tx.execute("DELETE FROM passage_vectors", [])?;
                store::meta_set(&tx, "vectors_model", &model_id())?;
                bump_vectors_revision(&tx)?;
                tx.commit()?;
            }
        }
        let pending: Vec<u64> = {
            let conn = self.conn();
            let mut stmt = conn.prepare(
                "SELECT p.id FROM passages p WHERE p.section = 'body' AND NOT EXISTS (SELECT 1 FROM passage_vectors v WHERE v.passage_id = p.id) ORDER BY p.id",
            )?;
            let ids = stmt.query_map([], |r| r.get::<_, i64>(0).map(|v| v as u64))?.collect::<Result<_, _>>()?;
            ids
        };
        let total = pending.len() as u64;
        let mut summary = EmbedSummary::default();
        if pending.is_empty() {
            return Ok(summary);
        }
        events.emit(Event::JobStarted { job: "embed".into(), total });
        for batch in pending.chunks(BATCH_PASSAGES) {
            if cancel.is_cancelled() {
                summary.remaining = total - summary.passages;
                events.emit(Event::JobFinished { job: "embed".into(), cancelled: true });
                return Ok(summary);
            }
            let texts: Vec<(u64, String)> = {
                let conn = self.conn();
                let mut stmt = conn.prepare_cached("SELECT text FROM passages WHERE id = ?1")?;
                let mut out = Vec::with_capacity(batch.len());
                for id in batch {
                    if let Some(t) = rusqlite::OptionalExtension::optional(stmt.query_row([*id as i64], |r| r.get(0)))?
                    {
                        out.push((*id, t));
                    }
                }
                out
            };
            let mut windows = Vec::new();
            let mut owner = Vec::new();
            for (i, (_, text)) in texts.iter().enumerate() {
                for w in embedder.windows(text)? {
                    windows.push(w);
                    owner.push(i);
                }
            }
            // Progress after each forward pass, in passages (the batch's share embedded so far).
            let done_before = summary.passages;
            let mut go_on = |windows_done: usize| {
                let share = (texts.len() * windows_done / windows.len().max(1)) as u64;
                events.emit(Event::JobProgress {
                    job: "embed".into(),
                    done: (done_before + share).min(total),
                    total,
                    item: "for search by meaning".into(),
                });
                !cancel.is_cancelled()
            };
            let Some(vectors) = embedder.embed_tokens_until(&windows, &mut go_on)? else {
                summary.remaining = total - summary.passages;
                events.emit(Event::JobFinished { job: "embed".into(), cancelled: true });
                return Ok(summary);
            };
            let mut per_passage: Vec<Vec<Vec<f32>>> = vec![Vec::new(); texts.len()];
            for (v, i) in vectors.into_iter().zip(owner) {
                per_passage[i].push(v);
            }
            store_batch(&self.conn(), &texts, &per_passage)?;
            summary.passages += texts.len() as u64;
            summary.windows += windows.len() as u64;
        }
        events.emit(Event::JobFinished { job: "embed".into(), cancelled: false });
        Ok(summary)
    }
}

/// Stores one batch in one transaction; a passage whose text changed meanwhile is skipped.
fn store_batch(conn: &Connection, texts: &[(u64, String)], vectors: &[Vec<Vec<f32>>]) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR REPLACE INTO passage_vectors (passage_id, data)
             SELECT id, ?2 FROM passages WHERE id = ?1 AND text = ?3",
        )?;
        for ((id, text), windows) in texts.iter().zip(vectors) {
            stmt.execute(rusqlite::params![*id as i64, encode(windows), text])?;
        }
    }
    bump_vectors_revision(&tx)?;
    tx.commit()?;
    Ok(())
}

/// Which versions have every body passage embedded (versions without passages are not).
pub(crate) fn embedded_versions(conn: &Connection) -> Result<std::collections::BTreeSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT p.version_sha256 FROM passages p LEFT JOIN passage_vectors v ON v.passage_id = p.id
         WHERE p.section = 'body' GROUP BY p.version_sha256 HAVING count(v.passage_id) = count(*)",
    )?;
    let out = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<_, _>>()?;
    Ok(out)
}

/// Reciprocal rank fusion: each list adds `1 / (k + rank)` (rank from 1) to its items.
pub fn reciprocal_rank_fusion(lists: &[&[u64]], k: f32) -> Vec<(u64, f32)> {
    let mut scores: Vec<(u64, f32)> = Vec::new();
    for list in lists {
        for (rank, id) in list.iter().enumerate() {
            let add = 1.0 / (k + rank as f32 + 1.0);
            match scores.iter_mut().find(|(i, _)| i == id) {
                Some((_, s)) => *s += add,
                None => scores.push((*id, add)),
            }
        }
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn quantization_round_trip_keeps_direction(v in proptest::collection::vec(-1f32..1.0, DIM)) {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            prop_assume!(norm > 1e-3);
            let unit: Vec<f32> = v.iter().map(|x| x / norm).collect();
            let blob = encode(std::slice::from_ref(&unit));
            prop_assert_eq!(blob.len(), WINDOW_BYTES);
            let back = decode(&blob).unwrap();
            let (scale, q) = back[0];
            let restored: Vec<f32> = q.iter().map(|b| *b as f32 * scale).collect();
            let max_err = unit.iter().zip(&restored).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
            prop_assert!(max_err <= scale / 2.0 + 1e-6, "{} > {}", max_err, scale / 2.0);
            let cos: f32 = unit.iter().zip(&restored).map(|(a, b)| a * b).sum::<f32>()
                / restored.iter().map(|x| x * x).sum::<f32>().sqrt();
            prop_assert!(cos > 0.999, "{}", cos);
        }
    }

    #[test]
    fn malformed_blobs_are_refused() {
        assert!(decode(&[]).is_none());
        assert!(decode(&[0u8; WINDOW_BYTES + 1]).is_none());
        assert_eq!(decode(&[0u8; WINDOW_BYTES * 2]).unwrap().len(), 2);
    }

    proptest! {
        #[test]
        fn every_dot_product_is_exact(
            a in proptest::collection::vec(-127i8..=127, 0..400),
            b in proptest::collection::vec(-127i8..=127, 400),
        ) {
            let b = &b[..a.len()];
            let exact: i32 = a.iter().zip(b).map(|(p, q)| *p as i32 * *q as i32).sum();
            prop_assert_eq!(dot_i8_portable(&a, b), exact);
            prop_assert_eq!(dot_i8(&a, b), exact);
        }
    }

    #[test]
    fn dot_products_of_extreme_bytes_do_not_saturate() {
        for (x, y) in [(127i8, 127i8), (-127, -127), (127, -127), (-127, 127)] {
            let (a, b) = (vec![x; DIM + 5], vec![y; DIM + 5]);
            assert_eq!(dot_i8(&a, &b), x as i32 * y as i32 * (DIM as i32 + 5));
        }
    }

    #[test]
    fn the_best_window_scores_a_passage() {
        let unit = |i: usize| {
            let mut v = vec![0f32; DIM];
            v[i] = 1.0;
            v
        };
        let mut set = VectorSet::default();
        for (passage, dim) in [(1u64, 0usize), (1, 5), (2, 1), (3, 5)] {
            let (s, q) = quantize(&unit(dim));
            set.passage.push(passage);
            set.scale.push(s);
            set.codes.extend(q);
        }
        let hits = set.nearest(&unit(5), 2);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![1, 3]);
        assert!((hits[0].1 - 1.0).abs() < 0.02);
        assert_eq!(set.nearest(&unit(1), 10).len(), 3);
    }

    #[test]
    fn fusion_rewards_agreement_and_keeps_single_lists() {
        let fused = reciprocal_rank_fusion(&[&[1, 2, 3], &[3, 4, 1]], 60.0);
        let order: Vec<u64> = fused.iter().map(|f| f.0).collect();
        // 1 and 3 are in both lists; 1 ranks higher overall (1st + 3rd vs 3rd + 1st tie: id order).
        assert_eq!(&order[..2], &[1, 3]);
        assert_eq!(order.len(), 4);
        assert!(fused[1].1 > fused[2].1);
        assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-6);
    }

    fn library_with_passages() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        {
            let conn = lib.conn();
            conn.execute_batch(
                "INSERT INTO papers (id, title, authors, created_at) VALUES ('p', 'P', '[]', '');
                 INSERT INTO versions (sha256, paper_id, pages, imported_at, file_name, size, extractor, extractor_version)
                   VALUES ('v', 'p', 1, '', 'p.pdf', 1, '', '');",
            )
            .unwrap();
            for i in 0..(BATCH_PASSAGES * 2 + 5) {
                conn.execute(
                    "INSERT INTO passages (version_sha256, page, start, end, text) VALUES ('v', 1, ?1, ?1, ?2)",
                    rusqlite::params![i as i64, format!("Passage number {i} says the training took {i} days. It ran on {i} machines of the cluster.")],
                )
                .unwrap();
            }
        }
        (dir, lib)
    }

    #[test]
    fn a_batch_in_flight_is_all_that_a_stop_loses() {
        let (_dir, lib) = library_with_passages();
        let texts: Vec<(u64, String)> = lib
            .conn()
            .prepare("SELECT id, text FROM passages ORDER BY id LIMIT 3")
            .unwrap()
            .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut unit = vec![0f32; DIM];
        unit[0] = 1.0;
        let one = [vec![unit]];
        // A batch whose transaction never commits (the process dies in it) leaves nothing.
        {
            let conn = lib.conn();
            let tx = conn.unchecked_transaction().unwrap();
            tx.execute(
                "INSERT INTO passage_vectors (passage_id, data) VALUES (?1, ?2)",
                rusqlite::params![texts[0].0 as i64, encode(&one[0])],
            )
            .unwrap();
            drop(tx);
        }
        let total = lib.conn().query_row("SELECT count(*) FROM passages", [], |r| r.get::<_, i64>(0)).unwrap() as u64;
        assert_eq!(lib.passages_without_vectors().unwrap(), total);
        // A committed batch stays; a passage whose text changed since it was read is skipped.
        lib.conn().execute("UPDATE passages SET text = 'changed' WHERE id = ?1", [texts[1].0 as i64]).unwrap();
        store_batch(&lib.conn(), &texts[..2], &[one[0].clone(), one[0].clone()]).unwrap();
        assert_eq!(lib.passages_without_vectors().unwrap(), total - 1);
        assert_eq!(lib.vector_set().unwrap().len(), 1);
        // Vectors go with their passage.
        lib.conn().execute("DELETE FROM passages WHERE id = ?1", [texts[0].0 as i64]).unwrap();
        store::bump_revision(&lib.conn()).unwrap();
        assert!(lib.vector_set().unwrap().is_empty());
    }

    #[test]
    fn embedding_is_incremental_and_cancellable() {
        let Some(_) = crate::search::embed::tests::embedder() else { return };
        let (_dir, lib) = library_with_passages();
        let total = lib.passages_without_vectors().unwrap();
        let cancel = Cancel::new();
        // Cancelled in the middle of a batch (its 256 windows of ~30 tokens take two forward
        // passes or more): the batch is dropped, nothing is stored.
        struct CancelAt(Cancel, u64);
        impl Events for CancelAt {
            fn emit(&self, e: Event) {
                if matches!(e, Event::JobProgress { done, .. } if done >= self.1) {
                    self.0.cancel();
                }
            }
        }
        let none = lib.embed_pending(&CancelAt(cancel.clone(), 0), &cancel).unwrap();
        assert_eq!((none.passages, none.remaining), (0, total));
        assert_eq!(lib.passages_without_vectors().unwrap(), total);
        // Cancelled once the first batch is embedded: it is kept, and the run stops.
        let cancel = Cancel::new();
        let first = lib.embed_pending(&CancelAt(cancel.clone(), BATCH_PASSAGES as u64), &cancel).unwrap();
        assert_eq!(first.passages, BATCH_PASSAGES as u64);
        assert_eq!(lib.passages_without_vectors().unwrap(), total - BATCH_PASSAGES as u64);
        let rest = lib.embed_pending(&crate::events::NoEvents, &Cancel::new()).unwrap();
        assert_eq!(rest.passages, total - BATCH_PASSAGES as u64);
        assert_eq!(lib.passages_without_vectors().unwrap(), 0);
        let hits = lib.nearest_passages("how many days did training last for passage 7", 3).unwrap().unwrap();
        assert_eq!(hits.len(), 3);
        assert!(embedded_versions(&lib.conn()).unwrap().contains("v"));
    }
}
