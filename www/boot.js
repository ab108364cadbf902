// Starts the app. A file of its own (not an inline script) so that the Content-Security-Policy
// can allow scripts from this origin only: `script-src 'self' 'wasm-unsafe-eval'`.
// Trunk writes the hashed file names into this script tag's data attributes (Trunk.toml,
// `pattern_script`).
const tag = document.querySelector('script[data-syncplan-js]');
const base = document.baseURI;
const { default: init } = await import(new URL(tag.dataset.syncplanJs, base).href);
await init({ module_or_path: new URL(tag.dataset.syncplanWasm, base).href });
