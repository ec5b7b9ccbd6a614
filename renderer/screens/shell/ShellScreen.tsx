/**
 * The FQL Shell: an editor (Ctrl/Cmd+Enter runs), one printed result per
 * statement (collapsible), errors with code, description, position and a
 * caret under the place in the text, and the history of past queries.
 */
import { useRef, useState } from 'react';
import type { FqlError, ShellResult } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { modKey } from '../../app/Sidebar';
import { Badge } from '../../components/Badge';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { describe } from '../../lib/errors';
import { toApiError } from '../../lib/use-live-query';
import { useShell, type ShellRun } from '../../state/shell';
import { FqlEditor, type EditorHandle } from './FqlEditor';

export function ShellScreen() {
  const api = useApi();
  const shell = useShell();
  const editor = useRef<EditorHandle | null>(null);
  const [running, setRunning] = useState(false);

  const run = async (text: string) => {
    if (!text.trim() || running) return;
    setRunning(true);
    const id = useShell.getState().startRun(text);
    try {
      const results = await api.call('fql.query', { text });
      useShell.getState().finishRun(id, results);
    } catch (err) {
      useShell.getState().finishRun(id, null, describe(toApiError(err)));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Page
      title="Shell"
      wide
      subtitle="FQL v4 against this database. Each statement runs as its own transaction."
      actions={
        <button type="button" className="btn btn-primary" onClick={() => run(useShell.getState().text)} disabled={running}>
          <Icon name="play" size={14} /> {running ? 'Running…' : 'Run'} <kbd className="kbd-on-primary">{modKey} ↵</kbd>
        </button>
      }
    >
      <div className="shell-layout">
        <div className="stack shell-main">
          <div className="card card-flush editor-card">
            <FqlEditor initial={shell.text} onChange={shell.setText} onRun={run} handleRef={editor} />
          </div>
          <section className="shell-results" aria-label="Results" aria-live="polite" data-testid="shell-results">
            {shell.runs.length === 0 && (
              <div className="shell-empty muted">
                Results appear here. Try <code>Paginate(Documents(Collection("orders")))</code> or <code>Call(Function("submit_order"), "101", [{'{'} productId: "204", quantity: 1 {'}'}])</code>.
              </div>
            )}
            {shell.runs.length > 0 && (
              <div className="shell-results-head">
                <button type="button" className="btn btn-plain" onClick={shell.clearRuns}>
                  Clear results
                </button>
              </div>
            )}
            {shell.runs.map((r) => (
              <RunView key={r.id} run={r} />
            ))}
          </section>
        </div>
        <aside className="card shell-history" aria-label="History">
          <header className="card-header">
            <h2>History</h2>
            {shell.history.length > 0 && (
              <button type="button" className="btn btn-plain" onClick={shell.clearHistory}>
                Clear
              </button>
            )}
          </header>
          {shell.history.length === 0 ? (
            <p className="muted small">Queries you run are kept here.</p>
          ) : (
            <ul className="history-queries">
              {shell.history.map((h, i) => (
                <li key={i}>
                  <button type="button" className="history-query" title="Load into the editor" onClick={() => editor.current?.setText(h)}>
                    {h}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </Page>
  );
}

function RunView({ run }: { run: ShellRun }) {
  const time = new Date(run.at).toLocaleTimeString();
  return (
    <div className="shell-run" data-testid="shell-run">
      <div className="shell-run-time muted small">{time}</div>
      {run.results === null && !run.failure && <div className="muted">Running…</div>}
      {run.failure && (
        <div className="shell-error">
          <div className="shell-error-code">request failed</div>
          <div>{run.failure}</div>
        </div>
      )}
      {run.results?.map((r, i) => (
        <StatementView key={i} result={r} source={run.text} />
      ))}
    </div>
  );
}

function StatementView({ result, source }: { result: ShellResult; source: string }) {
  const [open, setOpen] = useState(true);
  const firstLine = result.text.split('\n')[0] ?? '';
  return (
    <div className={result.ok ? 'statement ok' : 'statement failed'} data-testid="shell-statement">
      <button type="button" className="statement-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={16} />
        <code className="statement-text">
          {firstLine}
          {result.text.includes('\n') ? ' …' : ''}
        </code>
        {result.ok ? <Badge tone="success">ok</Badge> : <Badge tone="critical">{result.error?.code ?? 'error'}</Badge>}
      </button>
      {open && (result.ok ? <pre className="statement-output" data-testid="shell-output">{result.printed ?? result.resource ?? ''}</pre> : result.error && <ErrorView error={result.error} location={result.location} source={source} />)}
    </div>
  );
}

function positionText(position: (string | number)[] | undefined): string {
  if (!position || position.length === 0) return '(top level)';
  return position.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(' › ');
}

function ErrorView({ error, location, source }: { error: FqlError; location: ShellResult['location']; source: string }) {
  const lines = source.split('\n');
  const line = location ? lines[location.line - 1]?.replace(/\t/g, ' ') : undefined;
  return (
    <div className="shell-error" data-testid="shell-error">
      <div className="shell-error-code">{error.code}</div>
      <div className="shell-error-description">{error.description}</div>
      <div className="shell-error-position small">
        <span className="muted">position</span> <code>{positionText(error.position)}</code>
        {location && (
          <>
            {' '}
            <span className="muted">at line {location.line}, column {location.column}</span>
          </>
        )}
      </div>
      {location && line !== undefined && (
        <pre className="caret-view" data-testid="shell-caret">
          <span className="caret-gutter">{String(location.line).padStart(3, ' ')} │ </span>
          {line}
          {'\n'}
          <span className="caret-gutter">{'    │ '}</span>
          {' '.repeat(Math.max(0, location.column - 1))}
          <span className="caret">^</span>
        </pre>
      )}
      {error.failures && error.failures.length > 0 && (
        <ul className="shell-failures">
          {error.failures.map((f, i) => (
            <li key={i}>
              <code>{f.field.join('.')}</code> {f.code}: {f.description}
            </li>
          ))}
        </ul>
      )}
      {error.cause && error.cause.length > 0 && (
        <div className="shell-causes">
          <div className="muted small">caused by</div>
          {error.cause.map((c, i) => (
            <div key={i} className="shell-cause">
              <span className="shell-error-code">{c.code}</span> {c.description} <span className="muted small">at {positionText(c.position)}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
