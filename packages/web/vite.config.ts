/**
 * The page builds to one self-contained `dist/index.html`: its script (with the Web Worker inside it, as a string
 * started from a blob: URL) and its style are inlined, so the file opens from disk (`file://`, where Chromium loads no
 * module script from another file) as well as from any static host. The Content-Security-Policy names the inlined
 * script and style by their SHA-256 and allows nothing to be fetched: no `connect-src`, no images but `data:`, no
 * fonts, no frames, no forms.
 */
import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';

/** `'sha256-…'` of a script or style as the browser hashes it: the exact text between its tags. */
function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Inline text cannot contain what would end its element early (`</script`, `</style`) or turn the HTML tokenizer's
 * script state into its escaped state (`<!--`). In JavaScript these only occur inside string, template or regular
 * expression literals, where a backslash before `/` or `!` means the same character.
 */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  const end = new RegExp(`</(${tag})`, 'gi');
  return tag === 'script' ? text.replace(end, '<\\/$1').replace(/<!--/g, '<\\!--') : text.replace(end, '<\\/$1');
}

/** The policy of the built page (see the module comment). `worker-src blob:` is the inlined worker. */
export function contentSecurityPolicy(scripts: readonly string[], styles: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(hashSource).join(' ')}`,
    `style-src ${styles.map(hashSource).join(' ')}`,
    'img-src data:',
    'worker-src blob:',
    "connect-src 'none'",
    "font-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Inlines the built script and style into index.html and adds the policy (build only: the dev server needs its own). */
function singleFile(): Plugin {
  return {
    name: 'oaklog:single-file',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (bundle === undefined) return html;
        const scripts: string[] = [];
        const styles: string[] = [];
        let out = html;
        for (const [name, file] of Object.entries(bundle)) {
          if (file.type === 'chunk' && file.isEntry) {
            const code = inlineSafe(file.code, 'script');
            const tag = new RegExp(`<script type="module"[^>]*src="[^"]*${escapeRegExp(name)}"[^>]*></script>`);
            if (!tag.test(out)) throw new Error(`single-file: no script tag for ${name}`);
            // A function as replacement: `$` in the code must not be read as a replacement pattern.
            out = out.replace(tag, () => `<script type="module">${code}</script>`);
            scripts.push(code);
            delete bundle[name];
          } else if (file.type === 'asset' && name.endsWith('.css')) {
            const css = inlineSafe(String(file.source), 'style');
            const tag = new RegExp(`<link rel="stylesheet"[^>]*href="[^"]*${escapeRegExp(name)}"[^>]*>`);
            if (!tag.test(out)) throw new Error(`single-file: no stylesheet link for ${name}`);
            out = out.replace(tag, () => `<style>${css}</style>`);
            styles.push(css);
            delete bundle[name];
          }
        }
        const leftover = Object.keys(bundle).filter((n) => n !== 'index.html');
        if (leftover.length > 0) throw new Error(`single-file: not inlined: ${leftover.join(', ')}`);
        const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts, styles)}">`;
        return out.replace(/<head>/, () => `<head>\n    ${meta}`);
      },
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export default defineConfig({
  base: './',
  plugins: [singleFile()],
  worker: { format: 'iife' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: Number.POSITIVE_INFINITY,
    modulePreload: false,
    cssCodeSplit: false,
    reportCompressedSize: false,
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
