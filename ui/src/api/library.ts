/** Mirrors src-tauri/src/commands/library.rs. */
import { open } from '@tauri-apps/plugin-dialog';
import { call } from './core';
import type {
  DownloadOptions,
  DownloadOutcome,
  ImportFailure,
  ImportOutcome,
  LibraryInfo,
  OcrSummary,
  Paper,
  PaperEdit,
  StoredPage,
} from './types';

export const libraryInfo = () => call<LibraryInfo>('library_info');
export const listPapers = () => call<Paper[]>('list_papers');
export const importFailures = () => call<ImportFailure[]>('import_failures');
export const catchUp = () => call<boolean>('catch_up');
export const importFiles = (paths: string[]) => call<ImportOutcome[]>('import_files', { paths });
export const downloadCatalog = (opts: DownloadOptions) => call<DownloadOutcome[]>('download_catalog', { opts });
export const refresh = () => call<void>('refresh');
export const reindex = () => call<void>('reindex');
export const cancelJob = (job: string) => call<boolean>('cancel_job', { job });
export const runOcr = () => call<OcrSummary>('run_ocr');
export const ocrAvailable = () => call<boolean>('ocr_available');
export const editPaper = (id: string, edit: PaperEdit) => call<Paper>('edit_paper', { id, edit });
export const splitVersion = (sha256: string) => call<Paper>('split_version', { sha256 });
export const mergePapers = (id: string, into: string) => call<Paper>('merge_papers', { id, into });
export const paperText = (paper: string, version?: string | null, page?: number | null) =>
  call<StoredPage[]>('paper_text', { paper, version: version ?? null, page: page ?? null });

/** Asks for PDF files (or, with `folder`, a folder of them); null when the user cancels. */
export async function pickPdfs(folder = false): Promise<string[] | null> {
  const picked = folder
    ? await open({ directory: true, multiple: false, title: 'Import a folder of PDFs' })
    : await open({ multiple: true, title: 'Import PDFs', filters: [{ name: 'PDF', extensions: ['pdf', 'PDF'] }] });
  if (picked === null) return null;
  return Array.isArray(picked) ? picked : [picked];
}
