// /stats/upload: a statistician of a member agency uploads a file (plain CSV as agencies publish
// it, SDMX-CSV or SDMX-ML). Check the file (a dry run: POST …/uploads?dry_run=1, with infer=1 for
// a plain CSV the dataflow has no mapping for) shows what the server read: the inferred structure
// (each column's role, the dimensions and their codelists, notes and unknown values), which the
// statistician may correct (roles, dimension ids) and confirm (PUT …/flows/{agency}/{id} with
// structure and mapping); then a new check under the confirmed mapping, and Upload, all or
// nothing. The report lists every rejected row (line, column, problem), a page at a time. A
// re-upload makes a new release: the previous one stays in the dataflow's history.
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from '../router';
import { t, tMaybe } from '../i18n';
import { formatMebibytes, formatNumber } from '../format';
import { isStaff, useSession } from '../session';
import { ErrorBox, Field, Notice, Table, useId, usePageTitle } from '../ui';
import { ROLE_KINDS, agencyOf, loadFlow, saveFlow, uploadFile, type ColumnMapping, type ColumnRole, type DataStructure, type Flow, type RoleKind, type StatsImportReport } from '../stats';
import { dimensionName } from '../stats-explorer';
import { flowHref } from './stats';

/** The server takes up to 1 GiB; the browser sends the file as it is. */
const MAX_BYTES = 1024 * 1024 * 1024;
/** Rejected rows shown per page of the report. */
const PROBLEMS_PER_PAGE = 50;
const FLOW_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

type Step = 'choose' | 'checked' | 'confirmed' | 'uploaded';

export function StatsUploadPage() {
  usePageTitle(t('stats.upload.title'));
  const { user } = useSession();
  const { search } = useLocation();
  const staff = isStaff(user);
  const [agency, setAgency] = useState(search.get('agency') ?? agencyOf(user) ?? '');
  const [flowId, setFlowId] = useState(search.get('id') ?? '');
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [infer, setInfer] = useState(true);
  const [existing, setExisting] = useState<Flow | null>(null);
  const [report, setReport] = useState<StatsImportReport | null>(null);
  const [roles, setRoles] = useState<ColumnRole[]>([]);
  const [step, setStep] = useState<Step>('choose');
  const [busy, setBusy] = useState<'check' | 'confirm' | 'upload' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fileId = useId('file');

  // An existing dataflow: its name, and whether a plain CSV needs inference (no saved mapping).
  useEffect(() => {
    setExisting(null);
    if (!agency || !FLOW_ID.test(flowId)) return;
    let live = true;
    const timer = setTimeout(() => {
      loadFlow(agency.toUpperCase(), flowId).then(
        (f) => {
          if (!live) return;
          setExisting(f);
          setInfer(!f.mapping);
          if (!name) setName(f.name);
        },
        () => live && setInfer(true),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [agency, flowId]);

  const ag = agency.trim().toUpperCase();
  const idOk = FLOW_ID.test(flowId);
  const reset = () => {
    setReport(null);
    setStep('choose');
    setError(null);
  };

  async function check(withInference: boolean) {
    if (!file) return;
    setError(null);
    if (file.size > MAX_BYTES) {
      setError(new Error(t('stats.upload.tooLarge', { size: formatMebibytes(file.size) })));
      return;
    }
    setBusy('check');
    try {
      const r = await uploadFile(ag, flowId, file, { infer: withInference, dryRun: true, name: name || undefined, fileName: file.name, note });
      setReport(r);
      // The server leaves out an empty dimension or measure: the form edits them as ''.
      if (r.inference) setRoles(r.inference.mapping.roles.map((x) => ({ kind: x.kind, dimension: x.dimension ?? '', measure: x.measure ?? '' })));
      setStep(r.inference ? 'checked' : 'confirmed');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function confirm() {
    if (!report?.inference || !file) return;
    setError(null);
    setBusy('confirm');
    try {
      const { structure, mapping } = applyEdits(report.inference.structure, report.inference.mapping, roles);
      await saveFlow(ag, flowId, { name: name || existing?.name || flowId, description: existing?.description ?? '', structure, mapping });
      // Check again under the saved mapping: the rows it would reject now.
      const r = await uploadFile(ag, flowId, file, { infer: false, dryRun: true, name: name || undefined, fileName: file.name, note });
      setReport(r);
      setStep('confirmed');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function upload() {
    if (!file) return;
    setError(null);
    setBusy('upload');
    try {
      const r = await uploadFile(ag, flowId, file, { infer: false, dryRun: false, name: name || undefined, fileName: file.name, note });
      setReport(r);
      if (r.applied) setStep('uploaded');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  const canUpload = step === 'confirmed' && report !== null && report.problem_count === 0 && !report.applied;
  return (
    <section class="stats-upload">
      <p class="crumbs">
        <Link href="/stats">{t('stats.title')}</Link> › {t('stats.upload.crumb')}
      </p>
      <h1>{t('stats.upload.title')}</h1>
      <p class="lede">{t('stats.upload.lede')}</p>
      <form
        class="panel"
        data-testid="stats-upload-form"
        onSubmit={(e) => {
          e.preventDefault();
          check(infer);
        }}
      >
        <div class="filter-grid">
          {staff ? (
            <Field label={t('stats.upload.agency')} value={agency} onValue={(v) => (setAgency(v), reset())} hint={t('stats.upload.agencyHint')} required />
          ) : (
            <Field label={t('stats.upload.agency')} value={ag} onValue={() => {}} readOnly hint={t('stats.upload.agencyOwn')} />
          )}
          <Field label={t('stats.upload.flowId')} value={flowId} onValue={(v) => (setFlowId(v.trim()), reset())} hint={t('stats.upload.flowIdHint')} required />
          <Field label={t('stats.upload.name')} value={name} onValue={setName} hint={existing ? t('stats.upload.nameExisting') : t('stats.upload.nameHint')} />
        </div>
        {existing && (
          <p class="hint" data-testid="stats-upload-existing">
            {t('stats.upload.existing', { n: formatNumber(existing.releases.length), count: existing.releases.length })}
          </p>
        )}
        <div class="field">
          <label for={fileId}>{t('stats.upload.file')}</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,.txt,.xml,text/csv,application/xml,text/xml"
            aria-describedby={`${fileId}-hint`}
            onChange={(e) => {
              setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
              reset();
            }}
          />
          <small id={`${fileId}-hint`} class="hint">
            {t('stats.upload.fileHint')}
          </small>
        </div>
        <Field label={t('stats.upload.note')} value={note} onValue={setNote} hint={t('stats.upload.noteHint')} />
        <div class="field check">
          <input id={`${fileId}-infer`} type="checkbox" checked={infer} onChange={(e) => (setInfer((e.currentTarget as HTMLInputElement).checked), reset())} />
          <label for={`${fileId}-infer`}>{t('stats.upload.infer')}</label>
        </div>
        <div class="actions">
          <button type="submit" disabled={!file || !ag || !idOk || busy !== null} data-testid="stats-check">
            {busy === 'check' ? t('stats.upload.checking') : t('stats.upload.check')}
          </button>
          <button type="button" disabled={!canUpload || busy !== null} onClick={upload} data-testid="stats-upload">
            {busy === 'upload' ? t('stats.upload.uploading') : t('stats.upload.upload')}
          </button>
          {flowId && !idOk && <span class="hint">{t('stats.upload.flowIdBad')}</span>}
          {step === 'checked' && <span class="hint">{t('stats.upload.confirmFirst')}</span>}
        </div>
      </form>
      <ErrorBox error={error} title={busy === null ? t('stats.upload.failed') : undefined} />
      {report?.inference && step === 'checked' && (
        <Inference report={report} roles={roles} onRoles={setRoles} busy={busy === 'confirm'} onConfirm={confirm} />
      )}
      {report && <Report report={report} step={step} />}
      {step === 'uploaded' && report?.release && <AfterUpload report={report} agency={ag} id={flowId} />}
    </section>
  );
}

// ---- The inferred structure, editable ----

const EDITS_DIMENSION: RoleKind[] = ['dimension', 'wide_values', 'attribute'];

/**
 * The structure and mapping to save from the inferred ones and the edited roles: a dimension
 * renamed in the roles is renamed in the structure (its codelist kept), a dimension no column
 * names any more is dropped (unless a constant gives it), a new id becomes a new, uncoded
 * dimension (the server says what it lacks).
 */
export function applyEdits(structure: DataStructure, mapping: ColumnMapping, roles: ColumnRole[]): { structure: DataStructure; mapping: ColumnMapping } {
  const renamed = new Map<string, string>();
  mapping.roles.forEach((old, i) => {
    const now = roles[i];
    if (old.dimension && now && EDITS_DIMENSION.includes(now.kind) && now.dimension && !renamed.has(old.dimension)) renamed.set(old.dimension, now.dimension);
  });
  const constants = Array.isArray(mapping.constants) ? (mapping.constants as unknown[]) : [];
  const constantIds = new Set(constants.map((c) => (Array.isArray(c) ? String(c[0]) : String((c as { dimension?: string; id?: string })?.dimension ?? (c as { id?: string })?.id ?? ''))));
  const used = new Set(roles.filter((r) => EDITS_DIMENSION.includes(r.kind) && r.dimension).map((r) => r.dimension));
  const wide = renamed.get(mapping.wide_dimension) ?? mapping.wide_dimension;
  if (wide && wide !== structure.time_dimension) used.add(wide);
  const dimensions = structure.dimensions
    .map((d) => ({ ...d, id: renamed.get(d.id) ?? d.id }))
    .filter((d) => used.has(d.id) || constantIds.has(d.id));
  for (const id of used) {
    const isAttr = roles.some((r) => r.kind === 'attribute' && r.dimension === id);
    if (!isAttr && !dimensions.some((d) => d.id === id) && !structure.attributes.some((a) => (renamed.get(a.id) ?? a.id) === id)) dimensions.push({ id, name: id, codelist: '' });
  }
  const attributes = structure.attributes.map((a) => ({ ...a, id: renamed.get(a.id) ?? a.id }));
  const concepts = structure.concepts?.map((c) => ({ ...c, id: renamed.get(c.id) ?? c.id }));
  for (const d of dimensions) if (concepts && !concepts.some((c) => c.id === d.id)) concepts.push({ id: d.id, name: d.name });
  return {
    structure: { ...structure, dimensions, attributes, ...(concepts ? { concepts } : {}) },
    mapping: { ...mapping, roles: roles.map((r) => ({ ...r, dimension: EDITS_DIMENSION.includes(r.kind) ? r.dimension : '' })), wide_dimension: wide },
  };
}

function Inference({ report, roles, onRoles, busy, onConfirm }: { report: StatsImportReport; roles: ColumnRole[]; onRoles(r: ColumnRole[]): void; busy: boolean; onConfirm(): void }) {
  const inf = report.inference!;
  const set = (i: number, patch: Partial<ColumnRole>) => onRoles(roles.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <section aria-labelledby="inference-h" data-testid="stats-inference" class="panel">
      <h2 id="inference-h">{t('stats.inference.heading')}</h2>
      <p>{t('stats.inference.lede', { n: formatNumber(inf.preview_observations), count: inf.preview_observations })}</p>
      {inf.mapping.wide_dimension && <p>{t('stats.inference.wide', { dimension: inf.mapping.wide_dimension })}</p>}
      <h3>{t('stats.inference.columns')}</h3>
      <Table columns={[t('stats.inference.column'), t('stats.inference.role'), t('stats.inference.dimensionId')]} compact testId="stats-columns" label={t('stats.inference.columns')}>
        {inf.mapping.columns.map((col, i) => (
          <ColumnRow key={i} col={col} role={roles[i] ?? { kind: 'ignored', dimension: '', measure: '' }} onChange={(p) => set(i, p)} />
        ))}
      </Table>
      <h3>{t('stats.inference.dimensions')}</h3>
      <ul data-testid="stats-inferred-dimensions">
        {inf.structure.dimensions.map((d) => {
          const cl = inf.structure.codelists.find((c) => c.id === d.codelist);
          return (
            <li key={d.id}>
              <code>{d.id}</code> {dimensionName(d)} · {t('stats.structure.codeCount', { count: cl?.codes.length ?? 0, n: formatNumber(cl?.codes.length ?? 0) })}
              {cl && cl.codes.length > 0 && (
                <span class="meta">
                  {' '}
                  ({cl.codes
                    .slice(0, 6)
                    .map((c) => c.id)
                    .join(', ')}
                  {cl.codes.length > 6 ? ', …' : ''})
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {inf.notes.length > 0 && (
        <>
          <h3>{t('stats.inference.notes')}</h3>
          <ul data-testid="stats-notes">
            {inf.notes.map((n, i) => (
              <li key={i} data-rule={n.rule}>
                {n.column && <code>{n.column}</code>} <strong>{tMaybe(`stats.noteRule.${n.rule}`) ?? n.rule}</strong> <span lang="en">{n.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="actions">
        <button type="button" onClick={onConfirm} disabled={busy} data-testid="stats-confirm">
          {busy ? t('ui.saving') : t('stats.inference.confirm')}
        </button>
        <span class="hint">{t('stats.inference.confirmHint')}</span>
      </div>
    </section>
  );
}

function ColumnRow({ col, role, onChange }: { col: string; role: ColumnRole; onChange(p: Partial<ColumnRole>): void }) {
  const id = useId('role');
  const editsDim = EDITS_DIMENSION.includes(role.kind);
  return (
    <tr data-column={col}>
      <th scope="row">
        <bdi>{col}</bdi>
      </th>
      <td>
        <label for={id} class="sr-only">
          {t('stats.inference.roleOf', { column: col })}
        </label>
        <select id={id} value={role.kind} onChange={(e) => onChange({ kind: (e.currentTarget as HTMLSelectElement).value as RoleKind })}>
          {ROLE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`stats.role.${k}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {editsDim ? (
          <>
            <label for={`${id}-dim`} class="sr-only">
              {t('stats.inference.dimensionOf', { column: col })}
            </label>
            <input id={`${id}-dim`} type="text" dir="ltr" value={role.dimension} onInput={(e) => onChange({ dimension: (e.currentTarget as HTMLInputElement).value.trim().toUpperCase() })} />
            {role.measure && <span class="meta"> {t('stats.inference.measure', { measure: role.measure })}</span>}
          </>
        ) : (
          <span class="meta">–</span>
        )}
      </td>
    </tr>
  );
}

// ---- The report ----

function Report({ report, step }: { report: StatsImportReport; step: Step }) {
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [report]);
  const pages = Math.max(1, Math.ceil(report.problems.length / PROBLEMS_PER_PAGE));
  const shown = report.problems.slice(page * PROBLEMS_PER_PAGE, (page + 1) * PROBLEMS_PER_PAGE);
  const counts = {
    rows: formatNumber(report.rows),
    observations: formatNumber(report.observations),
    series: formatNumber(report.series),
    added: formatNumber(report.added),
    replaced: formatNumber(report.replaced),
    deleted: formatNumber(report.deleted),
    unchanged: formatNumber(report.unchanged),
  };
  return (
    <section aria-labelledby="stats-report-h" data-testid="stats-report">
      <h2 id="stats-report-h">{report.applied ? t('stats.report.uploaded') : t('stats.report.checked')}</h2>
      {report.problem_count > 0 ? (
        <p class="notice warn" role="status" data-testid="stats-outcome">
          {t('stats.report.rejected', { count: report.problem_count, n: formatNumber(report.problem_count) })}
        </p>
      ) : report.applied ? (
        <Notice>
          <span data-testid="stats-outcome">{t('stats.report.applied', { number: report.release?.number ?? 0 })}</span>
        </Notice>
      ) : (
        <p class="notice neutral" role="status" data-testid="stats-outcome">
          {step === 'checked' ? t('stats.report.cleanConfirm') : t('stats.report.clean')}
        </p>
      )}
      <p data-testid="stats-counts">
        {t('stats.report.format', { format: report.format })} {t('stats.report.counts', counts)}
      </p>
      {report.ignored_columns.length > 0 && (
        <p>
          {t('stats.report.ignored')}{' '}
          {report.ignored_columns.map((c, i) => (
            <span key={i}>
              {i > 0 && ', '}
              <code>{c}</code>
            </span>
          ))}
        </p>
      )}
      {report.problems.length > 0 && (
        <>
          <h3 id="problems-h">{t('stats.report.problems')}</h3>
          <Table columns={[t('stats.report.line'), t('stats.report.column'), t('stats.report.problem')]} compact testId="stats-problems" label={t('stats.report.problems')}>
            {shown.map((p, i) => (
              <tr key={`${page}-${i}`}>
                <td class="num">{p.line ? formatNumber(p.line) : '–'}</td>
                <td>{p.column ? <bdi>{p.column}</bdi> : t('stats.report.wholeRow')}</td>
                <td>
                  {tMaybe(`stats.rule.${p.rule}`) && <strong>{tMaybe(`stats.rule.${p.rule}`)}: </strong>}
                  <span lang="en">{p.message}</span>
                </td>
              </tr>
            ))}
          </Table>
          <nav class="pager" aria-label={t('stats.report.pages')}>
            <button type="button" class="secondary small" disabled={page === 0} onClick={() => setPage(page - 1)}>
              {t('stats.report.previous')}
            </button>
            <span data-testid="stats-problems-page">
              {t('stats.report.page', {
                from: formatNumber(page * PROBLEMS_PER_PAGE + 1),
                to: formatNumber(page * PROBLEMS_PER_PAGE + shown.length),
                listed: formatNumber(report.problems.length),
              })}
            </span>
            <button type="button" class="secondary small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
              {t('stats.report.next')}
            </button>
          </nav>
          {report.problem_count > report.problems.length && (
            <p class="hint">{t('stats.report.moreProblems', { n: formatNumber(report.problem_count - report.problems.length), count: report.problem_count - report.problems.length })}</p>
          )}
        </>
      )}
    </section>
  );
}

// Releases are numbered 1, 2, 3… per dataflow and all kept, so release N > 1 replaced N - 1 (said
// at once, without asking the server again: a "first release" flash before that answer misled).
function AfterUpload({ report, agency, id }: { report: StatsImportReport; agency: string; id: string }) {
  const number = report.release?.number ?? 0;
  return (
    <section aria-labelledby="after-h" data-testid="stats-after">
      <h2 id="after-h">{t('stats.after.heading')}</h2>
      <p>
        {number > 1
          ? t('stats.after.replaced', { number, previous: number - 1 })
          : t('stats.after.first', { number })}
      </p>
      <p>
        <Link href={flowHref({ agency, id })}>{t('stats.after.open')}</Link>
      </p>
    </section>
  );
}
