//! Finding passages: the tantivy index and its tokenizer, the query language, ranked search
//! in two passes and snippets.

pub mod embed;
pub mod index;
pub mod pairs;
pub mod query;
pub mod ranked;
pub mod semantic;
pub mod snippet;
pub mod tokenizer;
pub mod vectors;
