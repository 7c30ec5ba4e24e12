// The knowledge library (issue 13, docs/library.md): shapes from docs/api.md "Library" and who
// may do what (the server decides; these only choose what to show).
import type { User } from './api';
import { isStaff } from './session';

export const LIBRARY_KINDS = ['research_finding', 'publication', 'policy_brief', 'best_practice', 'training_material'] as const;
export type LibraryKind = (typeof LIBRARY_KINDS)[number];
export const LIBRARY_FACETS = ['kind', 'organization', 'theme', 'country', 'year', 'language'] as const;
export type LibraryFacet = (typeof LIBRARY_FACETS)[number];

export interface LibraryItem {
  id: number;
  href: string;
  kind: LibraryKind;
  title: string;
  authors: string[];
  organization_id: string;
  organizations: string[];
  year: number;
  language: string;
  themes: string[];
  countries: string[];
  abstract: string;
  url: string;
  file: { name: string; media_type: string; size: number; sha256: string; href: string } | null;
  status: 'published' | 'in_review' | 'rejected' | 'withdrawn';
  reject_reason: string;
  submitted_by: number | null;
  version: number;
  /** Search results only. */
  score?: number;
  title_html?: string;
  snippet_html?: string;
}

export interface LibrarySearch {
  items: LibraryItem[];
  total: number;
  next_cursor: string | null;
  facets: Partial<Record<LibraryFacet, { value: string; count: number }[]>>;
}

export interface StoredFile {
  sha256: string;
  media_type: string;
  size: number;
  file_name: string;
  existed: boolean;
}

export const libraryPath = (id: number | string) => `/library/${encodeURIComponent(String(id))}`;

/** Adds items: focal points (for their organisation) and the secretariat. */
export const canAddToLibrary = (u: User | null | undefined): boolean => isStaff(u) || (!!u && u.role === 'focal_point' && !!u.organization_id);
/** Edits and withdraws an item: its organisation's focal point, the secretariat. */
export const canEditLibraryItem = (u: User | null | undefined, item: Pick<LibraryItem, 'organization_id'>): boolean =>
  isStaff(u) || (!!u && u.role === 'focal_point' && u.organization_id === item.organization_id);
/** Reviews best practices (designated reviewers too: the queue tells). */
export const reviewsLibrary = (u: User | null | undefined): boolean => !!u;
