// `node scripts/new-migration.mjs <name> [--from <git ref>]`: writes the next migration of both
// trees, prisma/migrations (SQLite) and prisma/postgresql/migrations, from the change to
// prisma/schema.prisma since <ref> (default HEAD), as Prisma's schema engine writes it
// (scripts/schema-diff.mjs). Statements the schema cannot say (CHECK constraints, partial
// indexes) are added by hand below the generated ones, in both files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readSchema, schemaDiff } from './schema-diff.mjs';

const args = process.argv.slice(2);
const name = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--from');
if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <name: lower_snake_case> [--from <git ref>]');
  process.exit(2);
}
const ref = args.includes('--from') ? args[args.indexOf('--from') + 1] : 'HEAD';
const before = execFileSync('git', ['show', `${ref}:prisma/schema.prisma`], { encoding: 'utf8' });
const after = readSchema();
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = `${stamp}_${name}`;
for (const [provider, base] of [
  ['sqlite', 'prisma/migrations'],
  ['postgresql', 'prisma/postgresql/migrations'],
]) {
  const sql = await schemaDiff(provider, before, after, process.env.DATABASE_URL);
  if (/empty migration/.test(sql)) {
    console.error(`prisma/schema.prisma has not changed since ${ref}: no migration written`);
    process.exit(1);
  }
  mkdirSync(`${base}/${dir}`, { recursive: true });
  writeFileSync(`${base}/${dir}/migration.sql`, sql);
  console.log(`${base}/${dir}/migration.sql`);
}
