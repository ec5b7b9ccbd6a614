/**
 * The ledger: every committed transaction, newest first — its time, origin
 * and what ran; expanded, each document it created, changed (fields before →
 * after) or deleted. Filter by collection or document; load more; new
 * commits appear at the top as they happen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LedgerEntry, LedgerWrite } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { Badge } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { EmptyState } from '../../components/EmptyState';
import { FieldDiff } from '../../components/FieldDiff';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { docHref } from '../../lib/doc-links';
import { date } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { toApiError, useLiveQuery } from '../../lib/use-live-query';
import { compareTs, diffFields, fieldsOf, parseWire } from '../../lib/wire';
import { href, navigate, type Route } from '../../state/router';

const LIMIT = 50;

interface Loaded {
  key: string;
  entries: LedgerEntry[];
  next: string | null;
}

export function LedgerScreen({ route }: { route: Route }) {
  const api = useApi();
  const collection = route.params.get('collection') ?? '';
  const docParam = route.params.get('doc') ?? '';
  const [docText, setDocText] = useState(docParam);
  const doc = useDebounced(docText.trim(), 300);
  const docValid = doc === '' || /^\d{1,19}$/.test(doc);
  const schema = useLiveQuery('schema', () => api.call('schema.describe', {}));
  const key = `${collection}|${docValid ? doc : ''}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const keyRef = useRef(key);
  keyRef.current = key;
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  const args = useCallback(
    (before?: string) => ({ limit: LIMIT, ...(collection ? { collection } : {}), ...(docValid && doc ? { documentId: doc } : {}), ...(before ? { before } : {}) }),
    [collection, doc, docValid],
  );

  useEffect(() => {
    if ((route.params.get('doc') ?? '') !== (docValid ? doc : '')) navigate(href('ledger', null, { collection: collection || undefined, doc: (docValid && doc) || undefined }), { replace: true });
  }, [doc]);

  // First page for these filters.
  useEffect(() => {
    let cancelled = false;
    api.call('ledger.list', args()).then(
      (r) => {
        if (cancelled) return;
        setLoaded({ key, entries: r.entries, next: r.next });
        setError(null);
      },
      (err) => !cancelled && setError(toApiError(err).message),
    );
    return () => {
      cancelled = true;
    };
  }, [api, key, args]);

  // New commits: fetch the head and put what is new on top.
  useEffect(() => {
    let busy = false;
    let again = false;
    const pull = () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      const forKey = keyRef.current;
      api
        .call('ledger.list', args())
        .then((r) => {
          if (keyRef.current !== forKey) return;
          const prev = loadedRef.current;
          if (!prev || prev.key !== forKey) {
            loadedRef.current = { key: forKey, entries: r.entries, next: r.next };
            setLoaded(loadedRef.current);
            return;
          }
          const newest = prev.entries[0]?.ts;
          const added = newest ? r.entries.filter((e) => compareTs(e.ts, newest) > 0) : r.entries;
          if (added.length === 0) return;
          setFresh(new Set(added.map((e) => e.ts)));
          loadedRef.current = { ...prev, entries: [...added, ...prev.entries] };
          setLoaded(loadedRef.current);
        }, () => {})
        .finally(() => {
          busy = false;
          if (again) {
            again = false;
            pull();
          }
        });
    };
    return api.onChanges(pull);
  }, [api, args]);

  const loadMore = async () => {
    if (!loaded?.next || loadingMore) return;
    setLoadingMore(true);
    try {
      const r = await api.call('ledger.list', args(loaded.next));
      setLoaded((prev) => (prev && prev.key === key ? { ...prev, entries: [...prev.entries, ...r.entries.filter((e) => !prev.entries.some((p) => p.ts === e.ts))], next: r.next } : prev));
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setLoadingMore(false);
    }
  };

  const entries = loaded?.key === key ? loaded.entries : loaded?.entries;
  const filtered = !!(collection || doc);
  return (
    <Page title="Ledger" subtitle="Every committed transaction, newest first.">
      <div className="card card-flush">
        <div className="filters" role="search">
          <label className="filter-select">
            <span className="visually-hidden">Collection</span>
            <select className="input select" aria-label="Filter by collection" value={collection} onChange={(e) => navigate(href('ledger', null, { collection: e.target.value || undefined, doc: doc || undefined }), { replace: true })}>
              <option value="">All collections</option>
              {schema.data?.collections.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="search-box doc-filter">
            <Icon name="search" size={16} />
            <span className="visually-hidden">Document id</span>
            <input className="input" placeholder="Document id, e.g. 201" inputMode="numeric" value={docText} onChange={(e) => setDocText(e.target.value)} aria-invalid={!docValid} />
          </label>
          {!docValid && <span className="field-error">A document id is digits only.</span>}
          {filtered && (
            <button type="button" className="btn btn-plain" onClick={() => { setDocText(''); navigate(href('ledger'), { replace: true }); }}>
              Clear filters
            </button>
          )}
        </div>
        {error && <Banner title="The ledger could not be loaded">{error}</Banner>}
        {!entries && !error && (
          <div className="ledger-list">
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className="ledger-entry skeleton-row">
                <span className="skeleton" />
              </div>
            ))}
          </div>
        )}
        {entries && entries.length === 0 && (
          <EmptyState icon="ledger" title={filtered ? 'No transactions match' : 'No transactions yet'}>
            {filtered ? 'Nothing was written to this collection or document yet.' : 'Changes you make anywhere in the app appear here.'}
          </EmptyState>
        )}
        {entries && entries.length > 0 && (
          <ol className={loaded?.key === key ? 'ledger-list' : 'ledger-list is-stale'} data-testid="ledger-list">
            {entries.map((e) => (
              <LedgerRow key={e.ts} entry={e} isNew={fresh.has(e.ts)} />
            ))}
          </ol>
        )}
        {loaded?.next && loaded.key === key && (
          <div className="load-more">
            <button type="button" className="btn" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load older transactions'}
            </button>
          </div>
        )}
      </div>
    </Page>
  );
}

function summarize(writes: LedgerWrite[]): string {
  const n = { create: 0, update: 0, delete: 0 };
  for (const w of writes) n[w.action]++;
  const parts = [];
  if (n.create) parts.push(`${n.create} created`);
  if (n.update) parts.push(`${n.update} changed`);
  if (n.delete) parts.push(`${n.delete} deleted`);
  return parts.join(' · ') || 'no writes';
}

function LedgerRow({ entry, isNew }: { entry: LedgerEntry; isNew: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <li className={isNew ? 'ledger-entry flash' : 'ledger-entry'} data-testid="ledger-entry">
      <button type="button" className="ledger-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={16} />
        <span className="ledger-time">{date(entry.time, { seconds: true })}</span>
        <Badge tone="neutral">{entry.origin}</Badge>
        <code className="ledger-query">{entry.query}</code>
        <span className="ledger-summary muted small">{summarize(entry.writes)}</span>
      </button>
      {open && (
        <div className="ledger-body">
          <pre className="ledger-query-full">{entry.query}</pre>
          <ul className="ledger-writes">
            {entry.writes.map((w, i) => (
              <WriteView key={i} write={w} />
            ))}
          </ul>
          <div className="muted small">Transaction time {entry.ts} µs</div>
        </div>
      )}
    </li>
  );
}

const actionLabel = { create: 'Created', update: 'Changed', delete: 'Deleted' } as const;
const actionTone = { create: 'success', update: 'info', delete: 'critical' } as const;

function WriteView({ write: w }: { write: LedgerWrite }) {
  const before = fieldsOf(parseWire(w.before));
  const after = fieldsOf(parseWire(w.after));
  const changes = w.action === 'update' ? diffFields(before, after, w.changedFields) : w.action === 'create' ? diffFields(null, after) : diffFields(before, null);
  const link = docHref(w.collection, w.id);
  return (
    <li className="ledger-write">
      <div className="ledger-write-head">
        <Badge tone={actionTone[w.action]}>{actionLabel[w.action]}</Badge>
        {link ? <a href={link}>{`${w.collection}/${w.id}`}</a> : <code>{`${w.collection}/${w.id}`}</code>}
        <a className="muted small" href={href('ledger', null, { collection: w.collection, doc: w.id })}>
          this document's history
        </a>
      </div>
      <FieldDiff changes={changes} mode={w.action} />
    </li>
  );
}
