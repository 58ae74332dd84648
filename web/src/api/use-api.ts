import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, getJson } from './client.js';

export interface ApiState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Loads `GET path` (null path = wait) and reloads when the path or query changes. */
export function useApi<T>(path: string | null, query?: Query): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  const queryRef = useRef(query);
  queryRef.current = query;
  useEffect(() => {
    if (key === null || path === null) return;
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    getJson<T>(path, queryRef.current, ctl.signal)
      .then((d) => {
        setData(d);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'unknown', null, String(e)));
        setLoading(false);
      });
    return () => ctl.abort();
  }, [key, path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
