/** Every workload by name (client processes look theirs up here). */
import type { Workload } from '../workload.js';
import { bank } from './bank.js';
import { churn } from './churn.js';
import { internal } from './internal.js';
import { lostUpdate } from './lost-update.js';
import { monotonic } from './monotonic.js';
import { oversell } from './oversell.js';
import { unique } from './unique.js';

export const WORKLOADS: Readonly<Record<string, Workload>> = {
  [bank.name]: bank,
  [oversell.name]: oversell,
  [lostUpdate.name]: lostUpdate,
  [unique.name]: unique,
  [internal.name]: internal,
  [churn.name]: churn,
  [monotonic.name]: monotonic,
};
