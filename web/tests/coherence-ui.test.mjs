// The Coherence page's states that the real engine does not produce on demand, with the
// coherence API's answers given by the test (page.route) in the contract's shapes: a finding
// with negative and positive weights (the waterfall and its table), "still analysing" (the polite
// live region and the retry), the feedback a server refuses (403), the gaps heat map and the
// mandate map; in English, French and Arabic, at desktop and phone widths, with axe.
// The rest of the app (session, sign-in, reference data) is the real server's.
// coherence.test.mjs runs the same page against the real engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, expectNoAxeViolations, expectFocusVisibleOnEveryStop, expectDirection } from './helpers.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };

const FINDING = {
  id: '3-17',
  class: 'duplication',
  probability: 0.97,
  weight: 5.1,
  prior_weight: -10,
  text_similarity: 0.82,
  cluster: 3,
  cluster_size: 3,
  activities: [
    { id: 3, version: 1, title: 'Counter-trafficking training for border officials', title_lang: 'en', organization_id: 'iom', organization_name: 'IOM', type: 'training', countries: ['NG'], regions: [], is_global: false, starts_on: '2024-01-01', ends_on: '2025-12-31', contact_email: 'ct@iom.example' },
    { id: 17, version: 2, title: 'Formation des agents des frontières contre la traite', title_lang: 'fr', organization_id: 'unodc', organization_name: 'UNODC', type: 'training', countries: ['NG', 'GH'], regions: [], is_global: false, starts_on: '2024-03-01', ends_on: '2026-02-28', contact_email: '' },
  ],
  contributions: [
    { comparison: 'places', level: 'same_country', weight: 3.2 },
    { comparison: 'themes', level: 'all', weight: 4.1 },
    { comparison: 'period', level: 'most', weight: 2.0 },
    { comparison: 'type', level: 'same', weight: 1.5 },
    { comparison: 'text', level: 'ge80', weight: 5.3 },
    { comparison: 'sectors', level: 'unknown', weight: 0 },
    { comparison: 'partners', level: 'none', weight: -0.5 },
    { comparison: 'budget', level: 'far', weight: -0.5 },
  ],
  shared: { countries: ['NG'], regions: [], themes: ['trafficking'], sectors: ['1:15190'], partners: ['ilo'], period: { from: '2024-03-01', to: '2025-12-31' } },
  summary: 'ENGLISH SUMMARY FROM THE SERVER',
  feedback: null,
};
const OTHER = {
  ...FINDING,
  id: '20-31',
  class: 'synergy',
  cluster: 20,
  cluster_size: 2,
  activities: [
    { ...FINDING.activities[0], id: 20, organization_id: 'ilo', organization_name: 'ILO', type: 'research' },
    { ...FINDING.activities[1], id: 31, organization_id: 'unhcr', organization_name: 'UNHCR', type: 'technical_assistance' },
  ],
};
const READY = { state: 'ready', analysed_at: '2026-11-30T10:00:00Z', activities: 40, findings: 2 };
const GAPS = {
  level: 'region',
  cells: [
    { theme: 'refugee-protection', area: '002', area_name: 'Africa', need: 0.83, indicators: [{ id: 'unhcr_refugees', value: 123, year: 2020 }], coverage: 4, gap: 0.7 },
    { theme: 'refugee-protection', area: '142', area_name: 'Asia', need: 0.5, indicators: [], coverage: 9, gap: 0.2 },
    { theme: 'labour-migration', area: '002', area_name: 'Africa', need: 0.6, indicators: [], coverage: 1, gap: 0.55 },
  ],
  sources: [{ id: 'unhcr_2020', name: 'UNHCR Refugee Data Finder', year: 2020, url: 'https://www.unhcr.org/refugee-statistics/' }],
};
const GAPS_AFRICA = {
  level: 'country',
  cells: [{ theme: 'refugee-protection', area: 'UG', area_name: 'Uganda', need: 0.9, indicators: [], coverage: 1, gap: 0.85 }],
  sources: GAPS.sources,
};
const MANDATES = {
  items: [
    { organization_id: 'iom', organization_name: 'IOM', themes: [{ theme: 'labour-migration', stated: true, activities: 4, countries: 3 }, { theme: 'refugee-protection', stated: false, activities: 2, countries: 1 }] },
    { organization_id: 'unhcr', organization_name: 'UNHCR', themes: [{ theme: 'refugee-protection', stated: true, activities: 0, countries: 0 }] },
  ],
};

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
});
after(async () => {
  await app?.stop();
});

const json = (route, status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

/** Answers the coherence API for `page`; `overrides` maps a path regexp source to a handler. */
async function fakeCoherence(page, { list = { items: [FINDING, OTHER], next_cursor: null, total: 2, status: READY }, feedbackStatus = 200 } = {}) {
  const calls = { list: 0, feedback: [] };
  await page.route(/\/api\/v1\/coherence\//, (route) => {
    const url = new URL(route.request().url());
    const p = url.pathname;
    if (p === '/api/v1/coherence/overlaps') {
      calls.list++;
      return json(route, 200, typeof list === 'function' ? list(calls.list, url) : list);
    }
    if (/\/feedback$/.test(p)) {
      calls.feedback.push({ method: route.request().method(), body: route.request().postDataJSON?.(), csrf: route.request().headers()['x-csrf-token'] });
      if (feedbackStatus !== 200) return json(route, feedbackStatus, { error: { code: 'permission_denied', message: 'not yours', details: [] } });
      const body = route.request().postDataJSON();
      return json(route, 200, { ...FINDING, feedback: { verdict: body.verdict, comment: body.comment, by: FP.name, at: '2026-11-30T11:00:00Z' } });
    }
    if (/\/overlaps\/[\d]+-[\d]+$/.test(p)) return json(route, 200, FINDING);
    if (p === '/api/v1/coherence/gaps') return json(route, 200, url.searchParams.get('region') ? GAPS_AFRICA : GAPS);
    if (p === '/api/v1/coherence/mandates') return json(route, 200, MANDATES);
    if (p === '/api/v1/coherence/model') {
      return json(route, 200, {
        prior_weight: -10,
        default_prior_weight: -10,
        labels_used: 4,
        estimated_at: '2026-11-30T09:00:00Z',
        levels: [
          { comparison: 'text', level: 'ge80', weight: 6.1, default_weight: 5.3 },
          { comparison: 'places', level: 'same_country', weight: 3.2, default_weight: 3.2 },
        ],
        status: READY,
      });
    }
    return route.fallback();
  });
  return calls;
}

test('a finding: badge, likelihood, both activities, the sentence from its fields, the waterfall and its table; no axe violations', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await fakeCoherence(page);
  await page.goto(`${app.url}/coherence`);
  await page.getByRole('heading', { level: 1, name: 'Coherence' }).waitFor();
  const card = page.getByTestId('finding').first();
  await card.waitFor();
  assert.equal(await card.getByTestId('finding-class').textContent(), 'Possible duplication');
  assert.match(await card.getByTestId('finding-probability').textContent(), /97%/);
  const sentence = await card.getByTestId('finding-sentence').textContent();
  assert.match(sentence, /Same kind of work \(Training\) on .* in Nigeria\./);
  assert.match(sentence, /0\.82 similar/);
  assert.match(sentence, /Shared partner: ILO\. Shared sector: DAC sector 15190\./);
  assert.doesNotMatch(sentence, /ENGLISH SUMMARY/);
  // The other organisation one click away: its contact's e-mail, else its page's focal points.
  const contacts = card.getByTestId('contact-link');
  assert.equal(await contacts.nth(0).getAttribute('href'), `mailto:ct@iom.example?subject=${encodeURIComponent(FINDING.activities[0].title)}`);
  assert.equal(await contacts.nth(1).getAttribute('href'), '/members/unodc#fp-h');
  // The French title is marked as French.
  assert.equal(await card.locator('[lang="fr"]').first().textContent(), FINDING.activities[1].title);

  // The waterfall: an image named by its caption, with every step in a table.
  await card.getByText('Why this score').click();
  const chart = card.locator('svg[role="img"]');
  await chart.waitFor();
  const captionId = await chart.getAttribute('aria-labelledby');
  assert.match(await page.locator(`#${captionId}`).textContent(), /from the starting point −10\.0.*to \+5\.1 \(a likelihood of 97%\)/);
  const rows = card.getByTestId('waterfall-table').locator('tbody tr');
  assert.equal(await rows.count(), 10, 'the prior, eight comparisons and the total');
  assert.deepEqual(await rows.nth(1).locator('th, td').allTextContents(), ['Places', 'same country', '+3.2', '−6.8']);
  assert.deepEqual(await rows.nth(7).locator('th, td').allTextContents(), ['Partners', 'no partner in common', '−0.5', '+5.6']);
  assert.deepEqual(await rows.nth(9).locator('th, td').allTextContents(), ['Score', '', '+5.1', '+5.1']);
  // Against-weights are hatched, not only another colour.
  assert.match(await card.locator('rect.step.neg').first().getAttribute('fill'), /^url\(#/);

  // The synergy names both kinds of work.
  assert.match(await page.getByTestId('finding').nth(1).getByTestId('finding-sentence').textContent(), /Complementary kinds of work \(Research and Technical assistance\)/);
  await expectNoAxeViolations(page, 'coherence overlaps, focal point');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('filters go into the address (a shareable view), and a cluster link filters by it', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const seen = [];
  await fakeCoherence(page, {
    list: (_n, url) => {
      seen.push(url.search);
      return { items: [FINDING], next_cursor: null, total: 1, status: READY };
    },
  });
  await page.goto(`${app.url}/coherence`);
  const filters = page.getByTestId('overlap-filters');
  await filters.getByLabel('Kind of finding').selectOption('synergy');
  await filters.getByLabel('Likelihood').selectOption('0.9');
  await filters.getByLabel('Country').selectOption('NG');
  await filters.getByRole('button', { name: 'Show findings' }).click();
  await page.waitForURL(/class=synergy/);
  const q = new URL(page.url()).searchParams;
  assert.equal(q.get('class'), 'synergy');
  assert.equal(q.get('min_score'), '0.9');
  assert.equal(q.get('country'), 'NG');
  await page.waitForFunction(() => true);
  assert.ok(seen.some((s) => /class=synergy/.test(s) && /min_score=0\.9/.test(s) && /country=NG/.test(s)), seen.join(' '));

  await page.getByRole('link', { name: 'Show the group' }).first().click();
  await page.waitForURL(/cluster=3/);
  await page.getByTestId('cluster-filter').waitFor();
  await page.context().close();
});

test('while the server is still analysing, a polite status says so and the page asks again by itself', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const calls = await fakeCoherence(page, {
    list: (n) =>
      n === 1
        ? { items: [], next_cursor: null, total: 0, status: { state: 'analysing', analysed_at: null, activities: 1200, findings: 0 } }
        : { items: [FINDING], next_cursor: null, total: 1, status: READY },
  });
  await page.goto(`${app.url}/coherence`);
  const status = page.getByTestId('analysis-status');
  await status.getByText(/still comparing 1,200 activities/).waitFor();
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.equal(await page.getByTestId('overlaps-empty').count(), 0, 'no "no overlaps" while analysing');
  await page.getByTestId('finding').waitFor({ timeout: 8000 });
  assert.ok(calls.list >= 2);
  assert.equal((await status.textContent()).trim(), '');
  await page.context().close();
});

test('feedback as a focal point: the verdict is PUT with the CSRF token; a refusal (403) is explained instead of the form', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const calls = await fakeCoherence(page);
  await page.goto(`${app.url}/coherence/overlaps/3-17`);
  const form = page.getByTestId('feedback-form');
  await form.getByLabel('Complementary').check();
  await form.getByLabel('Comment (optional)').fill('We train customs, they train police.');
  await form.getByRole('button', { name: 'Save feedback' }).click();
  await page.getByTestId('feedback-given').getByText(/Complementary, by Ines Focal/).waitFor();
  assert.equal(calls.feedback.length, 1);
  assert.equal(calls.feedback[0].method, 'PUT');
  assert.deepEqual(calls.feedback[0].body, { verdict: 'complementary', comment: 'We train customs, they train police.' });
  assert.ok(calls.feedback[0].csrf, 'sent with X-CSRF-Token');
  // The other pair (ILO and UNHCR) is not IOM's: no form, a note says who may.
  await page.goto(`${app.url}/coherence`);
  const other = page.getByTestId('finding').nth(1);
  await other.waitFor();
  assert.equal(await other.getByTestId('feedback-form').count(), 0);
  assert.match(await other.getByTestId('feedback-who').textContent(), /focal points of the two organisations/);
  await page.context().close();

  // A server that refuses (the focal point's rights changed meanwhile): a note, not an error dump.
  const p2 = await app.newPage();
  await signIn(p2, app.url, FP.email, FP.password);
  await fakeCoherence(p2, { feedbackStatus: 403 });
  await p2.goto(`${app.url}/coherence/overlaps/3-17`);
  await p2.getByTestId('feedback-form').getByLabel('Unrelated').check();
  await p2.getByRole('button', { name: 'Save feedback' }).click();
  await p2.getByTestId('feedback-who').getByText(/did not accept feedback from you/).waitFor();
  assert.equal(await p2.getByTestId('feedback-form').count(), 0);
  assert.equal(await p2.getByTestId('error').count(), 0);
  await p2.context().close();
});

test('French and Arabic: the sentence and the chart in the reader\'s language, Arabic right to left; phone width without sideways scrolling', async () => {
  for (const [lang, expect] of [
    ['fr', { heading: 'Cohérence', klass: 'Doublon possible', sentence: /Même type de travail \(Formation\)/, table: 'Lieux' }],
    ['ar', { heading: 'الاتساق', klass: 'ازدواجية محتملة', sentence: /نوع العمل نفسه/, table: 'الأماكن' }],
  ]) {
    const page = await app.newPage({ locale: lang, width: 390, height: 844 });
    // The sign-in page is in the reader's language: sign in through the API (the context's cookies).
    const r = await page.request.post(`${app.url}/api/v1/session`, { data: { email: FP.email, password: FP.password } });
    assert.equal(r.status(), 200);
    await fakeCoherence(page);
    await page.goto(`${app.url}/coherence/overlaps/3-17`);
    await page.getByRole('heading', { level: 1, name: expect.heading }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await expectDirection(page, lang);
    const card = page.getByTestId('finding');
    assert.equal(await card.getByTestId('finding-class').textContent(), expect.klass);
    const sentence = await card.getByTestId('finding-sentence').textContent();
    assert.match(sentence, expect.sentence);
    assert.doesNotMatch(sentence, /ENGLISH SUMMARY/);
    assert.equal(await card.getByTestId('waterfall-table').locator('tbody tr').nth(1).locator('th').textContent(), expect.table);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) console.log(await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 15).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).join('\n')));
    assert.ok(overflow <= 1, `no sideways scrolling at phone width (${lang}): ${overflow}px`);
    await expectNoAxeViolations(page, `coherence finding, ${lang}, phone`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('gaps: a heat map with the value in each cell, focusable, drilling down to a region\'s countries; sources named; the mandate map marks not by colour alone; the model says how feedback moved it', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await fakeCoherence(page);
  await page.goto(`${app.url}/coherence/gaps`);
  const map = page.getByTestId('heatmap');
  await map.waitFor();
  const cell = map.getByRole('button', { name: /Refugee protection and asylum, Africa: gap 0\.70, need 0\.83, 4 activities/ });
  assert.equal((await cell.textContent()).trim(), '0.70');
  await cell.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/region=002/);
  await page.getByRole('heading', { name: /Gaps by theme and country: Africa/ }).waitFor();
  const uganda = page.getByTestId('heatmap').getByRole('link', { name: /Uganda: gap 0\.85/ });
  assert.match(await uganda.getAttribute('href'), /\/activities\?country=UG&theme=refugee-protection/);
  assert.equal(await page.getByTestId('gaps-sources').getByRole('link', { name: 'UNHCR Refugee Data Finder' }).getAttribute('href'), 'https://www.unhcr.org/refugee-statistics/');
  await expectNoAxeViolations(page, 'coherence gaps, countries');

  await page.getByRole('link', { name: 'Mandate map' }).click();
  const mm = page.getByTestId('mandate-map');
  await mm.waitFor();
  const iom = mm.locator('tr[data-org="iom"]');
  assert.match(await iom.textContent(), /●\s*stated; 4 activities in 3 countries/);
  assert.match(await iom.textContent(), /◆\s*not stated; 2 activities in 1 country/);
  // IOM's focal point may edit IOM's stated themes, not UNHCR's.
  assert.equal(await iom.getByRole('button', { name: /Edit stated themes/ }).count(), 1);
  assert.equal(await mm.locator('tr[data-org="unhcr"]').getByRole('button').count(), 0);
  await expectNoAxeViolations(page, 'coherence mandate map');

  await page.getByRole('link', { name: 'Model' }).click();
  const sentence = page.getByTestId('model-sentence');
  await sentence.waitFor();
  assert.match(await sentence.textContent(), /Feedback adjusted the model: the re-estimation of .* used 4 verdicts/);
  assert.match(await page.getByTestId('model-changes').textContent(), /Titles and descriptions, 0\.8 or more similar: \+5\.3 → \+6\.1/);
  assert.equal(await page.getByTestId('estimate').count(), 0, 'a focal point does not re-estimate');
  await expectNoAxeViolations(page, 'coherence model');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('keyboard: focus is visible on every Tab stop of the overlaps (waterfall open), the gaps heat map and the mandate map', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await fakeCoherence(page);
  await page.goto(`${app.url}/coherence/overlaps/3-17`);
  await page.getByTestId('waterfall').waitFor();
  const stops = await expectFocusVisibleOnEveryStop(page, 'one finding');
  assert.ok(stops.length > 10, `${stops.length} stops`);
  await page.goto(`${app.url}/coherence/gaps`);
  await page.getByTestId('heatmap').waitFor();
  await expectFocusVisibleOnEveryStop(page, 'gaps heat map');
  await page.goto(`${app.url}/coherence/mandates`);
  await page.getByTestId('mandate-map').waitFor();
  await expectFocusVisibleOnEveryStop(page, 'mandate map');
  await page.context().close();
});
