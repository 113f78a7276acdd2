// Who may do what, written once. Every door — REST routes, GraphQL queries, mutations and
// subscriptions over HTTP, SSE and WebSocket — asks these functions and nothing else.
//
//   viewer: read everything (pools, borrows, history, dashboards) — nothing else.
//   user:   borrow, wait, heartbeat and return their own seats; their own API tokens.
//   admin:  everything: budgets, pools, force-release, seats and tokens of others, the audit trail.
//
// In open mode (AUTH_MODE=open, the default) every request carries OPEN_IDENTITY, an admin
// with no name: the seed's behaviour, where the body's `user` names the seat's holder.

export const ROLES = ['viewer', 'user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** How the caller proved who they are. */
export type Via = 'session' | 'token' | 'jwt' | 'admin_token' | 'open';

export interface Identity {
  /** The person or service account; null only in open mode (nobody signed in). */
  user: string | null;
  role: Role;
  via: Via;
  /** The credential's id (token or session), for revocation and last-used. */
  credentialId?: string;
}

/** Open mode: no sign-in, anyone may do anything (the seed's behaviour). */
export const OPEN_IDENTITY: Identity = Object.freeze({ user: null, role: 'admin', via: 'open' }) as Identity;

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

const RANK: Record<Role, number> = { viewer: 0, user: 1, admin: 2 };
const atLeast = (id: Identity, role: Role) => RANK[id.role] >= RANK[role];

/** A refusal: what the caller sees in the 403's detail (or the GraphQL FORBIDDEN error). */
export class ForbiddenError extends Error {
  readonly code = 'FORBIDDEN';
}

/** Nobody proved who they are (401 with WWW-Authenticate; GraphQL UNAUTHENTICATED). */
export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in or send Authorization: Bearer <token>') {
    super(message);
  }
}

const refuse = (message: string): never => {
  throw new ForbiddenError(message);
};

/** Reading pools, borrows, charges, history, usage and live updates: every role. */
export function mayRead(id: Identity): boolean {
  return atLeast(id, 'viewer');
}

/** Budgets, pools, force-release, the audit trail. */
export function mayAdminister(id: Identity): boolean {
  return id.role === 'admin';
}

export function requireAdmin(id: Identity, what: string): void {
  if (!mayAdminister(id)) refuse(`Only an admin may ${what} (you are ${describe(id)})`);
}

/**
 * Whose name a borrow (or a queue ticket) is taken in. A user borrows in their own name:
 * `requested` may be omitted or name themselves; naming someone else is refused unless
 * the caller is an admin (who then acts for that user, which the audit trail records).
 * In open mode the requested name is taken as given (the seed's behaviour); it is required
 * there, so `undefined` is returned and the domain's validation names the missing field.
 */
export function borrowerFor(id: Identity, requested: string | null | undefined): string | undefined {
  if (id.via === 'open') return requested ?? undefined;
  if (!atLeast(id, 'user')) refuse(`A viewer may not borrow (you are ${describe(id)})`);
  if (requested == null || requested === id.user) return id.user as string;
  if (id.role === 'admin') return requested;
  return refuse(`You may borrow only in your own name (${id.user}), not for "${requested.slice(0, 100)}"`);
}

/** Heartbeat, return or leave the queue for a seat or ticket held by `owner`. */
export function requireOwnOrAdmin(id: Identity, owner: string, what: string): void {
  if (id.role === 'admin') return;
  if (!atLeast(id, 'user')) refuse(`A viewer may not ${what} (you are ${describe(id)})`);
  if (owner !== id.user) refuse(`You may ${what} only your own seats; this one is held by someone else`);
}

/** Acting at all as a borrower (before the seat's owner is known). */
export function requireUser(id: Identity, what: string): void {
  if (!atLeast(id, 'user')) refuse(`A viewer may not ${what} (you are ${describe(id)})`);
}

/** Creating an API token: anyone signed in for themselves (role at most their own; a viewer's
 *  read-only token for a dashboard script), admins for anyone with any role. */
export function tokenGrant(id: Identity, requested: { user?: string | null; role?: Role | null }): { user: string; role: Role } {
  if (id.user === null) refuse('API tokens need AUTH_MODE=required (open mode has no identities)');
  const user = requested.user ?? (id.user as string);
  const role = requested.role ?? (user === id.user ? id.role : 'user');
  if (id.role !== 'admin') {
    if (user !== id.user) refuse('Only an admin may create tokens for another user');
    if (RANK[role] > RANK[id.role]) refuse(`You may not create a token with role ${role} above your own (${id.role})`);
  }
  return { user, role };
}

/** Listing, revoking: your own tokens; an admin's reach is everybody's. */
export function mayManageCredentialOf(id: Identity, owner: string): boolean {
  return id.role === 'admin' || (id.user !== null && owner === id.user);
}

/** `alice (user, via token)` — for refusals and logs; never a secret. */
export function describe(id: Identity): string {
  return id.user === null ? `anonymous (${id.via})` : `${id.user} (${id.role}, via ${id.via})`;
}
