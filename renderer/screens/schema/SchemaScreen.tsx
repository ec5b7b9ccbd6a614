/** Schema: collections (history days, document counts), indexes (terms, values, unique, active), functions with their FQL body. */
import { useState } from 'react';
import type { SchemaDescription } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { Badge } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { DataTable, type Column } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { Card, Page } from '../../components/Page';
import { count, plural } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { href, navigate } from '../../state/router';

type Coll = SchemaDescription['collections'][number];
type Index = SchemaDescription['indexes'][number];

const collectionColumns: Column<Coll>[] = [
  { key: 'name', header: 'Collection', width: '40%', render: (c) => <code>{c.name}</code>, sortValue: (c) => c.name },
  { key: 'history', header: 'History days', align: 'end', width: '25%', render: (c) => (c.historyDays === null ? 'forever' : count(c.historyDays)), sortValue: (c) => c.historyDays ?? Number.MAX_SAFE_INTEGER },
  { key: 'docs', header: 'Documents', align: 'end', width: '35%', render: (c) => count(c.documents), sortValue: (c) => c.documents },
];

const fieldList = (fields: string[]) => (fields.length === 0 ? <span className="muted">—</span> : <span className="code-list">{fields.map((f) => <code key={f}>{f}</code>)}</span>);

const indexColumns: Column<Index>[] = [
  { key: 'name', header: 'Index', width: '22%', render: (i) => <code>{i.name}</code>, sortValue: (i) => i.name },
  { key: 'source', header: 'Source', width: '12%', render: (i) => <code>{i.source}</code>, sortValue: (i) => i.source },
  { key: 'terms', header: 'Terms', width: '20%', render: (i) => fieldList(i.terms), className: 'wrap' },
  { key: 'values', header: 'Values', width: '30%', render: (i) => fieldList(i.values), className: 'wrap' },
  {
    key: 'flags',
    header: 'Status',
    width: '16%',
    render: (i) => (
      <span className="badges">
        {i.unique && <Badge tone="info">Unique</Badge>}
        {i.active ? <Badge tone="success">Active</Badge> : <Badge tone="attention">Building</Badge>}
      </span>
    ),
  },
];

export function SchemaScreen() {
  const api = useApi();
  const schema = useLiveQuery('schema', () => api.call('schema.describe', {}));
  const s = schema.data;
  return (
    <Page title="Schema" subtitle={s ? `${plural(s.collections.length, 'collection')} · ${plural(s.indexes.length, 'index', 'indexes')} · ${plural(s.functions.length, 'function')}` : '\u00a0'}>
      {schema.error && <Banner title="The schema could not be loaded">{schema.error.message}</Banner>}
      <div className="stack">
        <Card title="Collections" flush>
          <DataTable label="Collections" columns={collectionColumns} rows={s?.collections} rowKey={(c) => c.name} skeletonRows={4} onOpen={(c) => navigate(href('ledger', null, { collection: c.name }))} empty={<p className="table-empty">No collections. Create one in the <a href={href('shell')}>Shell</a> with <code>CreateCollection({'{'} name: "…" {'}'})</code>.</p>} />
        </Card>
        <Card title="Indexes" flush>
          <DataTable label="Indexes" columns={indexColumns} rows={s?.indexes} rowKey={(i) => i.name} skeletonRows={4} empty={<p className="table-empty">No indexes.</p>} />
        </Card>
        <Card title="Functions">
          {!s && <div className="skeleton-block" />}
          {s && s.functions.length === 0 && <p className="muted">No stored functions.</p>}
          <div className="functions">
            {s?.functions.map((f) => (
              <FunctionView key={f.name} name={f.name} body={f.body} />
            ))}
          </div>
        </Card>
      </div>
    </Page>
  );
}

function FunctionView({ name, body }: { name: string; body: string }) {
  const [open, setOpen] = useState(true);
  return (
    <div className="function" data-testid="schema-function">
      <button type="button" className="section-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={16} />
        <code className="strong">{name}</code>
      </button>
      {open && <pre className="code-block">{body}</pre>}
    </div>
  );
}
