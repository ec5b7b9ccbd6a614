/**
 * Fetches something from the API and fetches it again whenever a relevant
 * commit is announced. The previous data stays on screen until the new data
 * arrives (no flicker, no layout jump); refreshes that pile up while one is in
 * flight collapse into one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ChangeEvent } from '../../shared/api/contract.js';
import { useApi } from '../app/api-context';

export interface LiveQuery<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** Nothing to show yet for this key. */
  loading: boolean;
  /** The data shown belongs to an earlier key (a new one is on its way). */
  stale: boolean;
  refresh(): void;
}

export interface LiveQueryOptions {
  /** Collections whose changes matter; a change to any other is ignored. Omit to refresh on every commit. */
  collections?: readonly string[];
  enabled?: boolean;
}

interface State<T> {
  key: string;
  data: T | undefined;
  error: ApiError | undefined;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({ code: 'internal', description: err instanceof Error ? err.message : String(err) });
}

export function isRelevant(event: ChangeEvent, collections: readonly string[] | undefined): boolean {
  if (!collections || event.changes.length === 0) return true;
  return event.changes.some((c) => collections.includes(c.collection));
}

export function useLiveQuery<T>(key: string, fetcher: () => Promise<T>, options: LiveQueryOptions = {}): LiveQuery<T> {
  const api = useApi();
  const enabled = options.enabled ?? true;
  const [state, setState] = useState<State<T>>({ key: '', data: undefined, error: undefined });
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const collectionsRef = useRef(options.collections);
  collectionsRef.current = options.collections;
  const control = useRef({ key, inFlight: false, dirty: false, alive: true });

  const run = useCallback(() => {
    const c = control.current;
    if (c.inFlight) {
      c.dirty = true;
      return;
    }
    c.inFlight = true;
    c.dirty = false;
    const forKey = c.key;
    fetcherRef.current().then(
      (data) => {
        if (c.alive && c.key === forKey) setState({ key: forKey, data, error: undefined });
      },
      (err: unknown) => {
        if (c.alive && c.key === forKey) setState((s) => ({ key: forKey, data: s.key === forKey ? s.data : undefined, error: toApiError(err) }));
      },
    ).finally(() => {
      c.inFlight = false;
      if (c.alive && (c.dirty || c.key !== forKey)) run();
    });
  }, []);

  useEffect(() => {
    const c = control.current;
    c.alive = true;
    c.key = key;
    if (enabled) run();
    return () => {
      // keep alive across key changes; the unmount effect below clears it
    };
  }, [key, enabled, run]);

  useEffect(() => {
    const c = control.current;
    c.alive = true;
    const off = api.onChanges((event) => {
      if (isRelevant(event, collectionsRef.current)) run();
    });
    return () => {
      c.alive = false;
      off();
    };
  }, [api, run]);

  const fresh = state.key === key;
  return {
    data: state.data,
    error: fresh ? state.error : undefined,
    loading: enabled && state.data === undefined && !(fresh && state.error),
    stale: !fresh,
    refresh: run,
  };
}
