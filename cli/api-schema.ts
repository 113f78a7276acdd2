// Generated from openapi.json by openapi-typescript (npm run openapi:print); do not edit.

export interface paths {
    "/licenses/borrow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Borrow a license; optionally with a lease (lease_seconds, renewed by POST /licenses/heartbeat), a host and an idempotency key (or Idempotency-Key header) */
        post: operations["borrowLicense"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every team with its members and pool shares, by name (at most 500) */
        get: operations["listTeams"];
        put?: never;
        /** Create a team (admin); its name is a short identifier like a pool name */
        post: operations["createTeam"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{team}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a team, its members and its shares (the history keeps its name) */
        delete: operations["deleteTeam"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/teams/{team}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace a team's members (a user is in at most one team) */
        put: operations["setTeamMembers"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/config/tools/{tool}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pool's team shares */
        get: operations["getPoolShares"];
        /** Replace a pool's team shares: reserved seats others cannot take while the team holds fewer, and the most it may hold (max, null = no cap) */
        put: operations["setPoolShares"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Force-release any seat (admin); the reason is kept in the history and the holder's next heartbeat gets 410 naming it */
        post: operations["revokeBorrow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue/{ticket_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A ticket's state (waiting with position, granted with the borrow, expired, cancelled); asking keeps a waiting ticket in line */
        get: operations["getTicket"];
        put?: never;
        post?: never;
        /** Leave the line (state cancelled); 409 if the ticket was already granted its seat (return the borrow instead) */
        delete: operations["cancelTicket"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pool's line: waiting tickets, head first; at most 500 (limit), the next page via before=<X-Next-Before> */
        get: operations["listQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renew a borrow's lease to now + its length (410 once it expired) */
        post: operations["renewLease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Return a borrowed license */
        post: operations["returnLicense"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status and cost of every pool, sorted by tool */
        get: operations["listPoolStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/{tool}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status and cost of one pool */
        get: operations["getPoolStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/borrows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Current borrows, newest first; at most 500 (limit), the next page via before=<X-Next-Before> */
        get: operations["listBorrows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/overage-charges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Overage charges, newest first (they stay after the borrow is returned); at most 500 (limit), the next page via before=<X-Next-Before> */
        get: operations["listOverageCharges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/config/budget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Budgets of every pool, sorted by tool */
        get: operations["listBudgets"];
        /** Change a pool's budget (total may not drop below current borrows: 400; commit above total: 422) */
        put: operations["updateBudget"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/config/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a pool with its budget (tool: ^[a-z][a-z0-9_-]{0,63}$); 409 if the name is taken, by a live or a retired pool */
        post: operations["createPool"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/config/tools/{tool}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Retire a pool nobody holds a seat of (409 otherwise): it leaves status, metrics and the dashboard; its history stays */
        delete: operations["retirePool"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/frontend-error": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report a browser error to the server log */
        post: operations["reportFrontendError"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Running version */
        get: operations["getVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Usage over a window per pool, team, user or project: peak seats, seat-hours, utilisation, denials, queue waits */
        get: operations["getUsageReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reports/usage.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Usage over a window per pool, team, user or project: peak seats, seat-hours, utilisation, denials, queue waits (CSV) */
        get: operations["getUsageReportCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/statements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each pool's statement for a billing period: the commit price spread over teams by seat-hours, plus each team's overage */
        get: operations["listStatements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/statements.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each pool's statement for a billing period: the commit price spread over teams by seat-hours, plus each team's overage (CSV) */
        get: operations["listStatementsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Observed license servers with their health, by name (paged) */
        get: operations["listObservedSources"];
        put?: never;
        /** Register a license server to observe (admin): FlexNet (lmstat) or RLM (rlmstat), polled with `command` or pushed to */
        post: operations["createObservedSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/sources/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Stop observing a license server (admin); its history stays */
        delete: operations["deleteObservedSource"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pools of observed license servers as their last snapshot showed them (paged) */
        get: operations["listObservedPools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/pools/{source}/{feature}/price": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set what an observed pool costs per billing period (admin): its statement spreads it over teams by observed seat-hours (GET /statements?tool=<source>/<feature>) */
        put: operations["putObservedPoolsSourceFeaturePrice"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** History of observed pools, newest first: check-outs and check-ins inferred from snapshots, and exact ones and denials from debug logs (paged) */
        get: operations["listObservedEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who you are: {user, role, via} (via: session, token, jwt, admin_token; open in open mode) */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API tokens newest first (never their secrets): yours; everybody's for admins (?user= for one) */
        get: operations["listApiTokens"];
        put?: never;
        /** Create an API token (shown once): for yourself; admins may name a user and role (service accounts) */
        post: operations["createApiToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token: refused at once in this process, within AUTH_CACHE_SECONDS in others */
        delete: operations["revokeApiToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail (admins): admin actions with their actor, newest first; filter by actor, tool, action and time */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out: ends the session on the server and clears its cookie */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/sources/{name}/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Push the text output of lmstat -a (FlexNet) or rlmstat -a (RLM) of this source (admin) */
        post: operations["pushObservedSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/observed/sources/{name}/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Push lines of this FlexNet source's debug log (admin): OUT, IN, DENIED, UNSUPPORTED become events */
        post: operations["pushObservedLog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        PoolStatus: {
            tool: string;
            total: number;
            borrowed: number;
            available: number;
            commit: number;
            max_overage: number;
            overage: number;
            in_commit: boolean;
            commit_price: number;
            overage_price_per_license: number;
            current_overage_cost: number;
            total_cost: number;
            /** @description Seats a borrow could take now: max(min(total, commit + max_overage) - borrowed, 0), and 0 while anyone waits in line */
            lendable: number;
            /** @description Tickets waiting in the pool's line */
            queued: number;
            /**
             * @description per_borrow: each overage borrow charged once; per_seat_hour: each started seat-hour of overage use
             * @enum {string}
             */
            overage_mode: "per_borrow" | "per_seat_hour";
            /** @description Day of month (1-28) the billing periods start, 00:00 UTC */
            billing_day: number;
            /**
             * Format: date-time
             * @description Start of the current billing period (inclusive)
             */
            period_start: string;
            /**
             * Format: date-time
             * @description End of the current billing period (exclusive)
             */
            period_end: string;
            /** @description Overage charged in the current billing period */
            period_overage_cost: number;
            /** @description Most overage money one period may take; null = no cap */
            spend_cap: number | null;
        };
        Error: {
            /** @description A message, or (422) one item per invalid field */
            detail: string | {
                /** @description Where: body, query or path, then the field */
                loc: (string | number)[];
                /** @description What is wrong */
                msg: string;
                /** @description The kind of error (missing, int_parsing, json_invalid, …) */
                type: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before trying again */
        RetryAfter: number;
        /** @description Present when more rows follow: pass it as `before` to get the next page */
        XNextBefore: string;
        /** @description Present when more rows follow: pass it as `after` to get the next page */
        XNextAfter: string;
        /** @description Present when more rows follow: RFC 8288 `<url>; rel="next"` to the next page (the same parameters, `before` set) */
        Link: string;
        /** @description How to authenticate (RFC 6750): Bearer realm="floatline" */
        WWWAuthenticate: string;
        /** @description The request's id, as in the server's log lines (a sane X-Request-ID sent is kept) */
        XRequestID: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    borrowLicense: {
        parameters: {
            query?: never;
            header?: {
                /** @description Repeat a request safely: a borrow sent again with the same key answers the first borrow instead of taking a second seat (same as the idempotency_key field) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tool: string;
                    user: string;
                    lease_seconds?: number | null;
                    host?: string | null;
                    idempotency_key?: string;
                    /** @description What the seat is used for (like LM_PROJECT), kept for reports */
                    project?: string | null;
                    /** @description Wait in the pool's line when no seat is lendable: 202 with a ticket instead of 409 */
                    queue?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        tool: string;
                        user: string;
                        /** Format: date-time */
                        borrowed_at: string;
                        /** Format: date-time */
                        expires_at: string | null;
                        host: string | null;
                        project: string | null;
                        /** @description The borrower's team where the pool has team shares */
                        team: string | null;
                    };
                };
            };
            /** @description Success */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        ticket_id: string;
                        tool: string;
                        user: string;
                        /** @description 1 for the head of the line; null unless waiting */
                        position: number | null;
                        /** Format: date-time */
                        queued_at: string;
                        /**
                         * Format: date-time
                         * @description Poll GET /queue/<ticket_id> before this or the ticket expires; null once ended
                         */
                        expires_at: string | null;
                        /** @enum {string} */
                        state: "waiting" | "granted" | "expired" | "cancelled";
                        host: string | null;
                        lease_seconds: number;
                        /** @description The seat granted, while it is held */
                        borrow: {
                            /** Format: uuid */
                            id: string;
                            tool: string;
                            user: string;
                            /** Format: date-time */
                            borrowed_at: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            host: string | null;
                            project: string | null;
                            /** @description The borrower's team where the pool has team shares */
                            team: string | null;
                        } | null;
                        /** @description The granted borrow, even after it ended */
                        borrow_id: string | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTeams: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** Format: date-time */
                        created_at: string;
                        members: string[];
                        shares: {
                            tool: string;
                            reserved: number;
                            max: number | null;
                        }[];
                    }[];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTeam: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** Format: date-time */
                        created_at: string;
                        members: string[];
                        shares: {
                            tool: string;
                            reserved: number;
                            max: number | null;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTeam: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        team: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setTeamMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                team: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    users: string[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** Format: date-time */
                        created_at: string;
                        members: string[];
                        shares: {
                            tool: string;
                            reserved: number;
                            max: number | null;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPoolShares: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tool: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tool: string;
                        shares: {
                            team: string;
                            reserved: number;
                            max: number | null;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setPoolShares: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tool: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    shares: {
                        team: string;
                        reserved: number;
                        max?: number | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tool: string;
                        shares: {
                            team: string;
                            reserved: number;
                            max: number | null;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeBorrow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        id: string;
                        tool: string;
                        user: string;
                        reason: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        ticket_id: string;
                        tool: string;
                        user: string;
                        /** @description 1 for the head of the line; null unless waiting */
                        position: number | null;
                        /** Format: date-time */
                        queued_at: string;
                        /**
                         * Format: date-time
                         * @description Poll GET /queue/<ticket_id> before this or the ticket expires; null once ended
                         */
                        expires_at: string | null;
                        /** @enum {string} */
                        state: "waiting" | "granted" | "expired" | "cancelled";
                        host: string | null;
                        lease_seconds: number;
                        /** @description The seat granted, while it is held */
                        borrow: {
                            /** Format: uuid */
                            id: string;
                            tool: string;
                            user: string;
                            /** Format: date-time */
                            borrowed_at: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            host: string | null;
                            project: string | null;
                            /** @description The borrower's team where the pool has team shares */
                            team: string | null;
                        } | null;
                        /** @description The granted borrow, even after it ended */
                        borrow_id: string | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        ticket_id: string;
                        tool: string;
                        user: string;
                        /** @description 1 for the head of the line; null unless waiting */
                        position: number | null;
                        /** Format: date-time */
                        queued_at: string;
                        /**
                         * Format: date-time
                         * @description Poll GET /queue/<ticket_id> before this or the ticket expires; null once ended
                         */
                        expires_at: string | null;
                        /** @enum {string} */
                        state: "waiting" | "granted" | "expired" | "cancelled";
                        host: string | null;
                        lease_seconds: number;
                        /** @description The seat granted, while it is held */
                        borrow: {
                            /** Format: uuid */
                            id: string;
                            tool: string;
                            user: string;
                            /** Format: date-time */
                            borrowed_at: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            host: string | null;
                            project: string | null;
                            /** @description The borrower's team where the pool has team shares */
                            team: string | null;
                        } | null;
                        /** @description The granted borrow, even after it ended */
                        borrow_id: string | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listQueue: {
        parameters: {
            query: {
                tool: string;
                /** @description Rows in the page, an integer from 1 to 500 (default 500) */
                limit?: string;
                /** @description The X-Next-Before header of the previous page */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-Before": components["headers"]["XNextBefore"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        ticket_id: string;
                        tool: string;
                        user: string;
                        /** @description 1 for the head of the line; null unless waiting */
                        position: number | null;
                        /** Format: date-time */
                        queued_at: string;
                        /**
                         * Format: date-time
                         * @description Poll GET /queue/<ticket_id> before this or the ticket expires; null once ended
                         */
                        expires_at: string | null;
                        /** @enum {string} */
                        state: "waiting" | "granted" | "expired" | "cancelled";
                        host: string | null;
                        lease_seconds: number;
                        /** @description The seat granted, while it is held */
                        borrow: {
                            /** Format: uuid */
                            id: string;
                            tool: string;
                            user: string;
                            /** Format: date-time */
                            borrowed_at: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            host: string | null;
                            project: string | null;
                            /** @description The borrower's team where the pool has team shares */
                            team: string | null;
                        } | null;
                        /** @description The granted borrow, even after it ended */
                        borrow_id: string | null;
                    }[];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    renewLease: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        tool: string;
                        user: string;
                        /** Format: date-time */
                        expires_at: string | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Gone: the borrow expired or was revoked (detail gives the reason) */
            410: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    returnLicense: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        tool: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPoolStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolStatus"][];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPoolStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tool: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolStatus"];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBorrows: {
        parameters: {
            query?: {
                user?: string;
                /** @description Rows in the page, an integer from 1 to 500 (default 500) */
                limit?: string;
                /** @description The X-Next-Before header of the previous page */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-Before": components["headers"]["XNextBefore"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        tool: string;
                        user: string;
                        /** Format: date-time */
                        borrowed_at: string;
                        /** Format: date-time */
                        expires_at: string | null;
                        host: string | null;
                        project: string | null;
                        /** @description The borrower's team where the pool has team shares */
                        team: string | null;
                    }[];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOverageCharges: {
        parameters: {
            query?: {
                tool?: string;
                /** @description Rows in the page, an integer from 1 to 500 (default 500) */
                limit?: string;
                /** @description The X-Next-Before header of the previous page */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-Before": components["headers"]["XNextBefore"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        charges: {
                            id: string;
                            tool: string;
                            borrow_id: string;
                            user: string;
                            /** Format: date-time */
                            charged_at: string;
                            amount: number;
                            /**
                             * @description borrow: an overage borrow (per_borrow mode); seat_hour: a started seat-hour of overage use
                             * @enum {string}
                             */
                            kind: "borrow" | "seat_hour";
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBudgets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tools: {
                            tool: string;
                            total: number;
                            borrowed: number;
                            commit: number;
                            max_overage: number;
                            commit_price: number;
                            overage_price_per_license: number;
                            lendable: number;
                            lease_seconds: number | null;
                            /**
                             * @description per_borrow: each overage borrow charged once; per_seat_hour: each started seat-hour of overage use
                             * @enum {string}
                             */
                            overage_mode: "per_borrow" | "per_seat_hour";
                            /** @description Day of month (1-28) the billing periods start, 00:00 UTC */
                            billing_day: number;
                            /**
                             * Format: date-time
                             * @description Start of the current billing period (inclusive)
                             */
                            period_start: string;
                            /**
                             * Format: date-time
                             * @description End of the current billing period (exclusive)
                             */
                            period_end: string;
                            /** @description Overage charged in the current billing period */
                            period_overage_cost: number;
                            /** @description Most overage money one period may take; null = no cap */
                            spend_cap: number | null;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateBudget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tool: string;
                    total: number;
                    commit: number;
                    max_overage: number;
                    commit_price: number;
                    overage_price_per_license: number;
                    lease_seconds?: number | null;
                    billing_day?: number;
                    /** @enum {string} */
                    overage_mode?: "per_borrow" | "per_seat_hour";
                    spend_cap?: number | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        tool: string;
                    };
                };
            };
            /** @description Refused: the request cannot be carried out as asked (detail says why) */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPool: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tool: string;
                    total: number;
                    commit: number;
                    max_overage: number;
                    commit_price: number;
                    overage_price_per_license: number;
                    lease_seconds?: number | null;
                    billing_day?: number;
                    /** @enum {string} */
                    overage_mode?: "per_borrow" | "per_seat_hour";
                    spend_cap?: number | null;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PoolStatus"];
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retirePool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tool: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        tool: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportFrontendError: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    message: string;
                    stack?: string | null;
                    source?: string | null;
                    lineno?: number | null;
                    colno?: number | null;
                    url?: string | null;
                    userAgent?: string | null;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address: retry after Retry-After seconds */
            429: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getVersion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: string;
                    };
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsageReport: {
        parameters: {
            query: {
                /** @description Start of the window (inclusive), ISO-8601, e.g. 2026-11-01T00:00:00Z */
                from: string;
                /** @description End of the window (exclusive), after from, at most 366 days later */
                to: string;
                /** @description One of pool, team, user, project (default pool) */
                group_by?: string;
                /** @description Only this pool */
                tool?: string;
                /** @description A denial is retried when the same user got a seat in the pool within this many minutes, else true (0-1440, default 10) */
                true_denial_minutes?: string;
                /** @description Rows in the page, 1-500 (default 100; CSV: 500) */
                first?: string;
                /** @description next_cursor of the previous page */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        from: string;
                        /** Format: date-time */
                        to: string;
                        group_by: string;
                        tool: string | null;
                        true_denial_minutes: number;
                        /** @description The width of each point of a row's series */
                        bucket_seconds: number;
                        /**
                         * Format: date-time
                         * @description First instant a reported seat was held
                         */
                        data_from: string | null;
                        /**
                         * Format: date-time
                         * @description Last instant a reported seat was held
                         */
                        data_to: string | null;
                        total_count: number;
                        next_cursor: string | null;
                        rows: {
                            tool: string;
                            group: string;
                            peak_seats: number;
                            seat_hours: number;
                            capacity: number;
                            utilisation: number;
                            denials: number;
                            true_denials: number;
                            retried_denials: number;
                            queue_waits: number;
                            queue_wait_p50_seconds: number | null;
                            queue_wait_p95_seconds: number | null;
                            expiries: number;
                            revocations: number;
                            series: {
                                /** Format: date-time */
                                at: string;
                                /** @description Average seats held in the bucket */
                                seats: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsageReportCsv: {
        parameters: {
            query: {
                /** @description Start of the window (inclusive), ISO-8601, e.g. 2026-11-01T00:00:00Z */
                from: string;
                /** @description End of the window (exclusive), after from, at most 366 days later */
                to: string;
                /** @description One of pool, team, user, project (default pool) */
                group_by?: string;
                /** @description Only this pool */
                tool?: string;
                /** @description A denial is retried when the same user got a seat in the pool within this many minutes, else true (0-1440, default 10) */
                true_denial_minutes?: string;
                /** @description Rows in the page, 1-500 (default 100; CSV: 500) */
                first?: string;
                /** @description next_cursor of the previous page */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV with a header row */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStatements: {
        parameters: {
            query?: {
                /** @description Only this pool (default: every pool) */
                tool?: string;
                /** @description current (default), previous, or a date in the period (YYYY-MM-DD) */
                period?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statements: {
                            tool: string;
                            /** Format: date-time */
                            period_start: string;
                            /** Format: date-time */
                            period_end: string;
                            /** @description The period has ended: this statement is frozen and never changes */
                            closed: boolean;
                            /** Format: date-time */
                            frozen_at: string | null;
                            billing_day: number;
                            commit_price: number;
                            overage: number;
                            total: number;
                            seat_hours: number;
                            teams: {
                                team: string;
                                seat_hours: number;
                                share: number;
                                commit: number;
                                overage: number;
                                overage_charges: number;
                                total: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStatementsCsv: {
        parameters: {
            query?: {
                /** @description Only this pool (default: every pool) */
                tool?: string;
                /** @description current (default), previous, or a date in the period (YYYY-MM-DD) */
                period?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV with a header row */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listObservedSources: {
        parameters: {
            query?: {
                /** @description Rows in the page, 1 to 500 (default 100) */
                limit?: string;
                /** @description The X-Next-After header of the previous page */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-After": components["headers"]["XNextAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sources: {
                            name: string;
                            /** @enum {string} */
                            kind: "flexnet" | "rlm";
                            /** @description The status command polled; null when the source is only pushed to */
                            command: string | null;
                            interval_seconds: number;
                            /** Format: date-time */
                            created_at: string;
                            /** @description Whether a license server answered the last snapshot; null before the first */
                            server_up: boolean | null;
                            /** @description Why no server answered, as the output said it */
                            error: string | null;
                            servers: {
                                host: string;
                                up: boolean;
                                /** @description FlexNet marks one server of a triad MASTER */
                                master: boolean;
                                version: string | null;
                                error: string | null;
                            }[];
                            /** @description Vendor daemons (FlexNet) or ISV servers (RLM) */
                            daemons: {
                                name: string;
                                up: boolean;
                                version: string | null;
                                error: string | null;
                            }[];
                            /** Format: date-time */
                            last_snapshot_at: string | null;
                            /** @description Lines of the last snapshot no rule recognised */
                            unparsed_lines: number;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createObservedSource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    kind: "flexnet" | "rlm";
                    command?: string | null;
                    interval_seconds?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "flexnet" | "rlm";
                        /** @description The status command polled; null when the source is only pushed to */
                        command: string | null;
                        interval_seconds: number;
                        /** Format: date-time */
                        created_at: string;
                        /** @description Whether a license server answered the last snapshot; null before the first */
                        server_up: boolean | null;
                        /** @description Why no server answered, as the output said it */
                        error: string | null;
                        servers: {
                            host: string;
                            up: boolean;
                            /** @description FlexNet marks one server of a triad MASTER */
                            master: boolean;
                            version: string | null;
                            error: string | null;
                        }[];
                        /** @description Vendor daemons (FlexNet) or ISV servers (RLM) */
                        daemons: {
                            name: string;
                            up: boolean;
                            version: string | null;
                            error: string | null;
                        }[];
                        /** Format: date-time */
                        last_snapshot_at: string | null;
                        /** @description Lines of the last snapshot no rule recognised */
                        unparsed_lines: number;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the current state (detail says which) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteObservedSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        source: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listObservedPools: {
        parameters: {
            query?: {
                source?: string;
                /** @description Rows in the page, 1 to 500 (default 100) */
                limit?: string;
                /** @description The X-Next-After header of the previous page */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-After": components["headers"]["XNextAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pools: {
                            source: string;
                            feature: string;
                            vendor: string | null;
                            /** @description Seats issued; null for an uncounted feature */
                            issued: number | null;
                            in_use: number;
                            reserved: number;
                            /** @description An ISO date, permanent, or null when the output did not say */
                            expires: string | null;
                            holders: {
                                user: string;
                                host: string;
                                display: string;
                                started_at: string | null;
                                licenses: number;
                                linger_seconds: number | null;
                                borrowed: boolean;
                            }[];
                            /** Format: date-time */
                            updated_at: string;
                            /** @description The last snapshot could not reach the server (or the vendor daemon): the numbers are the last seen */
                            stale: boolean;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putObservedPoolsSourceFeaturePrice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                source: string;
                feature: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Per billing period, in the currency of the statements */
                    price: number;
                    /** @description The day of the month each period starts (default 1) */
                    billing_day?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The pool as reports and statements name it: <source>/<feature> */
                        tool: string;
                        source: string;
                        feature: string;
                        price: number;
                        billing_day: number;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listObservedEvents: {
        parameters: {
            query?: {
                source?: string;
                feature?: string;
                /** @description Rows in the page, 1 to 500 (default 100) */
                limit?: string;
                /** @description The X-Next-Before header of the previous page */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-Before": components["headers"]["XNextBefore"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            id: number;
                            source: string;
                            feature: string;
                            vendor: string | null;
                            /** @enum {string} */
                            kind: "out" | "in" | "denied" | "unsupported";
                            /**
                             * @description snapshot: inferred by comparing two snapshots; log: read from the debug log
                             * @enum {string}
                             */
                            origin: "snapshot" | "log";
                            user: string;
                            host: string;
                            licenses: number;
                            reason: string | null;
                            /** Format: date-time */
                            at: string;
                        }[];
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: string | null;
                        role: string;
                        via: string;
                        mode: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiTokens: {
        parameters: {
            query?: {
                user?: string;
                /** @description 1 to 100 (default 50) */
                limit?: string;
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-Before": components["headers"]["XNextBefore"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: {
                            id: string;
                            name: string;
                            user: string;
                            role: string;
                            created_at: string;
                            created_by: string;
                            expires_at: string | null;
                            last_used_at: string | null;
                            revoked_at: string | null;
                        }[];
                        next_before: string | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    expires_in_days?: number | null;
                    user?: string;
                    /** @enum {string} */
                    role?: "viewer" | "user" | "admin";
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        token: string;
                        expires_at: string | null;
                        user: string;
                        role: string;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address: retry after Retry-After seconds */
            429: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        user: string;
                        role: string;
                        created_at: string;
                        created_by: string;
                        expires_at: string | null;
                        last_used_at: string | null;
                        revoked_at: string | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                actor?: string;
                tool?: string;
                action?: "budget_changed" | "pool_created" | "pool_retired" | "seat_revoked" | "token_created" | "token_revoked" | "borrowed_for" | "returned_for" | "heartbeat_for" | "queue_left_for" | "team_created" | "team_deleted" | "team_members_set" | "shares_changed" | "observed_source_created" | "observed_source_deleted" | "observed_price_set";
                since?: string;
                until?: string;
                /** @description 1 to 100 (default 50) */
                limit?: string;
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "X-Next-Before": components["headers"]["XNextBefore"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            id: number;
                            at: string;
                            actor: string;
                            action: string;
                            tool: string | null;
                            target: string | null;
                            detail: {
                                [key: string]: unknown;
                            } | null;
                        }[];
                        next_before: number | null;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        /** @description Where the browser goes next to end the provider's session too, when it offers that */
                        logout_url?: string;
                    };
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pushObservedSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description The output of lmstat -a or rlmstat -a, as the program printed it (at most 4194304 bytes) */
        requestBody: {
            content: {
                "text/plain": string;
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        source: string;
                        /** Format: date-time */
                        taken_at: string;
                        server_up: boolean;
                        features: number;
                        in_use: number;
                        unparsed_lines: number;
                        /** @description Check-outs and check-ins inferred against the previous snapshot */
                        events: number;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pushObservedLog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description Lines of the lmgrd debug log, as the program printed it (at most 4194304 bytes) */
        requestBody: {
            content: {
                "text/plain": string;
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        source: string;
                        events: number;
                        out: number;
                        in: number;
                        denied: number;
                        unsupported: number;
                        unparsed_lines: number;
                    };
                };
            };
            /** @description No valid credential (AUTH_MODE=required): sign in, or send Authorization: Bearer <token> */
            401: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential is valid but its role may not do this, or a browser sent it from another site */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (detail names what) */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the server accepts (BODY_LIMIT_BYTES) */
            413: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or invalid: detail lists each with its place (loc), message and type */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request line or headers are larger than the server reads (Node's limit); no body */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected fault (logged on the server; no internals in the answer) */
            500: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database (or the identity provider) does not answer: retry after Retry-After seconds */
            503: {
                headers: {
                    "X-Request-ID": components["headers"]["XRequestID"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
