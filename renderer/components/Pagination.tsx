/** Back to the top of the screen, where the new page starts. */
function toTop(): void {
  document.getElementById('main')?.scrollTo({ top: 0 });
}

/** Previous / next through the engine's cursors. */
export function Pagination({ page, hasNext, onPrevious, onNext, shown, pageSize }: { page: number; hasNext: boolean; onPrevious(): void; onNext(): void; shown: number; pageSize: number }) {
  if (page === 0 && !hasNext) return null;
  const first = page * pageSize + 1;
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="pagination-range">
        {shown === 0 ? 'No rows' : `${first.toLocaleString()}–${(first + shown - 1).toLocaleString()}`}
      </span>
      <button type="button" className="btn" onClick={() => { onPrevious(); toTop(); }} disabled={page === 0} aria-label="Previous page">
        ‹ Previous
      </button>
      <button type="button" className="btn" onClick={() => { onNext(); toTop(); }} disabled={!hasNext} aria-label="Next page">
        Next ›
      </button>
    </nav>
  );
}
