// Compiled message catalogues (vite-catalogs.mjs): `virtual:gmg-catalog/<lang>`.
declare module 'virtual:gmg-catalog/*' {
  import type { Messages } from '@lingui/core';
  const messages: Messages;
  export default messages;
}
