/**
 * The web server's per-run token: from `<meta name="stockroom-token">` in the
 * served page if present, else from the page URL's `?token=` query.
 */
export function readToken(doc: Document = document, loc: Location = location): string | null {
  const meta = doc.querySelector('meta[name="stockroom-token"]');
  const fromMeta = meta?.getAttribute('content')?.trim();
  if (fromMeta) return fromMeta;
  const fromQuery = new URLSearchParams(loc.search).get('token');
  return fromQuery && fromQuery.length > 0 ? fromQuery : null;
}

/** `ws(s)://<same host>/api?token=...` */
export function socketUrl(path: string, token: string | null, loc: Location = location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${loc.host}${path}${query}`;
}
