/**
 * Command-line parsing for `stockroom` (node:util parseArgs).
 */
import { parseArgs } from 'node:util';

export interface CliArgs {
  command: string;
  db: string | undefined;
  format: 'fql' | 'json';
  file: string | undefined;
  positionals: string[];
  help: boolean;
}

export function parseCliArgs(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      format: { type: 'string', default: 'fql' },
      file: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const format = values.format === 'json' ? 'json' : values.format === 'fql' ? 'fql' : null;
  if (format === null) throw new Error(`--format must be fql or json, not ${String(values.format)}`);
  const [command = 'help', ...rest] = positionals;
  return { command, db: values.db, format, file: values.file, positionals: rest, help: values.help ?? false };
}

export const USAGE = `stockroom — an FQL v4 document store over SQLite

Usage:
  stockroom shell [--db FILE]                 interactive FQL shell (multi-line input)
  stockroom eval [--db FILE] [--format fql|json] [QUERY | --file F | -]
                                              run FQL statements, each its own transaction
  stockroom sample --db FILE                  provision the sample store into FILE
  stockroom check [--db FILE]                 verify the file (integrity and indexes)

Without --db the default database is used (STOCKROOM_DB, or the app's data folder);
it is created with the sample store on first use.`;
