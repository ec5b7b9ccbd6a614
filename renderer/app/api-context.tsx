/** Gives screens the StockroomApi without telling them which transport carries it. */
import { createContext, useContext, type ReactNode } from 'react';
import type { StockroomApi } from '../../shared/api/contract.js';

const ApiContext = createContext<StockroomApi | null>(null);

export function ApiProvider({ api, children }: { api: StockroomApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): StockroomApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
