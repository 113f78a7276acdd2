// The JSON the REST routes answer, as the CLI reads it (docs/rest-contract.md, docs/cli.md).

export interface BorrowJson {
  id: string;
  tool: string;
  user: string;
  borrowed_at: string;
  expires_at: string | null;
  host: string | null;
}

export interface LeaseJson {
  id: string;
  tool: string;
  user: string;
  expires_at: string | null;
}

export type TicketState = 'waiting' | 'granted' | 'expired' | 'cancelled';

export interface TicketJson {
  ticket_id: string;
  tool: string;
  user: string;
  position: number | null;
  queued_at: string;
  expires_at: string | null;
  state: TicketState;
  host: string | null;
  /** The ticket's lease (and the granted borrow's). */
  lease_seconds?: number | null;
  borrow?: BorrowJson | null;
  borrow_id?: string | null;
}

export interface PoolStatusJson {
  tool: string;
  total: number;
  borrowed: number;
  available: number;
  commit: number;
  max_overage: number;
  overage: number;
  in_commit: number;
  commit_price: number;
  overage_price_per_license: number;
  current_overage_cost: number;
  total_cost: number;
  lendable?: number;
  queued?: number;
}
