// Who is using this dashboard. AUTH_MODE=open: nobody signs in, the name is typed (UserName).
// AUTH_MODE=required: the server's session cookie (after sign-in with the identity provider)
// says who, and the role decides what the page offers — the server refuses the rest anyway.

export type Role = 'viewer' | 'user' | 'admin';
export interface Me {
  user: string | null;
  role: Role;
  via: string;
  mode: 'open' | 'required';
}

export class Session {
  mode = $state<'open' | 'required'>('open');
  /** null in required mode until signed in. */
  me = $state<Me | null>(null);
  /** Set while signing out: the server closes this page's WebSocket (4401) as it revokes the
   *  session, and that must not reload the page before the browser has gone to the
   *  provider's end-session page. */
  signingOut = false;

  get required(): boolean {
    return this.mode === 'required';
  }
  get signedIn(): boolean {
    return this.required && this.me !== null;
  }
  get isAdmin(): boolean {
    return this.me?.role === 'admin';
  }
  /** Open mode, or signed in (any role reads). */
  get canRead(): boolean {
    return !this.required || this.me !== null;
  }
  /** Viewers read only; open mode lets anyone borrow. */
  get canBorrow(): boolean {
    return !this.required || (this.me !== null && this.me.role !== 'viewer');
  }
  /** Releasing someone else's seat is for admins (server/auth/roles.ts); open mode lets anyone. */
  get mayRelease(): boolean {
    return !this.required || this.isAdmin;
  }
  /** The name seats are held in: the signed-in user (required mode) or null (open mode: typed). */
  get user(): string | null {
    return this.required ? (this.me?.user ?? null) : null;
  }

  /** Asks the server (GET /auth/me; the session cookie rides along). A server that cannot be
   *  reached is treated as open mode: the page loads and its live connection reconnects. */
  static async load(fetchImpl: typeof fetch = fetch): Promise<Session> {
    const s = new Session();
    try {
      const res = await fetchImpl('/auth/me', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (res.status === 401) {
        s.mode = 'required';
      } else if (res.ok) {
        const me = (await res.json()) as Me;
        s.mode = me.mode === 'required' ? 'required' : 'open';
        s.me = s.mode === 'required' ? me : { ...me, user: null };
      }
    } catch {
      /* unreachable now: open-mode page, the live connection retries */
    }
    return s;
  }

  signIn(): void {
    const back = window.location.pathname + window.location.search;
    window.location.assign(`/auth/login?return_to=${encodeURIComponent(back)}`);
  }

  /** Ends the session here; when the provider offers RP-initiated logout the server answers
   *  its logout_url, and the browser goes there so the provider's session ends too (it sends
   *  the browser back to the dashboard). */
  async signOut(): Promise<void> {
    let next = '/';
    this.signingOut = true;
    try {
      const res = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
      const body = (await res.json()) as { logout_url?: unknown };
      if (typeof body.logout_url === 'string' && /^https?:\/\//.test(body.logout_url)) next = body.logout_url;
    } catch {
      /* the server is away: the local page still signs out */
    } finally {
      window.location.assign(next);
    }
  }
}
