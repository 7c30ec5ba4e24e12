// Which part of the people's guide (docs/guide/, shown at /help) explains which page: the
// header's Help link leads there. Sections are the guide's stable heading ids, the same in
// every language (`<a id="…"></a>` before a heading; vite-guide.mjs).
import type { User } from './api';
import { isAdmin, isStaff } from './session';

/** The guide's pages (docs/guide/<page>.md; README is the index). */
export const GUIDE_PAGES = ['README', 'visitors', 'focal-points', 'secretariat', 'administrators', 'coherence', 'statistics', 'meetings', 'positions'] as const;
export type GuidePage = (typeof GUIDE_PAGES)[number];

export function isGuidePage(x: string): x is GuidePage {
  return (GUIDE_PAGES as readonly string[]).includes(x);
}

/** The help page's address for a guide page and section. */
export function guideHref(page: GuidePage, section?: string): string {
  return (page === 'README' ? '/help' : `/help/${page}`) + (section ? `#${section}` : '');
}

// First match wins; `:id` is one path segment.
const RULES: { pattern: RegExp; page: GuidePage; section?: string; admin?: [GuidePage, string] }[] = [
  { pattern: /^\/$/, page: 'visitors', section: 'home' },
  { pattern: /^\/activities$/, page: 'visitors', section: 'find-activities' },
  { pattern: /^\/activities\/new$/, page: 'focal-points', section: 'record-an-activity' },
  { pattern: /^\/activities\/import$/, page: 'focal-points', section: 'import' },
  { pattern: /^\/activities\/[^/]+\/edit$/, page: 'focal-points', section: 'record-an-activity' },
  { pattern: /^\/activities\/[^/]+$/, page: 'visitors', section: 'activity-page' },
  { pattern: /^\/members\/[^/]+$/, page: 'visitors', section: 'members' },
  { pattern: /^\/coherence\/gaps$/, page: 'coherence', section: 'gaps' },
  { pattern: /^\/coherence\/mandates$/, page: 'coherence', section: 'mandate-map' },
  { pattern: /^\/coherence\/model$/, page: 'coherence', section: 'model' },
  { pattern: /^\/coherence(\/overlaps\/[^/]+)?$/, page: 'coherence', section: 'overlaps' },
  { pattern: /^\/stats$/, page: 'statistics', section: 'browse' },
  { pattern: /^\/stats\/upload$/, page: 'statistics', section: 'upload' },
  { pattern: /^\/stats\/[^/]+\/[^/]+$/, page: 'statistics', section: 'explore' },
  { pattern: /^\/meetings$/, page: 'meetings', section: 'meetings-list' },
  { pattern: /^\/meetings\/new$/, page: 'meetings', section: 'plan' },
  { pattern: /^\/meetings\/[^/]+$/, page: 'meetings', section: 'meeting-page' },
  { pattern: /^\/actions(\/[^/]+)?$/, page: 'meetings', section: 'actions' },
  { pattern: /^\/chair$/, page: 'visitors', section: 'chair', admin: ['administrators', 'chair-rotation'] },
  { pattern: /^\/positions\/delegations$/, page: 'positions', section: 'delegations' },
  { pattern: /^\/positions(\/[^/]+)?$/, page: 'positions', section: 'positions' },
  { pattern: /^\/notifications(\/preferences)?$/, page: 'positions', section: 'notifications' },
  { pattern: /^\/initiatives(\/[^/]+)?$/, page: 'positions', section: 'initiatives' },
  { pattern: /^\/training\/courses\/(new|[^/]+\/edit)$/, page: 'focal-points', section: 'training' },
  { pattern: /^\/signin$/, page: 'README', section: 'sign-in' },
  { pattern: /^\/admin\/members$/, page: 'secretariat', section: 'membership' },
  { pattern: /^\/admin\/themes$/, page: 'secretariat', section: 'themes' },
  { pattern: /^\/admin\/users$/, page: 'administrators', section: 'users' },
  { pattern: /^\/audit$/, page: 'secretariat', section: 'audit-log' },
  { pattern: /^\/tokens$/, page: 'focal-points', section: 'tokens' },
];

/**
 * The guide for the page at `path`, as its reader needs it: a focal point on their own
 * organisation's page gets "Editing your organisation's page", an administrator on the chair
 * page the rotation. Any other page: the guide's index.
 */
export function helpFor(path: string, user: User | null | undefined): string {
  if (user?.organization_id && path === `/members/${encodeURIComponent(user.organization_id)}` && (user.role === 'focal_point' || isStaff(user))) {
    return guideHref('focal-points', 'your-organisation');
  }
  for (const r of RULES) {
    if (!r.pattern.test(path)) continue;
    if (r.admin && isAdmin(user)) return guideHref(...r.admin);
    return guideHref(r.page, r.section);
  }
  return guideHref('README');
}
