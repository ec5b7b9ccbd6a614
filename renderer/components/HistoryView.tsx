/** A document's versions (history.of), newest first, each with what changed. */
import { useState } from 'react';
import type { HistoryEvent } from '../../shared/api/contract.js';
import { useApi } from '../app/api-context';
import { date } from '../lib/format';
import { useLiveQuery } from '../lib/use-live-query';
import { compareTs, diffFields, fieldsOf, parseWire } from '../lib/wire';
import { Badge } from './Badge';
import { FieldDiff } from './FieldDiff';
import { Icon } from './Icon';

const actionLabel = { create: 'Created', update: 'Changed', delete: 'Deleted' } as const;
const actionTone = { create: 'success', update: 'info', delete: 'critical' } as const;

export function HistoryView({ collection, id }: { collection: string; id: string }) {
  const api = useApi();
  const q = useLiveQuery(`history/${collection}/${id}`, () => api.call('history.of', { collection, id }), { collections: [collection] });
  if (q.error) return <p className="muted">History is not available: {q.error.message}</p>;
  if (!q.data) return <p className="muted">Loading history…</p>;
  const events = [...q.data].sort((a, b) => compareTs(a.ts, b.ts));
  const withPrev = events.map((e, i) => ({ e, prev: i > 0 ? events[i - 1]! : null })).reverse();
  if (withPrev.length === 0) return <p className="muted">No recorded versions.</p>;
  return (
    <ol className="history-list" aria-label="History">
      {withPrev.map(({ e, prev }) => (
        <HistoryItem key={`${e.ts}-${e.action}`} event={e} previous={prev} />
      ))}
    </ol>
  );
}

function HistoryItem({ event, previous }: { event: HistoryEvent; previous: HistoryEvent | null }) {
  const [open, setOpen] = useState(false);
  const after = fieldsOf(parseWire(event.data));
  const before = previous ? fieldsOf(parseWire(previous.data)) : null;
  const changes = event.action === 'update' ? diffFields(before, after) : event.action === 'create' ? diffFields(null, after) : diffFields(before, null);
  const summary = event.action === 'update' ? changes.map((c) => c.field).join(', ') : '';
  return (
    <li className="history-item">
      <button type="button" className="history-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={16} />
        <Badge tone={actionTone[event.action]}>{actionLabel[event.action]}</Badge>
        <span className="history-time">{date(event.time, { seconds: true })}</span>
        {summary && <span className="history-summary">{summary}</span>}
      </button>
      {open && (
        <div className="history-body">
          <FieldDiff changes={changes} mode={event.action} />
        </div>
      )}
    </li>
  );
}
