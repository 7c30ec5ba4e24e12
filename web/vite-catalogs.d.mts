import type { Plugin } from 'vite';
export function compileCatalog(lang: string, source: Record<string, string>): Record<string, unknown>;
export function catalogs(): Plugin;
