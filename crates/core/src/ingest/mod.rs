//! From a PDF file to stored pages and passages: import, the isolated extraction worker,
//! pdf-extract with its font preparation, normalization, passages and metadata.

pub mod extract;
mod fonts;
pub mod identify;
pub mod import;
pub mod layout;
pub mod metadata;
pub mod normalize;
pub mod ocr;
pub mod pages;
pub mod passage;
pub mod quality;
pub mod repair;
mod type1;
pub mod worker;
