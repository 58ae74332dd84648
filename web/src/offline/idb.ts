/** A tiny promise wrapper over IndexedDB: one database, two stores (outbox, cache). */
const DB_NAME = 'tumbuh';
const DB_VERSION = 1;

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'localId' });
      if (!db.objectStoreNames.contains('cache')) db.createObjectStore('cache');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs one request against a store. */
export async function withStore<T>(store: 'outbox' | 'cache', mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  const tx = db.transaction(store, mode);
  const result = await done(run(tx.objectStore(store)));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

/** Reads a cached API answer (for offline starts). */
export function cacheGet<T>(key: string): Promise<T | undefined> {
  return withStore('cache', 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
}

/** Stores an API answer for offline use. */
export async function cachePut(key: string, value: unknown): Promise<void> {
  await withStore('cache', 'readwrite', (s) => s.put(value, key));
}
