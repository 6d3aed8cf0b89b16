import type { Plugin } from 'vite';

/**
 * The pages' stylesheets go into their HTML as `<style>`, at the top of `<head>` (docs/performance.md: popup
 * first paint against a blank page). A linked stylesheet blocks the first paint until it has been
 * fetched, and Vite writes it after the module script and its preloads, which the browser then
 * asks for first; inlined, the popup's heading paints as soon as the HTML is parsed (first
 * contentful paint 24–28 ms after a blank page's, then 6). The pages' CSP restricts scripts only,
 * so inline styles are allowed. A stylesheet the bundle does not hold stays a link, moved first.
 */
export function inlineStyles(): Plugin {
  return {
    name: 'infisical-connect:inline-styles',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const links = [...html.matchAll(/<link rel="stylesheet"[^>]*\bhref="\/?([^"]+)"[^>]*>\s*/g)];
        if (links.length === 0) return html;
        let out = html;
        let head = '';
        for (const [tag, file] of links) {
          const asset = ctx.bundle?.[file!];
          const css = asset?.type === 'asset' ? String(asset.source) : null;
          if (css?.toLowerCase().includes('</style')) throw new Error(`inline-styles: ${file} contains "</style", which would end the <style> early`);
          head += css === null ? tag : `<style>${css}</style>\n    `;
          out = out.replace(tag, () => '');
        }
        const top = /<head>\s*(?:<meta[^>]*>\s*|<title>[^<]*<\/title>\s*)*/;
        if (!top.test(out)) throw new Error(`inline-styles: no bare <head> in ${ctx.filename}, so its styles have nowhere to go`);
        return out.replace(top, (start) => start + head);
      },
    },
  };
}
