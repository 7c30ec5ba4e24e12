// A record's ETag is "v<version>" (docs/api.md). List items carry `version`, so a PATCH can send
// the version the user actually saw: if someone changed the record since, the server answers 412.
export function versionEtag(version: number): string {
  return `"v${version}"`;
}
