// Starts the engine's Web Worker (spawned by the page: src/app/root.rs). The worker runs the
// app's own wasm, the one the page runs (src/bin/app.rs serves requests when started in a
// worker), so the browser downloads it once: this fetch is answered from its cache. The page
// passes the hashed names of the wasm and its JS glue in this script's query (`?js=…&wasm=…`),
// as Trunk wrote them into index.html. A classic worker (gloo starts it): the glue, an ES
// module, comes in through `import()`.
const query = new URLSearchParams(self.location.search);
const at = (name) => new URL(query.get(name), self.location.href).href;
import(at('js')).then(({ default: init }) => init({ module_or_path: at('wasm') }));
