//! The story around the papers: the catalog, its locators, the timeline and downloads of the
//! catalog's papers.

pub mod catalog;
pub mod download;
pub(crate) mod locator;
pub mod timeline;
