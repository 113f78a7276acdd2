// Runs `prisma generate` offline for both databases Floatline speaks.
// The CLI tries to download a schema engine first unless told where one is; generate
// never runs it, so any existing file will do.
// The PostgreSQL schema is derived from prisma/schema.prisma (one source of truth for
// the models): only the datasource provider and the client's output folder differ.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Installed from a packed tarball (`npm install -g floatline-<version>.tgz`), the package holds
// only the `floatline` command line (package.json "files"): no schema, no client to generate.
if (!existsSync('prisma/schema.prisma')) process.exit(0);

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const generate = (schema) => execFileSync(process.execPath, [cli, 'generate', '--schema', schema], { stdio: 'inherit', env });

const sqlite = readFileSync('prisma/schema.prisma', 'utf8');
const postgres = sqlite
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output       = "../server/db/generated/prisma"', 'output       = "../../server/db/generated/postgresql"');
if (postgres === sqlite || !postgres.includes('generated/postgresql')) {
  throw new Error('prisma-generate: could not derive the PostgreSQL schema from prisma/schema.prisma');
}
mkdirSync('prisma/postgresql', { recursive: true });
writeFileSync(
  'prisma/postgresql/schema.prisma',
  `// Generated from prisma/schema.prisma by scripts/prisma-generate.mjs: edit that file.\n${postgres}`,
);

generate('prisma/schema.prisma');
generate('prisma/postgresql/schema.prisma');

// The store's typed query layer (Kysely) gets its table types from the same schema:
// prisma-kysely runs as one more generator on a copy with only that generator in it.
// (A production install without devDependencies keeps the committed server/db/tables.ts.)
const kyselyBin = new URL('../node_modules/prisma-kysely/dist/bin.js', import.meta.url).pathname;
if (existsSync(kyselyBin)) {
  const withKysely = `${sqlite.replace(/generator client \{[^}]*\}/, '')}
generator kysely {
  provider             = "node ${kyselyBin}"
  output               = "../server/db"
  fileName             = "tables.ts"
  dateTimeTypeOverride = "Timestamp"
}
`;
  writeFileSync(
    'prisma/kysely.prisma',
    `// Generated from prisma/schema.prisma by scripts/prisma-generate.mjs: edit that file.\n${withKysely}`,
  );
  generate('prisma/kysely.prisma');
}
