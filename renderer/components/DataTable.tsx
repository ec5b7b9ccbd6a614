/**
 * An index table: sticky header, sortable columns (sorting the rows shown),
 * numbers right-aligned in tabular figures, keyboard navigation (↑/↓ between
 * rows, Enter opens), skeleton rows while the first page loads, and a brief
 * highlight on a row whose document another window just changed.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useFlash } from '../state/live';

export interface Column<T> {
  key: string;
  header: string;
  align?: 'start' | 'end';
  /** CSS width, e.g. '12rem' or '10%'. */
  width?: string;
  render(row: T): ReactNode;
  /** Present when the column can be sorted. */
  sortValue?(row: T): string | number;
  className?: string;
}

interface Props<T> {
  label: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey(row: T): string;
  /** [collection, id] of the document behind a row, for the change highlight. */
  flashKey?(row: T): [string, string];
  /** Changes whenever the row's data does (e.g. the document's ts): the row highlights when it changes on screen. */
  rowVersion?(row: T): string;
  onOpen?(row: T): void;
  selectedKey?: string | null;
  empty?: ReactNode;
  skeletonRows?: number;
  dim?: boolean;
  testId?: string;
}

type Sort = { key: string; dir: 1 | -1 } | null;

export function DataTable<T>({ label, columns, rows, rowKey, flashKey, rowVersion, onOpen, selectedKey, empty, skeletonRows = 8, dim, testId }: Props<T>) {
  const [sort, setSort] = useState<Sort>(null);
  const sorted = useMemo(() => {
    if (!rows || !sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col?.sortValue) return rows;
    const get = col.sortValue;
    return [...rows].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: 'base' });
      return r * sort.dir;
    });
  }, [rows, sort, columns]);

  const toggleSort = (key: string) => {
    setSort((s) => (s?.key !== key ? { key, dir: 1 } : s.dir === 1 ? { key, dir: -1 } : null));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, row: T) => {
    const tr = e.currentTarget;
    if (e.key === 'Enter' || e.key === ' ') {
      if (e.target !== tr) return;
      e.preventDefault();
      onOpen?.(row);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      (tr.nextElementSibling as HTMLElement | null)?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      (tr.previousElementSibling as HTMLElement | null)?.focus();
    }
  };

  return (
    <div className={dim ? 'table-wrap is-stale' : 'table-wrap'} data-testid={testId}>
      <table className="data-table" aria-label={label}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} scope="col" className={c.align === 'end' ? 'num' : undefined} aria-sort={active ? (sort!.dir === 1 ? 'ascending' : 'descending') : undefined}>
                  {c.sortValue ? (
                    <button type="button" className="sort-button" onClick={() => toggleSort(c.key)}>
                      {c.header}
                      <span className="sort-indicator" aria-hidden="true">
                        {active ? (sort!.dir === 1 ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted === undefined
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <tr key={i} className="skeleton-row" aria-hidden="true">
                  {columns.map((c) => (
                    <td key={c.key} className={c.align === 'end' ? 'num' : undefined}>
                      <span className="skeleton" />
                    </td>
                  ))}
                </tr>
              ))
            : sorted.map((row) => {
                const key = rowKey(row);
                return (
                  <Row
                    key={key}
                    flash={flashKey?.(row)}
                    version={rowVersion?.(row)}
                    selected={selectedKey === key}
                    clickable={!!onOpen}
                    onClick={() => onOpen?.(row)}
                    onKeyDown={(e) => onKeyDown(e, row)}
                    rowId={key}
                  >
                    {columns.map((c) => (
                      <td key={c.key} data-col={c.key} className={[c.align === 'end' ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined}>
                        {c.render(row)}
                      </td>
                    ))}
                  </Row>
                );
              })}
        </tbody>
      </table>
      {sorted !== undefined && sorted.length === 0 && empty}
    </div>
  );
}

const FLASH_MS = 1600;

function Row({ flash, version, selected, clickable, onClick, onKeyDown, children, rowId }: { flash: [string, string] | undefined; version: string | undefined; selected: boolean; clickable: boolean; onClick(): void; onKeyDown(e: KeyboardEvent<HTMLTableRowElement>): void; children: ReactNode; rowId: string }) {
  const announced = useFlash(flash?.[0] ?? '', flash?.[1] ?? '');
  // Also highlight when the data shown changes, however late it arrives after the commit.
  const [changed, setChanged] = useState(false);
  const seen = useRef(version);
  useEffect(() => {
    if (version === undefined || seen.current === version) return;
    const first = seen.current === undefined;
    seen.current = version;
    if (first) return;
    setChanged(true);
    const t = setTimeout(() => setChanged(false), FLASH_MS);
    return () => clearTimeout(t);
  }, [version]);
  const cls = ['row', clickable ? 'clickable' : '', selected ? 'selected' : '', announced || changed ? 'flash' : ''].filter(Boolean).join(' ');
  return (
    <tr className={cls} tabIndex={clickable ? 0 : undefined} onClick={clickable ? onClick : undefined} onKeyDown={clickable ? onKeyDown : undefined} aria-selected={clickable ? selected : undefined} data-row={rowId}>
      {children}
    </tr>
  );
}
