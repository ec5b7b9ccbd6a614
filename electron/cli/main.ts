/**
 * The `stockroom` command.
 */
import { readFileSync } from 'node:fs';
import { Engine } from '../engine/engine.js';
import { runText } from '../engine/text-query.js';
import { provisionSampleStore } from '../sample/sample-store.js';
import { parseCliArgs, USAGE } from './args.js';
import { checkDatabase } from './check.js';
import { openForCli } from './open-db.js';
import { formatResult } from './output.js';
import { defaultDatabasePath } from './paths.js';
import { runShell } from './shell.js';

function readStdin(): string {
  return readFileSync(0, 'utf8');
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help || args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (args.command) {
    case 'shell': {
      const engine = openForCli(args.db);
      try {
        await runShell(engine, args.db ?? defaultDatabasePath());
      } finally {
        engine.close();
      }
      return 0;
    }
    case 'eval': {
      let text: string;
      if (args.file !== undefined) text = readFileSync(args.file, 'utf8');
      else if (args.positionals.length === 0 || args.positionals[0] === '-') text = readStdin();
      else text = args.positionals.join(' ');
      const engine = openForCli(args.db);
      try {
        let failed = false;
        for (const r of runText(engine, text, { origin: 'cli' })) {
          if (!r.ok) failed = true;
          process.stdout.write(`${formatResult(r, args.format)}\n`);
        }
        // Finish index builds this session started before the process ends.
        engine.finishBackgroundWork();
        return failed ? 1 : 0;
      } finally {
        engine.close();
      }
    }
    case 'sample': {
      if (args.db === undefined) {
        process.stderr.write('stockroom sample needs --db FILE\n');
        return 2;
      }
      const engine = Engine.open(args.db);
      try {
        const r = provisionSampleStore(engine, 'cli');
        if (!r.ok) {
          process.stderr.write(`Could not provision the sample store: ${r.error.code}: ${r.error.description}\n`);
          return 1;
        }
        process.stdout.write(`Sample store provisioned in ${args.db}\n`);
        return 0;
      } finally {
        engine.close();
      }
    }
    case 'check': {
      const file = args.db ?? defaultDatabasePath();
      const report = checkDatabase(file);
      for (const line of report.lines) process.stdout.write(`${line}\n`);
      return report.ok ? 0 : 1;
    }
    default:
      process.stderr.write(`Unknown command '${args.command}'.\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stockroom: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
