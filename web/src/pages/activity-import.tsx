// /activities/import: an IATI 2.01–2.03 XML file → Preview (dry run: what would be created,
// updated or skipped, and why) → Import. All-or-nothing on the server; errors name the line.
import { useState } from 'preact/hooks';
import { ApiError, api, type ErrorDetail, type ImportReport } from '../api';
import { Link } from '../router';
import { ErrorBox, Table, problemArgs, problemText, useId, usePageTitle, useResource } from '../ui';
import { t, tMaybe } from '../i18n';
import { formatMebibytes, formatNumber } from '../format';
import { canCheck } from '../coherence';
import { ImportOverlaps } from '../overlaps-panel';
import { loadOrganizations } from '../activities';
import { useSession } from '../session';

const MAX_BYTES = 64 * 1024 * 1024;

export function ActivityImportPage() {
  usePageTitle(t('import.pageTitle'));
  const fileId = useId('file');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const { user } = useSession();
  // The registry's IATI organisation ids, to name the reporting organisation of the previewed activities.
  const orgIds = useResource(
    () => loadOrganizations().then(({ members, partners }) => new Map([...members, ...partners].filter((o) => o.iati_org_id).map((o) => [o.iati_org_id!, o.id]))),
    [],
  );

  async function send(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setReport(null);
    if (file.size > MAX_BYTES) {
      setError(new Error(t('import.tooLarge', { size: formatMebibytes(file.size), limit: formatNumber(MAX_BYTES / 1048576) })));
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
        <Link href="/activities">{t('activities.title')}</Link> › {t('import.crumb')}
      </p>
      <h1>{t('import.heading')}</h1>
      <p class="lede">
        {t('import.ledeFile', { limit: formatNumber(MAX_BYTES / 1048576) })} {t('import.ledePreview')}
      </p>
      <form
        class="panel"
        onSubmit={(e) => {
          e.preventDefault();
          send(true);
        }}
      >
        <div class="field">
          <label for={fileId}>{t('import.file')}</label>
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
            {busy === 'preview' ? t('import.checking') : t('import.preview')}
          </button>
          {/* Import is offered only after a preview that would change something. */}
          <button type="button" disabled={!file || busy !== null || !report || !report.dry_run || !changes(report)} onClick={() => send(false)}>
            {busy === 'import' ? t('import.importing') : t('import.import')}
          </button>
          {file && !report && <span class="hint">{t('import.previewFirst')}</span>}
          {report?.dry_run && !changes(report) && <span class="hint">{t('import.wouldChangeNothing')}</span>}
        </div>
      </form>
      <ImportErrorBox error={error} title={busy === null ? t('import.notImported') : undefined} />
      {report && <Report report={report} />}
      {report?.dry_run && file && canCheck(user) && orgIds.data && <ImportOverlaps file={file} orgByIatiId={orgIds.data} />}
    </section>
  );
}

/**
 * A reason, warning or refusal of the import in the reader's language, from its stable rule code:
 * `import.rule.<rule>` (the import's own rules), else `problem.<rule>` (the rules of an activity's
 * fields, shared with the forms); null when the catalogue has neither.
 */
function ruleText(rule: string | undefined, args: Record<string, string> | undefined): string | null {
  if (!rule) return null;
  const values = problemArgs(args);
  return tMaybe(`import.rule.${rule}`, values) ?? tMaybe(`problem.${rule}`, values);
}

/** The server's English sentence, or its translation when the rule has one (`lang` marks English). */
function RuleText({ rule, args, english }: { rule?: string; args?: Record<string, string>; english: string }) {
  const text = ruleText(rule, args);
  return text !== null ? <span>{text}</span> : <span lang="en">{english}</span>;
}

/** Where in the file a refusal's detail points: line and column, or line and activity. */
function where(d: ErrorDetail): string {
  const a = d.args ?? {};
  if (!a.line) return '';
  const line = formatNumber(Number(a.line));
  if (a.column) return t('import.atLineColumn', { line, column: formatNumber(Number(a.column)) });
  if (a.identifier) return t('import.atLineActivity', { line, identifier: a.identifier });
  return t('import.atLine', { line });
}

/**
 * A refused file: what broke which rule where, in the reader's language. Falls back to the shared
 * ErrorBox for errors that are not a refusal of the file (network, permissions…).
 */
function ImportErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!(error instanceof ApiError) || error.details.length === 0 || !error.details.every((d) => d.rule)) {
    return <ErrorBox error={error} title={title} />;
  }
  return (
    <div class="error" role="alert" data-testid="error">
      {title && <strong>{title}</strong>}
      <ul>
        {error.details.map((d, i) => {
          const own = ruleText(d.rule, d.args);
          const text = own !== null ? { text: own } : problemText(d);
          return (
            <li key={i}>
              {where(d)} {d.field && <code>{d.field}</code>} <span lang={text.lang}>{text.text}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Would (or did) the import create or update anything? */
const changes = (r: ImportReport) => r.created + r.updated > 0;

/** One sentence on what will happen or happened, in the words of the counts. */
function outcome(r: ImportReport): string {
  // Whole sentences for each case (created only, updated only, both), with ICU plurals.
  const v = { created: r.created, updated: r.updated, c: formatNumber(r.created), u: formatNumber(r.updated) };
  if (r.dry_run) {
    if (!changes(r)) return t('import.outcome.previewNothing');
    if (r.updated === 0) return t('import.outcome.previewCreate', v);
    if (r.created === 0) return t('import.outcome.previewUpdate', v);
    return t('import.outcome.previewBoth', v);
  }
  if (!changes(r)) return t('import.outcome.nothing');
  if (r.updated === 0) return t('import.outcome.created', v);
  if (r.created === 0) return t('import.outcome.updated', v);
  return t('import.outcome.both', v);
}

/** The server's action word for a row, in the reader's language. */
function actionLabel(action: string): string {
  switch (action) {
    case 'created':
    case 'updated':
    case 'skipped':
    case 'unchanged':
    case 'kept_archived':
      return t(`import.action.${action}`);
    default:
      return action;
  }
}

function Report({ report }: { report: ImportReport }) {
  const counts = {
    version: report.file_version,
    c: formatNumber(report.created),
    u: formatNumber(report.updated),
    s: formatNumber(report.skipped),
  };
  const more = [
    report.unchanged > 0 ? t('import.countUnchanged', { n: formatNumber(report.unchanged) }) : '',
    report.kept_archived > 0 ? t('import.countKeptArchived', { n: formatNumber(report.kept_archived) }) : '',
  ].filter(Boolean);
  return (
    <section aria-labelledby="report-h" data-testid="import-report">
      <h2 id="report-h">{report.dry_run ? t('import.preview') : changes(report) ? t('import.imported') : t('import.nothingImported')}</h2>
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
        {report.dry_run ? t('import.countsPreview', counts) : t('import.counts', counts)}
        {more.length > 0 && ` ${t('import.countsMore', { list: more.join(t('activities.listSeparator')) })}`}
      </p>
      {report.items.length > 0 && (
        <Table columns={[t('import.col.line'), t('import.col.identifier'), t('import.col.action'), t('import.col.reason')]} compact testId="import-items">
          {report.items.map((it, i) => (
            <tr key={i}>
              <td>{formatNumber(it.line)}</td>
              <td>
                <code>{it.iati_identifier}</code>
              </td>
              <td>{it.activity_id != null && !report.dry_run ? <Link href={`/activities/${it.activity_id}`}>{actionLabel(it.action)}</Link> : actionLabel(it.action)}</td>
              <td>
                {it.changed.length > 0 ? (
                  <>
                    {t('import.changes')} <code>{it.changed.join(', ')}</code>
                  </>
                ) : (
                  // The server's reason by its code, or its English sentence.
                  it.reason && <RuleText rule={it.rule} args={it.args} english={it.reason} />
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {report.items_truncated && (
        <p data-testid="import-items-more">{t('import.itemsMore', { count: report.items_total - report.items.length, n: formatNumber(report.items_total - report.items.length) })}</p>
      )}
      {report.warnings.length > 0 && (
        <>
          <h3>{t('import.warnings')}</h3>
          <ul class="plain" data-testid="import-warnings">
            {report.warnings.map((w, i) => (
              <li key={i}>
                {t('import.warningAt', { line: formatNumber(w.line) })} <code>{w.element}</code>: <RuleText rule={w.rule} args={w.args} english={w.message} />
              </li>
            ))}
            {report.warnings_truncated && (
              <li data-testid="import-warnings-more">{t('import.warningsMore', { count: report.warnings_total - report.warnings.length, n: formatNumber(report.warnings_total - report.warnings.length) })}</li>
            )}
          </ul>
        </>
      )}
    </section>
  );
}
