// The deck's live slide: shows every license pool of the server that serves the deck,
// kept current by the GraphQL subscription poolChanged over server-sent events.
// Plain browser code, no bundler. All server text goes in with textContent, never as HTML.
(() => {
  var FIELDS = 'tool total borrowed available commit maxOverage overage inCommit lendable queued retired';
  var POOLS_QUERY = `{ pools { ${FIELDS} } }`;
  var SUBSCRIPTION = `subscription { poolChanged { ${FIELDS} } }`;
  var MAX_SEAT_CELLS = 40;

  /** Creates an element with a class and optional text. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock(date) {
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /** One live view bound to a container element. */
  function LivePools(root) {
    this.root = root;
    this.pools = new Map();
    this.rows = new Map();
    this.source = null;
    this.retryMs = 1000;
    this.retryTimer = null;
    this.loading = 0; // pool reads in flight; changes that arrive meanwhile wait in pending
    this.pending = [];
    this.signedOut = false; // the server wants a signed-in reader: no retry until the page reloads
    this.checkingSignIn = false;

    root.textContent = '';
    var head = el('div', 'live-head');
    this.badge = el('span', 'live-state');
    this.badge.setAttribute('data-live-state', 'connecting');
    this.badge.setAttribute('role', 'status');
    this.badge.setAttribute('aria-live', 'polite');
    this.badge.textContent = 'connecting';
    this.lastChange = el('span', 'live-last', 'waiting for the first change');
    this.lastChange.setAttribute('data-live-last', '');
    head.appendChild(this.badge);
    head.appendChild(this.lastChange);
    head.appendChild(legend());
    this.list = el('div', 'pool-list');
    root.appendChild(head);
    root.appendChild(this.list);
  }

  LivePools.prototype.setState = function (state, label) {
    this.badge.setAttribute('data-live-state', state);
    this.badge.textContent = label || state;
  };

  LivePools.prototype.start = function () {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.source) this.source.close();
    this.setState('connecting', 'connecting');
    var source = new EventSource(`/graphql?query=${encodeURIComponent(SUBSCRIPTION)}`);
    this.source = source;
    source.onopen = () => {
      this.retryMs = 1000;
      this.setState('live', 'live');
      // (Re)read the whole state once the stream is open, so nothing between the two is lost.
      this.loadPools();
    };
    var onMessage = (event) => {
      this.handleMessage(event.data);
    };
    source.addEventListener('message', onMessage);
    source.addEventListener('next', onMessage);
    source.addEventListener('complete', () => {
      this.retryLater();
    });
    source.onerror = () => {
      if (this.signedOut) return;
      if (source.readyState === EventSource.CLOSED) this.retryLater();
      else this.setState('reconnecting', 'reconnecting');
    };
  };

  /** The server closed the stream or refused it: try again with a growing delay — unless it
   *  refused because this Floatline wants a signed-in reader (AUTH_MODE=required), which no
   *  retry fixes: then the slide says so and links to the sign-in, which returns here. */
  LivePools.prototype.retryLater = function () {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
    if (this.retryTimer || this.signedOut || this.checkingSignIn) return;
    this.checkingSignIn = true;
    needsSignIn().then((needed) => {
      this.checkingSignIn = false;
      if (needed) this.showSignIn();
      else this.scheduleRetry();
    });
  };

  LivePools.prototype.showSignIn = function () {
    this.signedOut = true;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.setState('signed-out', 'sign-in needed');
    this.lastChange.textContent = '';
    var note = el('p', 'live-sign-in');
    note.setAttribute('data-live-sign-in', '');
    note.appendChild(document.createTextNode('This Floatline shows its pools to signed-in people only. '));
    var link = el('a', '', 'Sign in');
    link.href = `/auth/login?return_to=${encodeURIComponent(window.location.pathname + window.location.hash)}`;
    note.appendChild(link);
    note.appendChild(document.createTextNode(' and this slide comes back live.'));
    this.list.textContent = '';
    this.list.appendChild(note);
  };

  LivePools.prototype.scheduleRetry = function () {
    if (this.retryTimer || this.signedOut) return;
    var wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    this.setState('reconnecting', `reconnecting in ${Math.round(wait / 1000)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start();
    }, wait);
  };

  LivePools.prototype.loadPools = function () {
    this.loading++;
    fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: POOLS_QUERY }),
    })
      .then((res) => {
        if (res.status === 401) throw Object.assign(new Error('sign-in needed'), { signIn: true });
        return res.json();
      })
      .then((body) => {
        if (!body?.data || !Array.isArray(body.data.pools)) {
          throw new Error(body?.errors?.[0]?.message || 'no pools in the answer');
        }
        // A fresh list: pools retired meanwhile are gone from it.
        this.pools = new Map();
        body.data.pools.forEach((pool) => {
          this.pools.set(pool.tool, pool);
        });
        this.render();
      })
      .catch((err) => {
        if (err?.signIn) this.showSignIn();
        else this.setState('error', `error: ${String(err?.message ? err.message : err)}`);
      })
      .then(() => {
        this.loading--;
        if (this.loading > 0) return;
        var queued = this.pending;
        this.pending = [];
        queued.forEach((pool) => {
          this.applyChange(pool);
        });
      });
  };

  LivePools.prototype.handleMessage = function (data) {
    var message;
    try {
      message = JSON.parse(data);
    } catch (_e) {
      return;
    }
    if (message?.errors?.length) {
      this.setState('error', `error: ${String(message.errors[0].message)}`);
      return;
    }
    var pool = message?.data?.poolChanged;
    if (!pool) return;
    if (this.loading > 0) this.pending.push(pool);
    else this.applyChange(pool);
  };

  LivePools.prototype.applyChange = function (pool) {
    if (pool.retired) {
      // An admin retired the pool: it leaves the slide.
      this.pools.delete(pool.tool);
      this.render();
      this.lastChange.textContent = `Last change ${clock(new Date())}: ${pool.tool} retired`;
      return;
    }
    var before = this.pools.get(pool.tool);
    this.pools.set(pool.tool, pool);
    this.render();
    var now = pool.borrowed;
    var moved = before && before.borrowed !== now ? `${before.borrowed} → ${now}` : `still ${now}`;
    this.lastChange.textContent = `Last change ${clock(new Date())}: ${pool.tool} ${moved} of ${pool.total} borrowed`;
    var row = this.rows.get(pool.tool);
    if (row) {
      row.classList.remove('changed');
      void row.offsetWidth; // restart the highlight animation
      row.classList.add('changed');
    }
  };

  LivePools.prototype.render = function () {
    var tools = Array.from(this.pools.keys()).sort();
    this.rows.forEach((row, tool) => {
      if (this.pools.has(tool)) return;
      row.remove();
      this.rows.delete(tool);
    });
    tools.forEach((tool) => {
      var row = this.rows.get(tool);
      if (!row) {
        row = el('div', 'pool');
        row.setAttribute('data-tool', tool);
        this.rows.set(tool, row);
      }
      this.list.appendChild(row); // keeps rows in tool order
      fillRow(row, this.pools.get(tool));
    });
  };

  /** True when the server answers /auth/me with 401: nobody is signed in and it wants someone. */
  function needsSignIn() {
    return fetch('/auth/me', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((res) => res.status === 401)
      .catch(() => false);
  }

  function legend() {
    var box = el('span', 'live-legend');
    [
      ['seat taken', 'borrowed'],
      ['seat', 'commit seat'],
      ['seat beyond-commit', 'overage seat'],
    ].forEach((item) => {
      var entry = el('span', 'legend-item');
      entry.appendChild(el('span', item[0]));
      entry.appendChild(document.createTextNode(item[1]));
      box.appendChild(entry);
    });
    return box;
  }

  function fillRow(row, pool) {
    row.setAttribute('data-borrowed', String(pool.borrowed));
    // Lendable seats, not total − borrowed: a pool at its overage cap has none to lend.
    var exhausted = pool.lendable <= 0;
    row.classList.toggle('exhausted', exhausted);
    row.classList.toggle('overage', pool.overage > 0);
    row.textContent = '';

    row.appendChild(el('div', 'pool-name', pool.tool));

    var seats = el('div', 'pool-seats');
    var cells = Math.min(pool.total, MAX_SEAT_CELLS);
    var scale = pool.total / cells;
    for (let i = 0; i < cells; i++) {
      const seat = el('span', 'seat');
      const seatIndex = Math.floor(i * scale);
      if (seatIndex < pool.borrowed) seat.classList.add('taken');
      if (seatIndex >= pool.commit) seat.classList.add('beyond-commit');
      seats.appendChild(seat);
    }
    seats.setAttribute('aria-label', `${pool.borrowed} of ${pool.total} seats borrowed`);
    row.appendChild(seats);

    var count = el('div', 'pool-count');
    count.appendChild(el('b', '', String(pool.borrowed)));
    count.appendChild(document.createTextNode(` / ${pool.total}`));
    row.appendChild(count);

    // While anyone waits in line, lendable is 0: the line is what the room should see.
    var waiting = pool.queued > 0 ? ` · ${pool.queued} waiting` : '';
    var state = exhausted ? `exhausted${waiting}` : `${pool.lendable} free · ${pool.overage > 0 ? `overage ${pool.overage}` : 'in commit'}`;
    row.appendChild(el('div', 'pool-state', state));
  }

  // The story on stage: the latest few things that happened — a job joining the line, the seat
  // it is handed, a seat an admin released and why — read once, then followed over SSE.
  var EVENT_FIELDS = 'id type tool user at reason revocationReason leftBecause';
  var EVENTS_QUERY = `{ events(first: 6) { nodes { ${EVENT_FIELDS} } } }`;
  var EVENTS_SUBSCRIPTION = `subscription { licenseEvents { ${EVENT_FIELDS} } }`;
  var EVENTS_SHOWN = 6;
  var REASONS = {
    EXHAUSTED: 'no seat free',
    MAX_OVERAGE: 'overage cap reached',
    QUEUE_AHEAD: 'others are waiting in line',
    SPEND_CAP: 'overage spend cap reached',
    TEAM_MAX: 'team at its maximum',
    RESERVED_FOR_OTHER_TEAMS: 'seats reserved for other teams',
  };

  /** "a cad_tool", "an analysis": as the dashboard says it (client/src/lib/format.ts aTool). */
  function aTool(tool) {
    return `${/^[aeiou]/i.test(tool) ? 'an' : 'a'} ${tool}`;
  }

  function eventText(e) {
    var who = e.user || 'someone';
    switch (e.type) {
      case 'BORROWED':
        return [`${who} borrowed ${aTool(e.tool)} seat`, 'borrowed'];
      case 'RETURNED':
        return [`${who} returned a seat of ${e.tool}`, 'returned'];
      case 'DENIED':
        return [`${who} was turned away from ${e.tool}: ${REASONS[e.reason] || String(e.reason || '').toLowerCase()}`, 'denied'];
      case 'QUEUED':
        return [`${who} is waiting in line for ${e.tool}`, 'queued'];
      case 'GRANTED':
        return [`${who} was handed ${aTool(e.tool)} seat from the line`, 'granted'];
      case 'LEFT_QUEUE':
        return [`${who} left the line for ${e.tool}${e.leftBecause === 'expired' ? ' (stopped waiting)' : ''}`, 'left'];
      case 'EXPIRED':
        return [`${who}'s lease on ${e.tool} ran out: seat released`, 'expired'];
      case 'REVOKED':
        return [`${who}'s ${e.tool} seat released by an admin${e.revocationReason ? `: “${e.revocationReason}”` : ''}`, 'revoked'];
      default:
        return [`${e.tool}: ${String(e.type).toLowerCase().replace(/_/g, ' ')}`, 'other'];
    }
  }

  function LiveEvents(root) {
    this.root = root;
    this.source = null;
    this.retryMs = 1000;
    this.seen = new Set();
    root.textContent = '';
    root.appendChild(el('p', 'events-title', 'What just happened'));
    this.list = el('ol', 'event-list');
    this.list.setAttribute('aria-live', 'polite');
    this.empty = el('li', 'event event-empty', 'Nothing yet: borrow a seat, join a line, release one.');
    this.list.appendChild(this.empty);
    root.appendChild(this.list);
  }

  LiveEvents.prototype.add = function (e, fresh) {
    if (!e || this.seen.has(e.id)) return;
    this.seen.add(e.id);
    this.empty.remove();
    var text = eventText(e);
    var item = el('li', `event event-${text[1]}${fresh ? ' changed' : ''}`);
    item.setAttribute('data-event-type', String(e.type).toLowerCase());
    item.appendChild(el('time', 'event-time', clock(new Date(e.at))));
    item.appendChild(el('span', 'event-text', text[0]));
    if (fresh) this.list.insertBefore(item, this.list.firstChild);
    else this.list.appendChild(item);
    while (this.list.children.length > EVENTS_SHOWN) this.list.lastChild.remove();
  };

  LiveEvents.prototype.start = function () {
    fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: EVENTS_QUERY }),
    })
      .then((res) => (res.ok ? res.json() : null))
      .then((body) => {
        (body?.data?.events?.nodes || []).forEach((e) => {
          this.add(e, false);
        });
      })
      .catch(() => {});
    var source = new EventSource(`/graphql?query=${encodeURIComponent(EVENTS_SUBSCRIPTION)}`);
    this.source = source;
    source.onopen = () => {
      this.retryMs = 1000;
    };
    var onMessage = (event) => {
      try {
        this.add(JSON.parse(event.data)?.data?.licenseEvents, true);
      } catch (_e) {
        /* not an event */
      }
    };
    source.addEventListener('message', onMessage);
    source.addEventListener('next', onMessage);
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
      source.close();
      // Refused (sign-in needed) or the server went away: the pools view says which; try later.
      needsSignIn().then((needed) => {
        if (needed) return;
        var wait = this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        setTimeout(() => this.start(), wait);
      });
    };
  };

  function fillCurlExamples() {
    document.querySelectorAll('[data-live-curl]').forEach((node) => {
      node.textContent = `curl -X POST ${window.location.origin}/licenses/borrow -H 'content-type: application/json' -d '{"tool":"cad_tool","user":"you"}'`;
    });
  }

  function init() {
    fillCurlExamples();
    // A printed deck shows the last state it loaded; a live view needs EventSource and fetch.
    if (typeof EventSource === 'undefined' || typeof fetch === 'undefined') return;
    document.querySelectorAll('[data-live-pools]').forEach((root) => {
      var view = new LivePools(root);
      view.loadPools(); // show the pools at once, even before the event stream is open
      view.start();
    });
    document.querySelectorAll('[data-live-events]').forEach((root) => {
      new LiveEvents(root).start();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
