// The default pools of the original system. Seeding inserts the missing ones and never
// overwrites a row: an admin's budget survives every restart.

export interface ToolSeed {
  name: string;
  total: number;
  commit: number;
  maxOverage: number;
  commitPrice: number;
  overagePricePerLicense: number;
}

export const DEFAULT_TOOLS: readonly ToolSeed[] = [
  { name: 'cad_tool', total: 5, commit: 4, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
  { name: 'simulation', total: 3, commit: 2, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
  { name: 'analysis', total: 2, commit: 1, maxOverage: 1, commitPrice: 1000, overagePricePerLicense: 100 },
];

/** Both databases accept this statement; only the placeholder style differs. */
export const seedStatement = (placeholder: (i: number) => string) =>
  `INSERT INTO tools (name, total, commit_quantity, max_overage, commit_price, overage_price_per_license, updated_at)
   VALUES (${[1, 2, 3, 4, 5, 6, 7].map(placeholder).join(', ')}) ON CONFLICT (name) DO NOTHING`;

export const seedValues = (t: ToolSeed, now: string) => [
  t.name,
  t.total,
  t.commit,
  t.maxOverage,
  t.commitPrice,
  t.overagePricePerLicense,
  now,
];
