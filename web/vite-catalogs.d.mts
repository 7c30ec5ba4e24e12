import type { Plugin } from 'vite';
export const CORE_AREAS: string[];
export function areaOf(id: string): string;
export function compileCatalog(lang: string, source: Record<string, string>): Record<string, unknown>;
export function catalogs(): Plugin;
export function catalogChunkName(moduleId: string | null | undefined): string | null;
