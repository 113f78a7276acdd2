// Real paths (/, /config, /shares, /costs, /tokens) with the history API; the server serves index.html at each.

export type Route = 'dashboard' | 'config' | 'teams' | 'costs' | 'tokens';

const PATHS: Record<Route, string> = { dashboard: '/', config: '/config', teams: '/shares', costs: '/costs', tokens: '/tokens' };

function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '');
  return (Object.keys(PATHS) as Route[]).find((r) => r !== 'dashboard' && PATHS[r] === path) ?? 'dashboard';
}

export class Router {
  route = $state<Route>(routeOf(window.location.pathname));

  constructor() {
    window.addEventListener('popstate', () => {
      this.route = routeOf(window.location.pathname);
    });
  }

  href(route: Route): string {
    return PATHS[route];
  }

  go(route: Route): void {
    if (route === this.route) return;
    window.history.pushState({}, '', PATHS[route]);
    this.route = route;
    window.scrollTo(0, 0);
  }

  /** Click handler for in-app links: keeps modifier-clicks (new tab) working. */
  follow(route: Route) {
    return (event: MouseEvent) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.go(route);
    };
  }
}
