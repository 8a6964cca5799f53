//! From a PDF file to stored pages and passages: import, the isolated extraction worker,
//! pdf-extract with its font preparation, normalization, passages and metadata.

pub mod extract;
mod fonts;
pub mod import;
pub mod metadata;
pub mod normalize;
pub mod passage;
pub mod worker;
