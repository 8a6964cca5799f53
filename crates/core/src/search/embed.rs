//! Sentence embeddings on the CPU: all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions) run with
//! candle, tokenized with the model's own WordPiece `tokenizer.json`, mean-pooled and
//! L2-normalized. Nothing is downloaded at run time: the files come from `scripts/setup.sh`
//! (see [`model_dirs`] for where they are looked for).
//!
//! A passage is embedded as short windows of whole sentences (at most [`WINDOW_TOKENS`]
//! tokens each, the length the model was trained on) so that the one sentence a claim
//! paraphrases is not diluted by the rest of a 1,100-character passage; a passage is then
//! scored by its best window. Windows are sorted by length and padded per batch only to the
//! longest window of that batch. The forward pass itself is in `bert.rs`.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use tokenizers::Tokenizer;

mod bert;

use crate::error::{Error, Result};

/// Environment variable naming the folder that holds `model.safetensors` and `tokenizer.json`.
pub const MODEL_DIR_ENV: &str = "PAPERTRAIL_MODEL_DIR";
/// The model's folder name under the user's data directory (`<data>/models/<MODEL_NAME>`).
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// The number of dimensions of a vector.
pub const DIM: usize = 384;
/// The longest window of a passage, in tokens (without `[CLS]` and `[SEP]`).
pub const WINDOW_TOKENS: usize = 126;
/// A window is cut at a sentence end once it has at least this many tokens.
const WINDOW_MIN_TOKENS: usize = 40;
/// The tokens of one batch (windows × the longest window), which bounds memory.
const BATCH_TOKENS: usize = 4096;

/// The folders searched for the model, in order: `$PAPERTRAIL_MODEL_DIR`, the user's data
/// directory (`~/.local/share/papertrail/models/all-MiniLM-L6-v2` on Linux), and the folder
/// the .deb/.rpm packages install it to (`/usr/lib/papertrail/models/all-MiniLM-L6-v2`).
pub fn model_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os(MODEL_DIR_ENV) {
        dirs.push(PathBuf::from(d));
        return dirs;
    }
    if let Some(p) = directories::ProjectDirs::from("org", "Papertrail", "papertrail") {
        dirs.push(p.data_dir().join("models").join(MODEL_NAME));
    }
    for base in ["/usr/lib/papertrail", "/usr/lib/Papertrail"] {
        dirs.push(Path::new(base).join("models").join(MODEL_NAME));
    }
    dirs
}

/// The first folder of [`model_dirs`] that holds the model's files.
pub fn find_model() -> Option<PathBuf> {
    model_dirs().into_iter().find(|d| d.join("model.safetensors").is_file() && d.join("tokenizer.json").is_file())
}

fn model_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Model(format!("{what}: {e}"))
}

/// A loaded embedding model.
pub struct Embedder {
    model: bert::Bert,
    tokenizer: Tokenizer,
    cls: u32,
    sep: u32,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model found by [`find_model`]; `None` when it is not installed.
    pub fn find() -> Result<Option<Embedder>> {
        find_model().map(|d| Embedder::load(&d)).transpose()
    }

    /// Loads `model.safetensors` and `tokenizer.json` from `dir`.
    pub fn load(dir: &Path) -> Result<Embedder> {
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| model_error("the embedding model's tokenizer.json could not be read", e))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| model_error("the embedding model's tokenizer could not be set up", e))?;
        let id = |t: &str| {
            tokenizer
                .token_to_id(t)
                .ok_or_else(|| Error::Model(format!("the embedding model's tokenizer has no {t} token")))
        };
        let (cls, sep) = (id("[CLS]")?, id("[SEP]")?);
        let weights = dir.join("model.safetensors");
        // SAFETY: the weights file is only read; candle copies each tensor out of the map
        // while loading, and the map is dropped before `load` returns.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &Device::Cpu) }
            .map_err(|e| model_error("the embedding model's model.safetensors could not be read", e))?;
        let model = bert::Bert::load(vb)
            .map_err(|e| model_error("model.safetensors is not all-MiniLM-L6-v2 (run scripts/setup.sh)", e))?;
        Ok(Embedder { model, tokenizer, cls, sep })
    }

    /// The tokens of `text` (without special tokens), cut into windows of whole sentences.
    pub fn windows(&self, text: &str) -> Result<Vec<Vec<u32>>> {
        let enc = self.tokenizer.encode(text, false).map_err(|e| model_error("tokenizing a passage", e))?;
        let (ids, offsets) = (enc.get_ids(), enc.get_offsets());
        let mut out = Vec::new();
        let mut start = 0;
        while start < ids.len() {
            let hard_end = (start + WINDOW_TOKENS).min(ids.len());
            let mut end = hard_end;
            if hard_end < ids.len() {
                // The last sentence end inside the window (a `.`, `?`, `!` or `;` followed by a space).
                for i in (start + WINDOW_MIN_TOKENS..hard_end).rev() {
                    let (s, e) = offsets[i];
                    let is_end = matches!(text.get(s..e), Some(".") | Some("?") | Some("!") | Some(";"));
                    if is_end && offsets.get(i + 1).is_some_and(|n| n.0 > e) {
                        end = i + 1;
                        break;
                    }
                }
            }
            out.push(ids[start..end].to_vec());
            start = end;
        }
        if out.is_empty() {
            out.push(Vec::new());
        }
        Ok(out)
    }

    /// Embeds one text as a whole (cut at [`WINDOW_TOKENS`]): a query.
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        let enc = self.tokenizer.encode(text, false).map_err(|e| model_error("tokenizing a query", e))?;
        let ids = &enc.get_ids()[..enc.get_ids().len().min(WINDOW_TOKENS)];
        Ok(self.embed_tokens(&[ids.to_vec()])?.remove(0))
    }

    /// Embeds token windows (as made by [`Embedder::windows`]); the result is in the input's
    /// order, each vector of [`DIM`] numbers with length 1.
    pub fn embed_tokens(&self, windows: &[Vec<u32>]) -> Result<Vec<Vec<f32>>> {
        Ok(self.embed_tokens_until(windows, &mut |_| true)?.unwrap_or_default())
    }

    /// [`Embedder::embed_tokens`], calling `go_on` with the number of windows embedded after
    /// each forward pass; `None` when it says to stop before the last.
    pub fn embed_tokens_until(
        &self,
        windows: &[Vec<u32>],
        go_on: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Option<Vec<Vec<f32>>>> {
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&i| windows[i].len());
        let mut out = vec![Vec::new(); windows.len()];
        let mut i = 0;
        while i < order.len() {
            // Sorted by length: the batch's last window is its longest.
            let mut j = i + 1;
            while j < order.len() && (j + 1 - i) * (windows[order[j]].len() + 2) <= BATCH_TOKENS {
                j += 1;
            }
            let batch: Vec<&Vec<u32>> = order[i..j].iter().map(|&k| &windows[k]).collect();
            let vectors = self.forward(&batch).map_err(|e| model_error("running the embedding model", e))?;
            for (k, v) in order[i..j].iter().zip(vectors) {
                out[*k] = v;
            }
            i = j;
            if !go_on(i) && i < order.len() {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }

    fn forward(&self, batch: &[&Vec<u32>]) -> candle_core::Result<Vec<Vec<f32>>> {
        let (ids, mask) = self.inputs(batch)?;
        mean_pool(&self.model.forward(&ids, &mask)?, &mask)
    }

    /// A batch as token ids between `[CLS]` and `[SEP]`, padded to its longest window, and
    /// its mask (1 for a token, 0 for padding).
    fn inputs(&self, batch: &[&Vec<u32>]) -> candle_core::Result<(Tensor, Tensor)> {
        let len = batch.iter().map(|w| w.len()).max().unwrap_or(0) + 2;
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for w in batch {
            ids.push(self.cls);
            ids.extend_from_slice(w);
            ids.push(self.sep);
            ids.resize(ids.len() + len - w.len() - 2, 0);
            mask.extend(std::iter::repeat_n(1u32, w.len() + 2));
            mask.resize(mask.len() + len - w.len() - 2, 0);
        }
        let device = &Device::Cpu;
        Ok((Tensor::from_vec(ids, (batch.len(), len), device)?, Tensor::from_vec(mask, (batch.len(), len), device)?))
    }
}

/// The mean of the hidden states over the real tokens, at unit length: one vector per row.
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Vec<Vec<f32>>> {
    let maskf = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&maskf)?.sum(1)?;
    let counts = maskf.sum(1)?;
    let mean = summed.broadcast_div(&counts)?;
    let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
    mean.broadcast_div(&norm)?.to_vec2::<f32>()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The installed model, if any; under CI it must be installed.
    pub(crate) fn embedder() -> Option<Embedder> {
        match Embedder::find().unwrap() {
            Some(e) => Some(e),
            None if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("the embedding model is not installed: run scripts/setup.sh")
            }
            None => {
                eprintln!("SKIPPED: the embedding model is not installed (run scripts/setup.sh)");
                None
            }
        }
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_sentences() {
        let Some(e) = embedder() else { return };
        let a = e.embed_query("The model can read an entire code repository at once.").unwrap();
        let b = e.embed_query("Its context window of 128K tokens fits whole software projects.").unwrap();
        let c = e.embed_query("We thank the reviewers for their helpful comments.").unwrap();
        let dot = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>();
        assert!((dot(&a, &a) - 1.0).abs() < 1e-4);
        assert!(dot(&a, &b) > dot(&a, &c) + 0.1, "{} vs {}", dot(&a, &b), dot(&a, &c));
    }

    #[test]
    fn windows_cover_every_token_and_end_at_sentences() {
        let Some(e) = embedder() else { return };
        let text = "Scores rose to 14.8 points on average. ".repeat(40);
        let windows = e.windows(&text).unwrap();
        let all: Vec<u32> = e.tokenizer.encode(text.as_str(), false).unwrap().get_ids().to_vec();
        assert_eq!(windows.concat(), all);
        assert!(windows.len() > 1 && windows.iter().all(|w| w.len() <= WINDOW_TOKENS));
        let dot = e.tokenizer.token_to_id(".").unwrap();
        assert!(windows[..windows.len() - 1].iter().all(|w| *w.last().unwrap() == dot));
    }

    #[test]
    fn batching_does_not_change_a_vector() {
        let Some(e) = embedder() else { return };
        let short = e.windows("A short sentence.").unwrap().remove(0);
        let long = e.windows(&"Much longer text about distillation of reasoning. ".repeat(6)).unwrap().remove(0);
        let alone = e.embed_tokens(std::slice::from_ref(&short)).unwrap().remove(0);
        let padded = e.embed_tokens(&[long, short]).unwrap().remove(1);
        let diff: f32 = alone.iter().zip(&padded).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(diff < 1e-4, "{diff}");
    }
}

#[cfg(test)]
mod reference {
    use candle_transformers::models::bert::{BertModel, Config, HiddenAct, PositionEmbeddingType};

    use super::*;

    /// The forward pass of [`bert`] against candle-transformers' `BertModel` (the reference
    /// implementation, all-MiniLM-L6-v2's `config.json`) on the same windows.
    #[test]
    fn the_forward_pass_gives_candle_transformers_vectors() {
        let Some(e) = tests::embedder() else { return };
        let config = Config {
            vocab_size: 30522,
            hidden_size: DIM,
            num_hidden_layers: 6,
            num_attention_heads: 12,
            intermediate_size: 1536,
            hidden_act: HiddenAct::Gelu,
            hidden_dropout_prob: 0.1,
            max_position_embeddings: 512,
            type_vocab_size: 2,
            initializer_range: 0.02,
            layer_norm_eps: 1e-12,
            pad_token_id: 0,
            position_embedding_type: PositionEmbeddingType::Absolute,
            use_cache: false,
            classifier_dropout: None,
            model_type: Some("bert".into()),
        };
        let weights = find_model().unwrap().join("model.safetensors");
        // SAFETY: the weights file is only read.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &Device::Cpu) }.unwrap();
        let reference = BertModel::load(vb, &config).unwrap();
        let text =
            "DeepSeek-V3 was trained on 14.8T tokens; its multi-token prediction densifies the training signal. \
                    A short one. We thank the reviewers. "
                .repeat(3);
        let windows = e.windows(&text).unwrap();
        let batch: Vec<&Vec<u32>> = windows.iter().collect();
        let (ids, mask) = e.inputs(&batch).unwrap();
        let ours = e.forward(&batch).unwrap();
        let theirs =
            mean_pool(&reference.forward(&ids, &ids.zeros_like().unwrap(), Some(&mask)).unwrap(), &mask).unwrap();
        for (a, b) in ours.iter().zip(&theirs) {
            let cos: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            assert!(cos > 0.99999, "{cos}");
        }
    }
}

#[cfg(test)]
mod speed {
    /// Times embedding (run with `--ignored --nocapture`): windows of real-looking text.
    #[test]
    #[ignore]
    fn embedding_speed() {
        let Some(e) = super::tests::embedder() else { return };
        let text = "We introduce a model that reads long inputs. Training used many tokens and took weeks on a cluster, and results improved on every benchmark we tried, including math and code. ".repeat(3);
        let windows: Vec<Vec<u32>> = (0..64).flat_map(|_| e.windows(&text).unwrap()).collect();
        let tokens: usize = windows.iter().map(|w| w.len() + 2).sum();
        let cpu = || {
            let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            // SAFETY: a valid out-pointer for clock_gettime.
            unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
            t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
        };
        let (c0, w0) = (cpu(), std::time::Instant::now());
        e.embed_tokens(&windows).unwrap();
        eprintln!(
            "{} windows, {tokens} tokens: wall {:.2} s, cpu {:.2} s",
            windows.len(),
            w0.elapsed().as_secs_f64(),
            cpu() - c0
        );
    }
}
