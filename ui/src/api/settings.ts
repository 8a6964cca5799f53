/** Settings: mirrors src-tauri/src/commands/settings.rs. */
import { open } from '@tauri-apps/plugin-dialog';
import { call } from './core';
import type { CatalogInfo } from '../bindings/CatalogInfo';
import type { Settings } from '../bindings/Settings';
import type { SettingsInfo } from '../bindings/SettingsInfo';

export type { Settings } from '../bindings/Settings';
export type { SettingsInfo } from '../bindings/SettingsInfo';
export type { Theme } from '../bindings/Theme';

/** The settings in force, where they are kept, and notices about them (handed out once). */
export const settings = () => call<SettingsInfo>('settings');
/** Keeps the theme and the mirror; the catalog changes only through `chooseCatalog`. */
export const saveSettings = (next: Settings) => call<Settings>('save_settings', { new: next });
/** Opens the library with the catalog TOML file at `path` (null: the bundled one) and keeps the choice. */
export const chooseCatalog = (path: string | null) => call<CatalogInfo>('choose_catalog', { path });

/** Asks for a catalog TOML file; null when the user cancels. */
export async function pickCatalogFile(): Promise<string | null> {
  const picked = await open({ multiple: false, title: 'Choose a catalog', filters: [{ name: 'Catalog (TOML)', extensions: ['toml'] }] });
  return Array.isArray(picked) ? (picked[0] ?? null) : picked;
}
