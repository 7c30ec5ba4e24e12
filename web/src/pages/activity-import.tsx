// /activities/import: an IATI 2.01–2.03 XML file → Preview (dry run: what would be created,
// updated or skipped, and why) → Import. All-or-nothing on the server; errors name the line.
import { useState } from 'preact/hooks';
import { api, type ImportReport } from '../api';
import { Link } from '../router';
import { ErrorBox, Table, useId, usePageTitle } from '../ui';

const MAX_BYTES = 64 * 1024 * 1024;

export function ActivityImportPage() {
  usePageTitle('Import activities');
  const fileId = useId('file');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);

  async function send(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setReport(null);
    if (file.size > MAX_BYTES) {
      setError(new Error(`The file is ${(file.size / 1048576).toFixed(1)} MiB; the limit is 64 MiB.`));
      return;
    }
    setBusy(dryRun ? 'preview' : 'import');
    try {
      const r = await api.postRaw<ImportReport>(`/activities/import${dryRun ? '?dry_run=1' : ''}`, file, 'application/xml');
      setReport(r.data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section>
      <p class="crumbs">
        <Link href="/activities">Activities</Link> › Import
      </p>
      <h1>Import activities from IATI</h1>
      <p class="lede">
        An IATI 2.01, 2.02 or 2.03 file (<code>iati-activities</code>, or one <code>iati-activity</code>), up to 64 MiB. Preview first: nothing is
        saved until you press Import, and a file with an error changes nothing. Importing the same identifiers again updates the activities
        instead of duplicating them.
      </p>
      <form
        class="panel"
        onSubmit={(e) => {
          e.preventDefault();
          send(true);
        }}
      >
        <div class="field">
          <label for={fileId}>IATI XML file</label>
          <input
            id={fileId}
            type="file"
            accept=".xml,application/xml,text/xml"
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
              setFile(f);
              setReport(null);
              setError(null);
            }}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={!file || busy !== null}>
            {busy === 'preview' ? 'Checking…' : 'Preview'}
          </button>
          {/* Import is offered only after a preview that would change something. */}
          <button type="button" disabled={!file || busy !== null || !report || !report.dry_run || !changes(report)} onClick={() => send(false)}>
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
          {file && !report && <span class="hint">Preview the file before importing it.</span>}
          {report?.dry_run && !changes(report) && <span class="hint">Importing this file would change nothing.</span>}
        </div>
      </form>
      <ErrorBox error={error} title={busy === null ? 'The file was not imported.' : undefined} />
      {report && <Report report={report} />}
    </section>
  );
}

/** Would (or did) the import create or update anything? */
const changes = (r: ImportReport) => r.created + r.updated > 0;

/** One sentence on what will happen or happened, in the words of the counts. */
function outcome(r: ImportReport): string {
  const parts = (c: number, u: number) => [c > 0 ? `create ${c} ${c === 1 ? 'activity' : 'activities'}` : '', u > 0 ? `update ${u}` : ''].filter(Boolean).join(' and ');
  if (r.dry_run) {
    if (!changes(r)) return 'Importing this file would change nothing: no activity in it would be created or updated (see the reasons below). Nothing has been saved.';
    return `Importing this file would ${parts(r.created, r.updated)}. Nothing has been saved yet: press Import to do it.`;
  }
  if (!changes(r)) return 'Nothing was imported: no activity in the file was created or updated (see the reasons below).';
  const did = [r.created > 0 ? `${r.created} ${r.created === 1 ? 'activity was' : 'activities were'} created` : '', r.updated > 0 ? `${r.updated} updated` : ''].filter(Boolean).join(' and ');
  return `Imported: ${did}.`;
}

function Report({ report }: { report: ImportReport }) {
  const verb = report.dry_run ? 'would be' : 'were';
  return (
    <section aria-labelledby="report-h" data-testid="import-report">
      <h2 id="report-h">{report.dry_run ? 'Preview' : changes(report) ? 'Imported' : 'Nothing imported'}</h2>
      {report.dry_run || !changes(report) ? (
        <p class="notice neutral" role="status" data-testid="import-outcome">
          {outcome(report)}
        </p>
      ) : (
        <p class="notice" role="status" data-testid="import-outcome">
          {outcome(report)}
        </p>
      )}
      <p data-testid="import-counts">
        IATI version {report.file_version}: <strong>{report.created}</strong> {verb} created, <strong>{report.updated}</strong> {verb} updated,{' '}
        <strong>{report.skipped}</strong> {verb} skipped
        {report.unchanged > 0 && (
          <>
            , <strong>{report.unchanged}</strong> unchanged
          </>
        )}
        {report.kept_archived > 0 && (
          <>
            , <strong>{report.kept_archived}</strong> kept archived
          </>
        )}
        .
      </p>
      {report.items.length > 0 && (
        <Table columns={['Line', 'IATI identifier', 'Action', 'Reason']} compact testId="import-items">
          {report.items.map((it, i) => (
            <tr key={i}>
              <td>{it.line}</td>
              <td>
                <code>{it.iati_identifier}</code>
              </td>
              <td>{it.activity_id != null && !report.dry_run ? <Link href={`/activities/${it.activity_id}`}>{it.action}</Link> : it.action}</td>
              <td>{it.changed.length > 0 ? `Changes ${it.changed.join(', ')}` : it.reason}</td>
            </tr>
          ))}
        </Table>
      )}
      {report.items_truncated && <p data-testid="import-items-more">and {report.items_total - report.items.length} more activities</p>}
      {report.warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul class="plain" data-testid="import-warnings">
            {report.warnings.map((w, i) => (
              <li key={i}>
                Line {w.line}, <code>{w.element}</code>: {w.message}
              </li>
            ))}
            {report.warnings_truncated && <li data-testid="import-warnings-more">and {report.warnings_total - report.warnings.length} more</li>}
          </ul>
        </>
      )}
    </section>
  );
}
