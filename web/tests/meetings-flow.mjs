// The meetings scenario shared by meetings.test.mjs (the real meetings module) and
// meetings-ui.test.mjs (the contract's answers given by the test): the secretariat plans a meeting
// with an agenda and a paper, drafts → circulates → approves the minutes and reads the diff; a
// member's focal point sees its actions on the home page and updates one; another organisation's
// focal point cannot; the list and month; a phone in French and Arabic; axe on each page.
// `env`: { app(), signInAs(page, user), createAction(body) → id, expectRefused(user, actionId),
// skip(needs) → false or why a test needing those routes is skipped, checkFeed?(url, title): the iCal feed holds it }.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectNoAxeViolations, expectDirection } from './helpers.mjs';

export const SEC = { email: 'sec.meet@gmg.test', name: 'Sam Secretariat', role: 'secretariat', password: 'sec-password-123' };
export const IOM = { email: 'fp.iom.meet@gmg.test', name: 'Ines IOM', role: 'focal_point', org: 'iom', password: 'iom-password-123' };
export const UNHCR = { email: 'fp.unhcr.meet@gmg.test', name: 'Ulla UNHCR', role: 'focal_point', org: 'unhcr', password: 'unhcr-password-123' };

const TITLE = 'Working-level meeting on labour mobility';
const p2 = (n) => String(n).padStart(2, '0');
/** A local date-time `days` from now, at `hour`:00 ("YYYY-MM-DDTHH:MM"). */
function localIn(days, hour) {
  const d = new Date(Date.now() + days * 86400_000);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(hour)}:00`;
}
const dayIn = (days) => localIn(days, 0).slice(0, 10);


export function meetingScenario(env) {
  let meetingId;
  let actionId;
  // `needs`: 'meetings' (series, meetings, agenda, papers) or 'minutes' (minutes and actions too).
  const t = (name, fn, needs = 'meetings') => test(name, async (c) => {
    const why = env.skip(needs);
    if (why) return c.skip(why);
    app = env.app();
    await fn(c);
  });
  let app;
  t('the secretariat plans a meeting with an agenda and a paper', async () => {
    const page = await app.newPage();
    await env.signInAs(page, SEC);
    await page.goto(`${app.url}/meetings`);
    await page.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor();
    await page.getByTestId('no-upcoming').waitFor(); // the list has answered
    await page.getByTestId('plan-meeting').click();
    const form = page.getByTestId('meeting-form');
    await form.getByLabel('Title', { exact: true }).fill(TITLE);
    await form.getByLabel('Starts (local time)').fill(localIn(20, 10));
    await form.getByLabel('Ends (local time)').fill(localIn(20, 13));
    await form.getByLabel('Time zone').fill('Europe/Zurich');
    await form.getByLabel('Place', { exact: true }).fill('Palais des Nations, Geneva');
    await form.getByRole('button', { name: 'Plan meeting' }).click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    meetingId = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(meetingId > 0, `a meeting page: ${page.url()}`);
    await page.getByTestId('meeting-status').getByText('Planned').waitFor();
    assert.match(await page.getByTestId('meeting-when').textContent(), /Europe\/Zurich/);
    // The browser's zone is not Zurich's here: the reader's time is shown too.
    await page.getByTestId('meeting-when-viewer').waitFor();

    // Two agenda items, the second moved up.
    const add = page.getByTestId('agenda-new');
    await add.getByLabel('Item title').fill('Adoption of the agenda');
    await add.getByRole('button', { name: 'Add item' }).click();
    await page.getByTestId('agenda-items').getByRole('heading', { name: 'Adoption of the agenda' }).waitFor();
    await add.getByLabel('Item title').fill('Skills partnerships');
    await add.getByLabel('Presenting organisation').selectOption('iom');
    await add.getByRole('button', { name: 'Add item' }).click();
    const items = page.getByTestId('agenda-items').locator('h3');
    await items.nth(1).filter({ hasText: 'Skills partnerships' }).waitFor();
    await page.getByRole('button', { name: 'Move up Skills partnerships' }).click();
    await items.nth(0).filter({ hasText: 'Skills partnerships' }).waitFor();

    // A file of a type papers may not be is refused before it is sent.
    const paper = page.getByTestId('paper-form');
    await paper.getByLabel('Agenda item').selectOption({ label: 'Skills partnerships' });
    await paper.getByLabel('File', { exact: true }).setInputFiles({ name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') });
    await paper.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByTestId('paper-problem').getByText('“tool.exe” is not a type of file').waitFor();
    // A PDF is uploaded and listed under its item.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await paper.getByLabel('Paper title').fill('Skills partnerships: background note');
    await paper.getByLabel('File', { exact: true }).setInputFiles({ name: 'background.pdf', mimeType: 'application/pdf', buffer: pdf });
    await paper.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Paper added.').waitFor();
    await page.getByTestId('agenda-items').getByRole('link', { name: 'Skills partnerships: background note' }).waitFor();

    await expectNoAxeViolations(page, 'a meeting, the secretariat');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  t('the secretariat drafts, circulates and approves the minutes, and reads the diff', async () => {
    assert.ok(meetingId, 'the meeting of the first test');
    const page = await app.newPage();
    await env.signInAs(page, SEC);
    await page.goto(`${app.url}/meetings/${meetingId}`);
    const minutes = page.getByTestId('minutes');
    await minutes.getByTestId('no-minutes').waitFor();
    const editor = page.getByTestId('minutes-editor');
    await editor.getByLabel('Text (Markdown)').fill('# Minutes\n\nThe group discussed skills partnerships.');
    await editor.getByLabel('What changed').fill('first draft');
    await editor.getByRole('button', { name: 'Save version' }).click();
    await minutes.getByTestId('minutes-status').getByText('Draft', { exact: true }).waitFor();
    await editor.getByLabel('Text (Markdown)').fill('# Minutes\n\nThe group **welcomed** skills partnerships.\n\n- [The mapping](https://example.org/mapping)\n- [not a link](javascript:alert(1)) <b>raw</b>');
    await editor.getByLabel('What changed').fill('wording');
    await editor.getByRole('button', { name: 'Save version' }).click();
    const text = minutes.getByTestId('minutes-text');
    await text.getByText('welcomed').waitFor();

    // The text is shown formatted (markdown.tsx): a heading under the section's, bold, a list, an
    // http(s) link with rel="noopener noreferrer"; a javascript: link and raw HTML stay text.
    await text.getByRole('heading', { level: 3, name: 'Minutes' }).waitFor();
    assert.equal(await text.locator('strong').textContent(), 'welcomed');
    assert.equal(await text.locator('li').count(), 2);
    const link = text.getByRole('link', { name: 'The mapping' });
    assert.equal(await link.getAttribute('href'), 'https://example.org/mapping');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await text.getByRole('link', { name: 'not a link' }).count(), 0);
    assert.equal(await text.locator('b').count(), 0);
    await text.getByText('<b>raw</b>').waitFor();
    // Show the source: the text as typed; again: formatted.
    const toggle = text.getByRole('button', { name: 'Show the source' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.match(await text.getByTestId('minutes-text-source').textContent(), /The group \*\*welcomed\*\* skills/);
    await toggle.click();
    await text.locator('strong').waitFor();

    // The diff between versions 1 and 2: "discussed" removed, "welcomed" added, both announced.
    const diff = page.getByTestId('diff');
    await diff.locator('del', { hasText: 'discussed' }).waitFor();
    await diff.locator('ins', { hasText: 'welcomed' }).waitFor();
    assert.match(await diff.locator('ins').first().textContent(), /\[added:/);
    assert.match(await diff.locator('del').first().textContent(), /\[removed:/);
    await expectNoAxeViolations(page, 'minutes with a diff');

    // A long addition is more than the word diff's budget (diff-plan.ts): compared line by line,
    // and said so, instead of word by word.
    const appendix = Array.from({ length: 250 }, (_, i) => `Annex line ${i}: ${Array.from({ length: 11 }, (_, j) => `w${i}x${j}`).join(' ')}`).join('\n');
    const v2 = await editor.getByLabel('Text (Markdown)').inputValue();
    await editor.getByLabel('Text (Markdown)').fill(`${v2}\n\n${appendix}`);
    await editor.getByLabel('What changed').fill('annex');
    await editor.getByRole('button', { name: 'Save version' }).click();
    await text.getByText('Annex line 249:', { exact: false }).waitFor();
    await page.locator('[data-testid="diff"][data-diff="lines"]').waitFor();
    assert.match(await page.getByTestId('diff-summary').textContent(), /compared line by line/);
    await diff.locator('ins', { hasText: 'Annex line 249:' }).waitFor();

    await page.getByTestId('minutes-workflow').getByRole('button', { name: 'Circulate', exact: true }).click();
    await minutes.getByTestId('minutes-status').getByText('Circulated for comments').waitFor();
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('approve-minutes').click();
    await minutes.getByTestId('minutes-status').getByText('Approved', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('minutes-editor').count(), 0, 'approved minutes are locked');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    // Approved minutes are public.
    const visitor = await app.newPage();
    await visitor.goto(`${app.url}/meetings/${meetingId}`);
    await visitor.getByTestId('minutes-text').getByText('welcomed').waitFor();
    await visitor.context().close();
  }, 'minutes');

  t("an organisation's focal point sees its actions on the home page and updates one; another cannot", async () => {
    assert.ok(meetingId, 'the meeting of the first test');
    actionId = await env.createAction({ meeting_id: meetingId, title: 'Circulate the skills partnership mapping', owner_org: 'iom', due_date: dayIn(-3) });

    const page = await app.newPage();
    await env.signInAs(page, IOM);
    await page.goto(`${app.url}/`);
    const mine = page.getByTestId('my-actions');
    const row = mine.locator(`[data-action="${actionId}"]`);
    await row.waitFor();
    await row.getByText('Overdue').waitFor();
    await page.getByTestId('next-meeting').getByRole('link', { name: TITLE }).waitFor();
    await expectNoAxeViolations(page, 'home, a focal point with actions');
    // Its focal point records who attends for IOM (its own rows only).
    await page.goto(`${app.url}/meetings/${meetingId}`);
    const attend = page.getByTestId('attendance-form');
    await attend.getByLabel('Person 1', { exact: true }).fill('Ines IOM');
    await attend.getByLabel('Level of person 1').selectOption('senior');
    await attend.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved.').waitFor();
    await page.getByTestId('attendance').locator('ul').getByText('Ines IOM').waitFor();
    assert.equal(await page.getByTestId('attendance').getByLabel('Organisation').count(), 0, 'no choice of organisation for a focal point');
    await page.goto(`${app.url}/`);
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Circulate the skills partnership mapping', level: 1 }).waitFor();
    const update = page.getByTestId('action-update');
    await update.getByLabel('Status').selectOption('in_progress');
    await update.getByLabel('Progress note').fill('Draft mapping shared with the task force.');
    await update.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Action updated.').waitFor();
    await page.getByTestId('action-status').getByText('In progress').waitFor();
    await page.getByTestId('action-progress').getByText('Draft mapping shared with the task force.').waitFor();
    await expectNoAxeViolations(page, 'an action, its owner');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    // UNHCR's focal point reads it, without a form; the server refuses a write.
    const other = await app.newPage();
    await env.signInAs(other, UNHCR);
    await other.goto(`${app.url}/actions/${actionId}`);
    await other.getByTestId('action-readonly').waitFor();
    assert.equal(await other.getByTestId('action-update').count(), 0);
    await other.context().close();
    await env.expectRefused(UNHCR, actionId);
  }, 'minutes');

  t('the meetings list and month, axe clean; the iCal feed address can be copied', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/meetings`);
    await page.getByTestId('upcoming').getByRole('link', { name: TITLE }).waitFor();
    const feed = page.getByTestId('ical').getByRole('textbox', { name: 'All meetings' });
    assert.equal(await feed.inputValue(), `${app.url}/ical/meetings.ics`);
    if (env.checkFeed) await env.checkFeed(`${app.url}/ical/meetings.ics`, TITLE);
    await expectNoAxeViolations(page, 'meetings, list');
    await page.getByRole('button', { name: 'Month', exact: true }).click();
    await page.getByTestId('month-view').waitFor();
    // The meeting is 20 days ahead: this month or the next.
    if ((await page.getByTestId('month-view').getByRole('link', { name: new RegExp(TITLE) }).count()) === 0) await page.getByRole('button', { name: 'Next month' }).click();
    await page.getByTestId('month-view').getByRole('link', { name: new RegExp(TITLE) }).waitFor();
    await expectNoAxeViolations(page, 'meetings, month');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  for (const [lang, heading, planned] of [
    ['fr-FR', 'Réunions', 'Prévue'],
    ['ar', 'الاجتماعات', 'مخطط'],
  ]) {
    t(`a phone in ${lang}: the meetings and a meeting fit the screen`, async () => {
      const page = await app.newPage({ locale: lang, width: 390, height: 844 });
      await page.goto(`${app.url}/meetings`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.getByTestId('upcoming').getByRole('link', { name: TITLE }).waitFor();
      if (lang === 'ar') await expectDirection(page, 'ar');
      await page.goto(`${app.url}/meetings/${meetingId}`);
      await page.getByTestId('meeting-status').getByText(planned).waitFor();
      await page.getByTestId('minutes-text').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
      await expectNoAxeViolations(page, `a meeting, ${lang}, phone`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }, 'minutes');
  }
}
