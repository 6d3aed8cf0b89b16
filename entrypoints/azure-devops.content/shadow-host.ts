/**
 * The control's host element and the closed shadow root it renders into: the page's styles and
 * scripts cannot reach inside, and keys typed inside never reach Azure DevOps' keyboard shortcuts.
 * Plain DOM rather than WXT's createShadowRootUi, whose auto-mount (never used here: index.ts
 * re-mounts on its own) cannot be tree-shaken and cost the content script its size budget
 * (docs/performance.md "The content script without WXT's UI helpers").
 */
export function createShadowHost(name: string, css: string): { host: HTMLElement; container: HTMLDivElement } {
  const host = document.createElement(name);
  const shadow = host.attachShadow({ mode: 'closed' });
  const sheet = document.createElement('style');
  // The reset createShadowRootUi put first, kept so the host renders as it did. Being !important,
  // it also wins over the `:host` rule of style.css.
  sheet.textContent = `:host{all:initial !important;}\n${css}`;
  const container = document.createElement('div');
  shadow.append(sheet, container);
  for (const type of ['keydown', 'keyup', 'keypress']) shadow.addEventListener(type, (event) => event.stopPropagation());
  return { host, container };
}
