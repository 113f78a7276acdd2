// Shapes of the GraphQL types the dashboard reads (docs/interfaces.md, schema.graphql).

export interface Pool {
  tool: string;
  total: number;
  borrowed: number;
  available: number;
  commit: number;
  maxOverage: number;
  overage: number;
  inCommit: boolean;
  commitPrice: number;
  overagePricePerLicense: number;
  currentOverageCost: number;
  totalCost: number;
}

export interface Borrow { id: string; tool: string; user: string; borrowedAt: string }

export interface OverageCharge {
  id: string; tool: string; borrowId: string; user: string; chargedAt: string; amount: number;
}

export type LicenseEventType = 'BORROWED' | 'RETURNED' | 'DENIED' | 'BUDGET_CHANGED';
export type DenialReason = 'UNKNOWN_TOOL' | 'EXHAUSTED' | 'MAX_OVERAGE';

export interface LicenseEvent {
  id: string;
  at: string;
  type: LicenseEventType;
  tool: string;
  user: string | null;
  borrowId: string | null;
  reason: DenialReason | null;
  borrowed: number;
  total: number;
}

export interface UsagePoint { at: string; borrowed: number }
export interface UsageSeries { tool: string; total: number; points: UsagePoint[] }

export type BorrowResult =
  | ({ __typename: 'Borrow' } & Borrow)
  | { __typename: 'NoLicenseAvailable'; tool: string; reason: DenialReason; message: string }
  | { __typename: 'ToolNotFound'; tool: string; message: string }
  | { __typename: 'InvalidInput'; field: string; message: string };

export type ReturnResult =
  | { __typename: 'ReturnedLicense'; borrow: Borrow; pool: Pool }
  | { __typename: 'BorrowNotFound'; id: string; message: string }
  | { __typename: 'InvalidInput'; field: string; message: string };

export type BudgetResult =
  | ({ __typename: 'Pool' } & Pool)
  | { __typename: 'ToolNotFound'; tool: string; message: string }
  | { __typename: 'InvalidBudget'; field: string; message: string };

export interface BudgetInput {
  tool: string;
  total: number;
  commit: number;
  maxOverage: number;
  commitPrice: number;
  overagePricePerLicense: number;
}

export type BudgetField = Exclude<keyof BudgetInput, 'tool'>;

export interface FrontendErrorInput {
  message: string;
  stack?: string;
  source?: string;
  lineno?: number;
  colno?: number;
  url?: string;
  userAgent?: string;
}
