/** Citation bundles: mirrors src-tauri/src/commands/bundle.rs. */
import { open, save } from '@tauri-apps/plugin-dialog';
import { call } from './core';
import type { BundleImportReport, ExportOptions, ExportSummary } from './types';

export const exportBundle = (opts: ExportOptions, path: string) => call<ExportSummary>('export_bundle', { opts, path });
export const importBundle = (path: string) => call<BundleImportReport>('import_bundle', { path });

export async function pickSavePath(): Promise<string | null> {
  return save({ title: 'Export citation bundle', defaultPath: 'papertrail-bundle.zip', filters: [{ name: 'Citation bundle', extensions: ['zip'] }] });
}

export async function pickBundle(): Promise<string | null> {
  const p = await open({ title: 'Import a citation bundle', multiple: false, filters: [{ name: 'Citation bundle', extensions: ['zip'] }] });
  return typeof p === 'string' ? p : null;
}
