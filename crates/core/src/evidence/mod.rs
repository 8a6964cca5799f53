//! What a user makes of passages: annotations and their anchors, claims with evidence and
//! verdicts, and suggested passages for a claim.

pub mod anchor;
pub mod annotation;
pub mod claims;
pub mod deleted;
pub mod suggest;
