/**
 * The user's settings as the window holds them: loaded from the shell at start (before the first
 * paint, so the theme never flashes), changed here and written through at once.
 */
import { toAppError } from '../api/core';
import * as api from '../api/settings';
import type { Settings, Theme } from '../api/settings';
import type { CatalogInfo } from '../bindings/CatalogInfo';
import { applyTheme } from '../lib/theme';

/** Where the mirror URL was kept before settings.json; moved over once. */
const OLD_MIRROR_KEY = 'papertrail.mirror';

class SettingsStore {
  settings = $state<Settings>({ theme: 'system', mirror: '', catalog: null });
  /** The folder the settings are kept in. */
  folder = $state('');
  /** Sentences to show once at start (a settings file that could not be read, …). */
  notices = $state<string[]>([]);
  loaded = $state(false);

  async load() {
    try {
      const info = await api.settings();
      this.settings = info.settings;
      this.folder = info.folder;
      this.notices = info.notices;
      applyTheme(this.settings.theme);
      const old = localStorage.getItem(OLD_MIRROR_KEY);
      if (old !== null) {
        if (!this.settings.mirror && old.trim()) await this.save({ mirror: old });
        localStorage.removeItem(OLD_MIRROR_KEY);
      }
    } catch (e) {
      this.notices = [`The settings could not be loaded: ${toAppError(e).message} Papertrail uses the defaults.`];
    } finally {
      this.loaded = true;
    }
  }

  /** Changes some settings; the theme applies at once, and on a failed save it goes back. */
  async save(change: Partial<Omit<Settings, 'catalog'>>) {
    const before = this.settings;
    this.settings = { ...before, ...change };
    applyTheme(this.settings.theme);
    try {
      this.settings = await api.saveSettings(this.settings);
    } catch (e) {
      this.settings = before;
      applyTheme(before.theme);
      throw toAppError(e);
    }
  }

  setTheme(theme: Theme) {
    return this.save({ theme });
  }

  /** Opens the library with the catalog file at `path` (null: the bundled catalog). */
  async chooseCatalog(path: string | null): Promise<CatalogInfo> {
    const info = await api.chooseCatalog(path);
    this.settings = { ...this.settings, catalog: path };
    return info;
  }
}

export const prefs = new SettingsStore();
