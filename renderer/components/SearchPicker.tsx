/**
 * A search box with a live list of results under it: type to search, ↑/↓ to
 * choose, Enter (or a click) picks. Results refresh when their collection
 * changes, so stock shown here is current.
 */
import { useId, useState, type ReactNode } from 'react';
import { useDebounced } from '../lib/use-debounced';
import { useLiveQuery } from '../lib/use-live-query';
import { Icon } from './Icon';

interface Props<T> {
  label: string;
  placeholder: string;
  queryKey: string;
  search(q: string): Promise<T[]>;
  itemKey(item: T): string;
  renderItem(item: T): ReactNode;
  onPick(item: T): void;
  collections: readonly string[];
  emptyText: string;
  /** Filters fetched results by what is typed now, so results of an earlier query never linger. */
  matches?(item: T, text: string): boolean;
  autoFocus?: boolean;
  testId?: string;
}

export function SearchPicker<T>({ label, placeholder, queryKey, search, itemKey, renderItem, onPick, collections, emptyText, matches, autoFocus, testId }: Props<T>) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 150);
  const results = useLiveQuery(`${queryKey}|${q}`, () => search(q), { collections });
  const needle = text.trim().toLowerCase();
  const items = (results.data ?? []).filter((item) => !matches || !needle || matches(item, needle));
  const current = Math.min(active, Math.max(0, items.length - 1));
  const id = useId();

  return (
    <div className="picker" data-testid={testId}>
      <label className="search-box picker-input">
        <Icon name="search" size={16} />
        <span className="visually-hidden">{label}</span>
        <input
          type="search"
          className="input"
          placeholder={placeholder}
          value={text}
          autoFocus={autoFocus}
          role="combobox"
          aria-expanded="true"
          aria-controls={`${id}-list`}
          aria-activedescendant={items.length ? `${id}-${current}` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive(Math.min(current + 1, items.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive(Math.max(current - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const item = items[current];
              if (item) onPick(item);
            } else if (e.key === 'Escape' && text) {
              e.preventDefault();
              setText('');
            }
          }}
        />
      </label>
      <ul className={results.stale ? 'picker-list is-stale' : 'picker-list'} id={`${id}-list`} role="listbox" aria-label={label}>
        {results.data === undefined && <li className="picker-empty">Loading…</li>}
        {results.data !== undefined && items.length === 0 && <li className="picker-empty">{emptyText}</li>}
        {items.map((item, i) => (
          <li
            key={itemKey(item)}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'picker-item active' : 'picker-item'}
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => i !== current && setActive(i)}
            onClick={() => onPick(item)}
          >
            {renderItem(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}
