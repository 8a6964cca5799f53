import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { prefs } from './state/settings.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
// the settings first, so the chosen theme is there at the first paint
await prefs.load();
export default mount(App, { target });
