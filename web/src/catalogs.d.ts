// Compiled message catalogues (vite-catalogs.mjs).
// `virtual:gmg-catalog/<lang>`: the language's core areas; `virtual:gmg-catalog/<lang>/<area>`: one area.
declare module 'virtual:gmg-catalog/loaders' {
  import type { Messages } from '@lingui/core';
  /** The areas in every language's core catalogue. */
  export const CORE_AREAS: readonly string[];
  /** English's other areas, each its own chunk per language. */
  export const AREAS: readonly string[];
  /** Per language: `core` and one loader per area of AREAS. */
  const loaders: Record<string, Record<string, () => Promise<{ default: Messages }>>>;
  export default loaders;
}
declare module 'virtual:gmg-catalog/*' {
  import type { Messages } from '@lingui/core';
  const messages: Messages;
  export default messages;
}
