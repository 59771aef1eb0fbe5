// Who may open what (safeguards.md 12): one table of routes × roles, used by the server to authorise
// every request and by the tests to check every cell. A guest has access only under a live grant.

export const ROLES = ['lab', 'analyst', 'senior', 'partner', 'auditor', 'guest'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  lab: 'Analytics lab (administrator)',
  analyst: 'Intelligence Department analyst',
  senior: 'Senior officer (tasking)',
  partner: 'Partner (match service only)',
  auditor: 'Auditor (governance and audit only)',
  guest: 'Time-limited access (grant from the Director of Intelligence)',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Read-only intelligence views a guest with a live grant may use (no search, no export). */
const INTEL_READ: Role[] = ['lab', 'analyst', 'senior', 'guest'];
const ALL_SIGNED_IN: Role[] = [...ROLES];
const INTERNAL: Role[] = ['lab', 'analyst', 'senior', 'auditor', 'guest'];

export interface RoutePolicy {
  method: 'GET' | 'POST';
  /** Fastify route pattern. */
  path: string;
  /** null = no sign-in needed. */
  roles: Role[] | null;
  /** Reachable before the caveats are acknowledged in this session. */
  beforeCaveats?: boolean;
  what: string;
}

export const ROUTES: RoutePolicy[] = [
  { method: 'GET', path: '/login', roles: null, what: 'sign-in form' },
  { method: 'POST', path: '/login', roles: null, what: 'sign in' },
  { method: 'GET', path: '/healthz', roles: null, what: 'liveness' },
  { method: 'GET', path: '/static/*', roles: null, what: 'style sheet and page scripts' },
  { method: 'GET', path: '/vendor/:file', roles: null, what: 'sigma.js and graphology browser builds' },
  { method: 'POST', path: '/logout', roles: ALL_SIGNED_IN, beforeCaveats: true, what: 'sign out' },
  { method: 'GET', path: '/', roles: ALL_SIGNED_IN, beforeCaveats: true, what: 'landing page: the caveats' },
  { method: 'POST', path: '/caveats/acknowledge', roles: ALL_SIGNED_IN, beforeCaveats: true, what: 'acknowledge the caveats' },
  { method: 'GET', path: '/overview', roles: INTEL_READ, what: 'tasking overview' },
  { method: 'GET', path: '/networks', roles: INTEL_READ, what: 'networks table' },
  { method: 'GET', path: '/networks/:id', roles: INTEL_READ, what: 'one network' },
  { method: 'GET', path: '/api/networks/:id/graph', roles: INTEL_READ, what: 'network graph JSON' },
  { method: 'GET', path: '/networks/:id/harm-trend.svg', roles: INTEL_READ, what: 'network harm trend chart (SVG)' },
  { method: 'GET', path: '/networks/:id/record-map.svg', roles: INTEL_READ, what: "map of where a network's members' scored records happened (SVG)" },
  { method: 'GET', path: '/nominals/:id', roles: INTEL_READ, what: 'one nominal' },
  { method: 'GET', path: '/search', roles: ['lab', 'analyst'], what: 'search nominals' },
  { method: 'GET', path: '/export/networks/:id', roles: ['lab', 'analyst'], what: 'export a network (CSV)' },
  { method: 'GET', path: '/charts/:name', roles: INTEL_READ, what: 'Vega-Lite chart spec' },
  { method: 'GET', path: '/snapshots', roles: INTERNAL, what: 'snapshot list' },
  { method: 'GET', path: '/snapshots/:id/verify', roles: INTERNAL, what: 're-hash one snapshot against its manifest' },
  { method: 'GET', path: '/snapshots/diff', roles: INTEL_READ, what: 'what changed between two snapshots' },
  // A disclosure bundle is a formal CPIA product (Sensitive Material; Force Intelligence consulted first, safeguards.md 11):
  // made by the analytics lab on request, and by auditors reproducing what was shown at a snapshot (safeguards.md 15).
  // Analysts and senior officers ask the lab; partners and guests never.
  { method: 'POST', path: '/snapshots/:id/disclosure', roles: ['lab', 'auditor'], what: 'make a CPIA disclosure bundle for one nominal or network' },
  { method: 'GET', path: '/disclosures/:token', roles: ['lab', 'auditor'], what: 'download a disclosure bundle you made (.tar.gz)' },
  { method: 'GET', path: '/feedback', roles: INTERNAL, what: 'feedback form' },
  { method: 'POST', path: '/feedback', roles: INTERNAL, what: 'submit feedback' },
  { method: 'GET', path: '/feedback/list', roles: ['lab'], what: 'feedback received' },
  { method: 'POST', path: '/feedback/:id/status', roles: ['lab'], what: 'move a feedback report towards closure' },
  { method: 'GET', path: '/audit', roles: ['lab', 'auditor'], what: 'audit log' },
  { method: 'GET', path: '/partner', roles: ['lab', 'partner'], what: 'partner match service' },
  // served by dashboards/partner/register-partner-routes.ts (same rows as its PARTNER_ROUTES; a test keeps them equal)
  { method: 'POST', path: '/api/partner/match', roles: ['partner'], what: 'partner match request (JSON or CSV upload)' },
  { method: 'POST', path: '/partner/upload', roles: ['partner'], what: 'partner match upload form' },
  { method: 'GET', path: '/partner/requests/:id', roles: ['lab', 'partner'], what: 'one partner match request and its result' },
  { method: 'GET', path: '/partner/requests/:id/result.csv', roles: ['lab', 'partner'], what: 'partner match result (CSV)' },
  { method: 'GET', path: '/partner/review', roles: ['lab'], what: 'possible-match review queue and all partner requests' },
  { method: 'POST', path: '/partner/review', roles: ['lab'], what: 'confirm or reject a possible match' },
  { method: 'GET', path: '/users', roles: ['lab'], what: 'accounts and grants' },
  // accountability (docs/accountability.md): fairness monitoring, the public transparency register, the evaluation report
  { method: 'GET', path: '/fairness', roles: ['lab', 'analyst', 'senior', 'auditor'], what: 'fairness monitoring (disparity ratios, flags, trend)' },
  { method: 'GET', path: '/transparency', roles: null, what: 'transparency register (public: no personal data)' },
  { method: 'GET', path: '/evaluation', roles: ['lab', 'auditor'], what: 'evaluation report and deployment log' },
];

export function policyFor(method: string, routePath: string): RoutePolicy | undefined {
  return ROUTES.find((r) => r.method === method && r.path === routePath);
}

/** Where each role lands after acknowledging the caveats. */
export function homeFor(role: Role): string {
  if (role === 'partner') return '/partner';
  if (role === 'auditor') return '/audit';
  return '/overview';
}
