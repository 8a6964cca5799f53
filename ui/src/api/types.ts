/**
 * Types of the values the shell sends, generated from the Rust types by ts-rs into ../bindings
 * (`cargo test -p papertrail-app export_bindings`); never written by hand.
 */
export type { DatePrecision } from '../bindings/DatePrecision';
export type { Version } from '../bindings/Version';
export type { Paper } from '../bindings/Paper';
export type { SearchHit } from '../bindings/SearchHit';
export type { SearchResults } from '../bindings/SearchResults';
export type { SearchOptions } from '../bindings/SearchOptions';
export type { ImportStatus } from '../bindings/ImportStatus';
export type { ImportOutcome } from '../bindings/ImportOutcome';
export type { Event } from '../bindings/Event';
export type { Annotation } from '../bindings/Annotation';
export type { NewAnnotation } from '../bindings/NewAnnotation';
export type { AnnotationEdit } from '../bindings/AnnotationEdit';
export type { AnnotationFilter } from '../bindings/AnnotationFilter';
export type { Claim } from '../bindings/Claim';
export type { ClaimDetail } from '../bindings/ClaimDetail';
export type { ClaimEdit } from '../bindings/ClaimEdit';
export type { NewClaim } from '../bindings/NewClaim';
export type { Evidence } from '../bindings/Evidence';
export type { EvidenceCounts } from '../bindings/EvidenceCounts';
export type { Verdict } from '../bindings/Verdict';
export type { Stance } from '../bindings/Stance';
export type { UnresolvedLocator } from '../bindings/UnresolvedLocator';
export type { Suggestion } from '../bindings/Suggestion';
export type { TimelineEntry } from '../bindings/TimelineEntry';
export type { MilestoneKind } from '../bindings/MilestoneKind';
export type { DownloadOptions } from '../bindings/DownloadOptions';
export type { DownloadOutcome } from '../bindings/DownloadOutcome';
export type { ExportOptions } from '../bindings/ExportOptions';
export type { ExportSummary } from '../bindings/ExportSummary';
export type { BundleImportReport } from '../bindings/BundleImportReport';
export type { CitationStyle } from '../bindings/CitationStyle';
export type { LibraryInfo } from '../bindings/LibraryInfo';
export type { ImportFailure } from '../bindings/ImportFailure';
export type { CommandError } from '../bindings/CommandError';
export type { PaperEdit } from '../bindings/PaperEdit';
export type { OcrSummary } from '../bindings/OcrSummary';
export type { StoredPage } from '../bindings/StoredPage';
export type { PageSource } from '../bindings/PageSource';
export type { TextLayer } from '../bindings/TextLayer';
export type { OcrState } from '../bindings/OcrState';
export type { PageProblem } from '../bindings/PageProblem';
