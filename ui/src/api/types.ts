/**
 * Types of the values the shell sends. The core's records are generated from Rust by ts-rs
 * into ../bindings (see src-tauri/tests/bindings.rs); this file re-exports them and adds the
 * shell's own.
 */
export type { DatePrecision } from '../bindings/DatePrecision';
export type { Version } from '../bindings/Version';
export type { Paper } from '../bindings/Paper';
export type { SearchHit } from '../bindings/SearchHit';
export type { SearchResults } from '../bindings/SearchResults';
export type { ImportStatus } from '../bindings/ImportStatus';
export type { ImportOutcome } from '../bindings/ImportOutcome';
export type { SearchOptions } from '../bindings/SearchOptions';
export type { LibraryInfo } from '../bindings/LibraryInfo';
export type { CommandError } from '../bindings/CommandError';
export type { ImportFailure } from '../bindings/ImportFailure';
