/** A document's fields before → after, printed as FQL. */
import type { FieldChange } from '../lib/wire';
import { print } from '../lib/wire';

export function FieldDiff({ changes, mode }: { changes: FieldChange[]; mode: 'create' | 'update' | 'delete' }) {
  if (changes.length === 0) return <p className="muted small">No field changes.</p>;
  return (
    <dl className="field-diff">
      {changes.map((c) => (
        <div className="field-diff-row" key={c.field}>
          <dt>{c.field}</dt>
          <dd>
            {mode === 'update' ? (
              <>
                <code className={c.before === undefined ? 'diff-absent' : 'diff-before'}>{c.before === undefined ? '(absent)' : print(c.before)}</code>
                <span className="diff-arrow" aria-label="changed to">
                  →
                </span>
                <code className={c.after === undefined ? 'diff-absent' : 'diff-after'}>{c.after === undefined ? '(absent)' : print(c.after)}</code>
              </>
            ) : (
              <code className={mode === 'delete' ? 'diff-before' : 'diff-after'}>{print(mode === 'delete' ? c.before : c.after)}</code>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
