/**
 * The API paths the web app calls (src/server/routes/*.route.ts); kept in one place so a renamed
 * route is one edit here.
 */
const enc = encodeURIComponent;

export const PATHS = {
  regions: '/regions',
  dashboard: (code: string) => `/regions/${enc(code)}/dashboard`,
  boundaries: (code: string) => `/regions/${enc(code)}/boundaries`,
  skdn: (code: string) => `/regions/${enc(code)}/skdn`,
  alerts: (code: string) => `/regions/${enc(code)}/alerts`,
  alertFollowUp: (id: number) => `/alerts/${id}/follow-up`,
  priority: (code: string) => `/regions/${enc(code)}/priority`,
  posyanduOfRegion: (code: string) => `/regions/${enc(code)}/posyandu`,
  posyanduChildren: (id: number) => `/posyandu/${id}/children`,
  measurements: '/measurements',
  growthPreview: '/growth/preview',
  children: '/children',
  child: (id: number) => `/children/${id}`,
  growthCard: (id: number) => `/children/${id}/growth-card`,
  growthCurves: '/growth/curves',
  imports: '/imports',
  importDetail: (id: number) => `/imports/${id}`,
  importRejects: (id: number) => `/imports/${id}/rejects`,
  quality: (code: string) => `/regions/${enc(code)}/quality`,
  duplicates: (code: string) => `/regions/${enc(code)}/duplicates`,
  merge: '/duplicates/merge',
  rounds: '/evaluation/rounds',
  round: (id: number) => `/evaluation/rounds/${id}`,
  scorecard: (id: number) => `/evaluation/rounds/${id}/scorecard`,
  barriers: (id: number) => `/evaluation/rounds/${id}/barriers`,
  actions: (id: number) => `/evaluation/rounds/${id}/actions`,
  action: (id: number) => `/evaluation/actions/${id}`,
  roles: (id: number) => `/evaluation/rounds/${id}/roles`,
  report: (id: number) => `/evaluation/rounds/${id}/report`,
  targets: '/config/targets',
  config: '/config/analytics',
  users: '/admin/users',
  user: (id: number) => `/admin/users/${id}`,
  audit: '/admin/audit',
};
