import { render } from 'preact';
import '@/components/styles.css';
import '@/components/connections.css';
import './options.css';
import { PopupConnections } from '../popup/Connections';
import { App } from './App';

// `options.html?list` is the popup's list of connections, opened in the popup's window
// (entrypoints/popup/Connections.tsx); otherwise the settings.
const list = new URLSearchParams(location.search).has('list');
if (list) {
  document.documentElement.dataset.view = 'popup';
  document.title = 'Infisical Connect — connections';
}
render(list ? <PopupConnections /> : <App />, document.getElementById('app')!);
