/** Customers: a searchable list; a customer's page with their orders; create and edit. */
import { useState } from 'react';
import type { Customer } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { Banner } from '../../components/Banner';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { card } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { useLiveQuery } from '../../lib/use-live-query';
import { usePager } from '../../lib/use-pager';
import { href, navigate, type Route } from '../../state/router';
import { CustomerDetail } from './CustomerDetail';
import { CustomerFormPage } from './CustomerForm';

const PAGE_SIZE = 50;

const columns: Column<Customer>[] = [
  { key: 'name', header: 'Customer', width: '22%', render: (c) => <a className="row-link" href={href('customers', c.id)} tabIndex={-1}>{c.firstName} {c.lastName}</a>, sortValue: (c) => `${c.lastName} ${c.firstName}` },
  { key: 'street', header: 'Address', width: '26%', render: (c) => <span className="muted">{c.address.street}</span>, sortValue: (c) => c.address.street },
  { key: 'city', header: 'City', width: '18%', render: (c) => `${c.address.city}, ${c.address.state} ${c.address.zipCode}`, sortValue: (c) => `${c.address.city} ${c.address.zipCode}` },
  { key: 'phone', header: 'Telephone', width: '16%', render: (c) => <span className="tabular">{c.telephone}</span> },
  { key: 'card', header: 'Card', width: '18%', render: (c) => <span className="tabular">{card(c.card)}</span> },
];

export function CustomersScreen({ route }: { route: Route }) {
  if (route.id === 'new') return <CustomerFormPage customer={null} />;
  if (route.id) return <CustomerDetail id={route.id} editing={route.params.get('edit') === '1'} />;
  return <CustomerList />;
}

function CustomerList() {
  const api = useApi();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 200);
  const pager = usePager(q);
  const list = useLiveQuery(
    `customers|${q}|${pager.after ?? ''}`,
    () => api.call('customers.list', { size: PAGE_SIZE, ...(q ? { search: q } : {}), ...(pager.after ? { after: pager.after } : {}) }),
    { collections: ['customers'] },
  );
  return (
    <Page
      title="Customers"
      actions={
        <a className="btn btn-primary" href={href('customers', 'new')}>
          <Icon name="plus" size={16} /> Add customer
        </a>
      }
    >
      <div className="card card-flush">
        <div className="filters" role="search">
          <label className="search-box">
            <Icon name="search" size={16} />
            <span className="visually-hidden">Search customers</span>
            <input type="search" className="input" placeholder="Search customers" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
        </div>
        {list.error && <Banner title="Customers could not be loaded">{list.error.message}</Banner>}
        <DataTable
          label="Customers"
          testId="customers-table"
          columns={columns}
          rows={list.data?.items}
          rowKey={(c) => c.id}
          flashKey={(c) => ['customers', c.id]}
          rowVersion={(c) => c.ts}
          onOpen={(c) => navigate(href('customers', c.id))}
          dim={list.stale}
          empty={
            q ? (
              <EmptyState icon="search" title="No customers match" action={<button type="button" className="btn" onClick={() => setSearch('')}>Clear search</button>}>
                Try a first or last name.
              </EmptyState>
            ) : (
              <EmptyState icon="customer" title="Add your first customer" action={<a className="btn btn-primary" href={href('customers', 'new')}>Add customer</a>}>
                Customers you add can place orders from the New order screen.
              </EmptyState>
            )
          }
        />
        <Pagination page={pager.page} pageSize={PAGE_SIZE} shown={list.data?.items.length ?? 0} hasNext={!!list.data?.after} onPrevious={pager.previous} onNext={() => pager.next(list.data?.after ?? null)} />
      </div>
    </Page>
  );
}
