// What this browser keeps when the admin asks it to ("Keep in this browser" on the Load exports
// screen): the files given and the edited set-up, in IndexedDB, on this computer only. Nothing
// is ever sent anywhere. Two records: the files (written when the files change) and the
// set-up (written on every edit, so that an edit does not copy the files again). Used by
// `io.rs` in the page.

const DB = 'syncplan';
const STORE = 'kept';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** One read-write transaction on the store: `change(store)`, then wait until it is written. */
async function write(change) {
  const db = await open();
  try {
    const tx = db.transaction(STORE, 'readwrite');
    change(tx.objectStore(STORE));
    await new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Keep the files: `[{ name, data }]`, each `data` a `Blob` (a `File`) or a `Uint8Array`. */
export function keepFiles(files) {
  const kept = files.map(({ name, data }) => ({ name, blob: data instanceof Blob ? data : new Blob([data]) }));
  return write((store) => store.put({ files: kept, saved: Date.now() }, 'files'));
}

/** Keep the edited set-up (its `syncplan.json` text), or `null`: the files' own. */
export function keepScenario(json) {
  return write((store) => store.put({ json, saved: Date.now() }, 'scenario'));
}

/** What is kept: `{ files: [{ name, blob }], scenario: string | null, saved: ms }`, or `null`. */
export async function keptSession() {
  const db = await open();
  try {
    const tx = db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const get = (key) => new Promise((resolve, reject) => {
      const req = store.get(key);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const [files, scenario] = [await get('files'), await get('scenario')];
    if (!files || files.files.length === 0) return null;
    return {
      files: files.files,
      scenario: scenario?.json ?? null,
      saved: Math.max(files.saved, scenario?.saved ?? 0),
    };
  } finally {
    db.close();
  }
}

/** Forget everything kept. */
export function forget() {
  return write((store) => store.clear());
}
