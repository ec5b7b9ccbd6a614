/**
 * A real engine host on a temporary sample store and the API dispatcher over
 * it, for the handler tests. `call` returns the result or throws the ApiError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiArgsOf, ApiMethod, ApiResults } from '../../shared/api/contract.js';
import { registerHandlers, type Dispatcher } from '../../electron/api/handlers.js';
import { EngineHost } from '../../electron/host/engine-host.js';

export interface ApiFixture {
  host: EngineHost;
  dispatcher: Dispatcher;
  file: string;
  call<M extends ApiMethod>(method: M, args: ApiArgsOf<M>): Promise<ApiResults[M]>;
  close(): Promise<void>;
}

export async function sampleApi(): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-api-'));
  const file = join(dir, 'store.db');
  const host = await EngineHost.start({ file, sample: true });
  const dispatcher = registerHandlers(host, { database: file, transport: 'ipc' });
  return {
    host,
    dispatcher,
    file,
    call: (method, args) => dispatcher.dispatch(method, args, 'test') as Promise<never>,
    async close() {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
