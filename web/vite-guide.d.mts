import type { Plugin } from 'vite';
export function renderGuide(markdown: string): string;
export function guide(): Plugin;
