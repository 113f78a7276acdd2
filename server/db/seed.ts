// The default pools of the original system. Seeding inserts the missing ones and never
// overwrites a row: an admin's budget survives every restart.
import type Database from 'better-sqlite3';

export interface ToolSeed {
  name: string; total: number; commit: number; maxOverage: number;
  commitPrice: number; overagePricePerLicense: number;
}

export const DEFAULT_TOOLS: readonly ToolSeed[] = [
  { name: 'cad_tool', total: 5, commit: 4, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
  { name: 'simulation', total: 3, commit: 2, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
  { name: 'analysis', total: 2, commit: 1, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
];

export function seedDefaultTools(db: Database.Database, tools = DEFAULT_TOOLS): string[] {
  const insert = db.prepare(
    `INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`,
  );
  const now = new Date().toISOString();
  const added: string[] = [];
  db.transaction(() => {
    for (const t of tools) {
      const r = insert.run(t.name, t.total, t.commit, t.maxOverage, t.commitPrice, t.overagePricePerLicense, now);
      if (r.changes > 0) added.push(t.name);
    }
  }).immediate();
  return added;
}
