/**
 * The outbox of the posyandu day: every entry is written to IndexedDB first, then sent. An entry
 * leaves the outbox only when the server accepted it; a conflict or a rejection stays, shown to the
 * user, until they resend or discard it themselves — nothing is dropped silently.
 */
import { ApiError, sendJson } from '../api/client.js';
import type { Bilingual } from '../i18n/i18n.js';
import { withStore } from './idb.js';

export type OutboxStatus = 'pending' | 'conflict' | 'rejected';

export interface OutboxEntry {
  localId: string;
  createdAt: string;
  /** What the entry is, for the list the user sees (e.g. the child's name and date). */
  label: string;
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
  status: OutboxStatus;
  /** The server's reason for a conflict or rejection. */
  message: Bilingual | null;
  attempts: number;
  /** For entries that depend on another (a measurement of a child registered offline). */
  dependsOn?: string;
}

const listeners = new Set<() => void>();

function changed(): void {
  for (const l of listeners) l();
}

/** Subscribes to outbox changes; returns the unsubscribe function. */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** All entries, oldest first. */
export async function listOutbox(): Promise<OutboxEntry[]> {
  const all = await withStore('outbox', 'readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>);
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.localId.localeCompare(b.localId));
}

/** Puts an entry in the outbox (status pending). */
export async function enqueue(entry: Omit<OutboxEntry, 'status' | 'message' | 'attempts' | 'createdAt' | 'localId'> & { localId?: string }): Promise<OutboxEntry> {
  const full: OutboxEntry = {
    localId: entry.localId ?? crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    status: 'pending',
    message: null,
    attempts: 0,
    ...entry,
  } as OutboxEntry;
  await withStore('outbox', 'readwrite', (s) => s.put(full));
  changed();
  return full;
}

async function put(entry: OutboxEntry): Promise<void> {
  await withStore('outbox', 'readwrite', (s) => s.put(entry));
}

async function remove(localId: string): Promise<void> {
  await withStore('outbox', 'readwrite', (s) => s.delete(localId));
}

/** The user discards an entry they have seen (a conflict they resolved another way). */
export async function discard(localId: string): Promise<void> {
  await remove(localId);
  changed();
}

/** The user asks to send a conflicting or rejected entry again. */
export async function retry(localId: string): Promise<void> {
  const all = await listOutbox();
  const e = all.find((x) => x.localId === localId);
  if (!e) return;
  await put({ ...e, status: 'pending', message: null });
  changed();
}

export interface SyncSummary {
  sent: number;
  conflicts: number;
  rejected: number;
  offline: boolean;
}

let syncing: Promise<SyncSummary> | null = null;

/**
 * Sends pending entries in order. A network failure stops the run (entries stay pending); 409 marks
 * a conflict, other 4xx a rejection, both kept with the server's reason. An entry depending on a
 * child registered offline gets that child's server id put into its body first.
 */
export function syncOutbox(onAccepted?: (entry: OutboxEntry, answer: unknown) => void): Promise<SyncSummary> {
  syncing ??= (async () => {
    const summary: SyncSummary = { sent: 0, conflicts: 0, rejected: 0, offline: false };
    const created = new Map<string, number>();
    try {
      for (const entry of await listOutbox()) {
        if (entry.status !== 'pending') continue;
        if (entry.dependsOn) {
          const childId = created.get(entry.dependsOn);
          if (childId === undefined) {
            const all = await listOutbox();
            if (all.some((x) => x.localId === entry.dependsOn)) continue; // parent not sent yet
          } else {
            entry.body = { ...(entry.body as object), childId };
            entry.dependsOn = undefined;
            await put(entry);
          }
        }
        try {
          const answer = await sendJson<unknown>(entry.method, entry.path, entry.body);
          const id = (answer as { id?: unknown; child?: { id?: unknown } } | null)?.id ?? (answer as { child?: { id?: unknown } } | null)?.child?.id;
          if (typeof id === 'number') created.set(entry.localId, id);
          await remove(entry.localId);
          summary.sent++;
          onAccepted?.(entry, answer);
        } catch (e) {
          if (e instanceof ApiError && e.isNetwork) {
            summary.offline = true;
            break;
          }
          if (e instanceof ApiError && (e.status === 401 || e.status >= 500)) {
            await put({ ...entry, attempts: entry.attempts + 1 });
            break;
          }
          const status: OutboxStatus = e instanceof ApiError && e.status === 409 ? 'conflict' : 'rejected';
          if (status === 'conflict') summary.conflicts++;
          else summary.rejected++;
          await put({ ...entry, status, attempts: entry.attempts + 1, message: e instanceof ApiError ? e.bilingual : null });
        }
        changed();
      }
    } finally {
      syncing = null;
      changed();
    }
    return summary;
  })();
  return syncing;
}
