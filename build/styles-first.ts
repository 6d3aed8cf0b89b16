import type { Plugin } from 'vite';

/**
 * Vite writes an entry's module script and modulepreloads before its stylesheets. The browser then
 * asks for the scripts first, and the page cannot paint until its stylesheets arrive; putting the
 * stylesheets first lets the popup's heading paint while the scripts load (issue 7: popup first
 * paint against a blank page).
 */
export function stylesFirst(): Plugin {
  return {
    name: 'infisical-connect:styles-first',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const links = html.match(/<link rel="stylesheet"[^>]*>\s*/g) ?? [];
        if (links.length === 0) return html;
        let out = html;
        for (const link of links) out = out.replace(link, '');
        return out.replace(/(<head>\s*(?:<meta[^>]*>\s*|<title>[^<]*<\/title>\s*)*)/, `$1${links.join('')}`);
      },
    },
  };
}
