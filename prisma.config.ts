// Prisma CLI configuration. Floatline applies migrations itself at start-up
// (server/db/migrate.ts); this file lets the real `prisma migrate deploy` work too.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: `file:${process.env.LICENSE_DB_PATH ?? 'licenses.db'}` },
});
