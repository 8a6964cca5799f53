/** Citation bundles: mirrors src-tauri/src/commands/bundle.rs. */
import { open, save } from '@tauri-apps/plugin-dialog';
import { call } from './core';
import type { BundleImportReport, ExportOptions, ExportSummary, VerifyReport } from './types';

/** Job `export`: progress in the status line, cancellable; a cancelled export leaves no file. */
export const exportBundle = (opts: ExportOptions, path: string) => call<ExportSummary>('export_bundle', { opts, path });
/** Job `bundle`: a cancelled import stores none of the bundle's claims, passages or links. */
export const importBundle = (path: string) => call<BundleImportReport>('import_bundle', { path });
/** Job `verify`: every passage checked against the PDF it names; changes nothing. */
export const verifyBundle = (path: string) => call<VerifyReport>('verify_bundle', { path });

export async function pickSavePath(): Promise<string | null> {
  return save({ title: 'Export citation bundle', defaultPath: 'papertrail-bundle.zip', filters: [{ name: 'Citation bundle', extensions: ['zip'] }] });
}

export async function pickBundle(title = 'Import a citation bundle'): Promise<string | null> {
  const p = await open({ title, multiple: false, filters: [{ name: 'Citation bundle', extensions: ['zip'] }] });
  return typeof p === 'string' ? p : null;
}
