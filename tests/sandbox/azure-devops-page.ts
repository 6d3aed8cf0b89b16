// A stand-in for Azure DevOps' web UI, enough for the content script's end-to-end tests: the same
// layout regions (a header bar with the org/project breadcrumb and its own buttons, a left
// navigation, the hub content) and in-page navigation through history.pushState, which rebuilds the
// header as Azure DevOps' single-page app does. Test infrastructure only.
import { escapeHtml } from './http.ts';

interface OrgLike {
  name: string;
  projects: readonly { name: string }[];
}

export function azureDevOpsPage(org: OrgLike): string {
  const data = JSON.stringify({ org: org.name, projects: org.projects.map((p) => p.name) }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(org.name)} - Azure DevOps</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;color:#222}
.region-header{display:flex;justify-content:space-between;align-items:center;height:48px;padding:0 16px;border-bottom:1px solid #ddd;background:#fff}
.header-left{display:flex;align-items:center;gap:8px}
.header-right button{margin-left:8px}
.main-container{display:flex}
.navigation-container{width:220px;border-right:1px solid #ddd;min-height:80vh;padding:8px}
.navigation-container a{display:block;padding:6px}
#content{padding:16px;flex:1}
</style></head><body>
<div class="region-header" role="banner"></div>
<div class="main-container">
  <nav class="navigation-container" aria-label="Projects"></nav>
  <main id="content"></main>
</div>
<script>
const data = ${data};
function render() {
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const project = parts[1] && !parts[1].startsWith('_') ? parts[1] : null;
  // Azure DevOps rebuilds the header on every in-page navigation.
  const header = document.querySelector('.region-header');
  header.innerHTML = '';
  const left = document.createElement('div');
  left.className = 'header-left';
  left.innerHTML = '<nav class="bolt-breadcrumb" aria-label="Breadcrumb"><a href="/' + encodeURIComponent(data.org) + '">' + data.org + '</a>' + (project ? ' / <span class="project-name">' + project + '</span>' : '') + '</nav>';
  const right = document.createElement('div');
  right.className = 'header-right';
  right.innerHTML = '<button type="button" id="ado-search" aria-label="Search">Search</button><button type="button" id="ado-settings" aria-label="User settings">Settings</button>';
  header.append(left, right);
  document.querySelector('.navigation-container').innerHTML = data.projects.map((p) => '<a data-spa href="/' + encodeURIComponent(data.org) + '/' + encodeURIComponent(p) + '">' + p + '</a>').join('');
  document.querySelector('#content').innerHTML = project ? '<h1 id="hub-title">' + project + ' overview</h1>' : '<h1 id="hub-title">Projects</h1>';
  document.title = (project ?? data.org) + ' - Azure DevOps';
}
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-spa], .bolt-breadcrumb a');
  if (!a) return;
  e.preventDefault();
  history.pushState({}, '', a.getAttribute('href'));
  render();
});
addEventListener('popstate', render);
render();
</script></body></html>`;
}
