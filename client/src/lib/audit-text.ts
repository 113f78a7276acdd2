// One line per audit-trail entry, as the activity feed shows it to admins.

export interface AuditLine {
  actor: string;
  action: string;
  tool: string | null;
  target: string | null;
  detail: string | null;
}

const FIELDS: Record<string, string> = {
  total: 'total',
  commit: 'commit',
  max_overage: 'max overage',
  commit_price: 'commit price',
  overage_price_per_license: 'overage price',
  lease_seconds: 'lease',
  billing_day: 'billing day',
  overage_mode: 'overage mode',
  spend_cap: 'spend cap',
};

/** "total 2→4, commit 1→2" from a budget change's before/after. */
function budgetDiff(detail: Record<string, unknown>): string {
  const before = (detail.before ?? {}) as Record<string, unknown>;
  const after = (detail.after ?? {}) as Record<string, unknown>;
  const changed = Object.keys(FIELDS)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${FIELDS[k]} ${before[k] ?? 'none'}→${after[k] ?? 'none'}`);
  return changed.length ? changed.join(', ') : 'no value changed';
}

export function auditText(e: AuditLine): string {
  let detail: Record<string, unknown> = {};
  try {
    detail = e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {};
  } catch {
    /* shown without detail */
  }
  switch (e.action) {
    case 'BUDGET_CHANGED':
      return `${e.actor} changed the ${e.tool} budget: ${budgetDiff(detail)}`;
    case 'POOL_CREATED':
      return `${e.actor} created the pool ${e.tool}`;
    case 'POOL_RETIRED':
      return `${e.actor} retired the pool ${e.tool}`;
    case 'SEAT_REVOKED':
      return `${e.actor} revoked ${e.target}'s ${e.tool} seat${detail.reason ? `: ${String(detail.reason)}` : ''}`;
    case 'TOKEN_CREATED':
      return `${e.actor} created the API token "${String(detail.name ?? '')}" for ${e.target} (${String(detail.role ?? '')})`;
    case 'TOKEN_REVOKED':
      return `${e.actor} revoked the API token "${String(detail.name ?? '')}" of ${e.target}`;
    case 'BORROWED_FOR':
      return `${e.actor} borrowed ${e.tool} for ${e.target}`;
    case 'RETURNED_FOR':
      return `${e.actor} returned ${e.target}'s ${e.tool} seat`;
    case 'HEARTBEAT_FOR':
      return `${e.actor} renewed ${e.target}'s ${e.tool} lease`;
    case 'QUEUE_LEFT_FOR':
      return `${e.actor} took ${e.target} out of the ${e.tool} line`;
    case 'TEAM_CREATED':
      return `${e.actor} created the team ${e.target}`;
    case 'TEAM_DELETED':
      return `${e.actor} deleted the team ${e.target}`;
    case 'TEAM_MEMBERS_SET':
      return `${e.actor} set the members of ${e.target}: ${((detail.after as string[] | null) ?? []).join(', ') || 'nobody'}`;
    case 'SHARES_CHANGED':
      return `${e.actor} changed the team shares of ${e.tool}`;
    default:
      return `${e.actor}: ${e.action.toLowerCase().replace(/_/g, ' ')}${e.tool ? ` (${e.tool})` : ''}${e.target ? ` for ${e.target}` : ''}`;
  }
}
