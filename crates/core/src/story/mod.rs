//! The story around the papers: the catalog, its locators, the timeline, downloads of the
//! catalog's papers, and the reference lists and citations that link papers.

pub mod catalog;
pub mod citations;
pub mod download;
pub(crate) mod locator;
pub mod references;
pub mod timeline;
