/** The state of the link to the engine, for the sidebar's "live" indicator. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface Connection {
  readonly state: ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

/** The IPC bridge is always there: nothing to connect. */
export const alwaysOpen: Connection = {
  state: 'open',
  subscribe: () => () => {},
};
