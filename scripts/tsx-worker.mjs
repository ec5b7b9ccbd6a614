// Bootstraps a TypeScript worker thread when running from source (tests, development):
// registers tsx in this thread, then imports the worker module given as the first argv.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
