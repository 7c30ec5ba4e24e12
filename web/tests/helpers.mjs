// Shared set-up for the browser tests: the real `gmg serve` with the built app, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, ADMIN_EMAIL, ADMIN_PASSWORD, addUser, Client } from '../../tests/lib/server.mjs';

export { ADMIN_EMAIL, ADMIN_PASSWORD, addUser, Client };

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(webDir, 'dist');

/** Builds the app once if `dist/` is missing (CI normally builds it before testing). */
function ensureBuilt() {
  if (existsSync(path.join(distDir, 'index.html'))) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: webDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Starts the server serving web/dist and a headless Chromium. Call `stop()` at the end.
 * `serverArgs`: more `gmg serve` flags (e.g. ['--data-licence', '…']).
 */
export async function startApp({ serverArgs = [] } = {}) {
  ensureBuilt();
  const server = await startServer({ web: distDir, args: serverArgs });
  let browser;
  try {
    browser = await chromium.launch({
      // Debian's chromium-headless-shell (scripts/install-deps.sh): Chromium's headless shell
      // without the browser's user interface layers, at less than half the CPU of
      // `chromium --headless` for the same tests (docs/web.md).
      executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium-headless-shell',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (e) {
    await server.stop();
    throw e;
  }
  // The first-run tour (src/tour.tsx) opens by itself once per browser; in every context but
  // those made with `{ firstRun: true }` it is marked seen ("all"), so tests meet the pages.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async ({ firstRun = false, ...options } = {}) => {
    const context = await newContext(options);
    if (!firstRun) {
      await context.addInitScript(() => {
        try {
          if (!localStorage.getItem('gmg.tour.seen')) localStorage.setItem('gmg.tour.seen', 'all');
        } catch {
          // no storage for this document (about:blank)
        }
      });
    }
    return context;
  };
  return {
    server,
    browser,
    url: server.url,
    /**
     * A fresh browser context (its own cookies) and page that records CSP and script errors.
     * `firstRun`: a browser that has never seen the app (the tour opens by itself); `locale`
     * sets navigator.languages and Accept-Language.
     */
    async newPage({ width = 1280, height = 900, firstRun = false, locale } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, firstRun, ...(locale ? { locale } : {}) });
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      page.problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) page.problems.push(m.text());
      });
      page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
      return page;
    },
    async stop() {
      try {
        await browser.close();
      } finally {
        await server.stop();
      }
    },
  };
}

/**
 * Signs in through the sign-in page, as a person would, and waits for the header to show it and
 * for the page to move on to where the sign-in leads.
 */
export async function signIn(page, base, email, password) {
  await page.goto(`${base}/signin`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.waitForURL((url) => url.pathname !== '/signin');
}

/**
 * Opens the header's Administration menu (src/nav-menu.tsx) if it is closed, on a phone first
 * the header's Menu; returns the menu's list, whose links are then visible.
 */
export async function openAdminMenu(page, name = 'Administration') {
  // The page's own requests first: a re-render when they answer would close the menu just
  // opened (seen in CI under load: the menu opened, then "Themes" was gone for 10 s).
  await page.waitForLoadState('networkidle');
  const menu = page.locator('#site-nav');
  if (!(await menu.isVisible())) await page.getByRole('button', { name: 'Menu' }).click();
  const button = menu.getByRole('button', { name });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const list = page.locator('#admin-nav');
  await list.waitFor();
  return list;
}

// axe-core is evaluated through the DevTools protocol, which the app's Content Security Policy
// (script-src 'self', no inline scripts) does not apply to; a <script> tag would be refused.
let axeSource;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now and fails with every
 * violation: its rule id, the elements (CSS targets) and the rule's help page. `where` names the
 * page and state in the failure message, e.g. 'activities, signed out'.
 */
export async function expectNoAxeViolations(page, where) {
  axeSource ??= readFileSync(path.join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.join(' ')), summary: v.nodes[0]?.failureSummary ?? '' }));
  });
  if (violations.length === 0) return;
  const lines = violations.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n  targets: ${v.targets.slice(0, 8).join(' | ')}${v.targets.length > 8 ? ` … (${v.targets.length})` : ''}\n  ${v.summary.split('\n').join(' ')}\n  ${v.helpUrl}`);
  throw new Error(`axe: ${violations.length} WCAG 2.1 AA violation(s) on ${where}:\n${lines.join('\n')}`);
}

/**
 * Tabs through the whole page from the top (at most `max` stops) and fails if a focused element
 * shows no focus: no outline (HTML) or an unchanged edge (an SVG map country). Returns the stops.
 */
export async function expectFocusVisibleOnEveryStop(page, where, max = 250) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  await page.locator('body').focus();
  const seen = [];
  const bad = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const svg = e instanceof SVGElement;
      const visible = svg ? s.strokeWidth !== '0.5px' : s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const name = (e.getAttribute('aria-label') || (e.labels && e.labels[0]?.textContent) || e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
      // Each element's own number, so that two "Edit" buttons are two stops.
      window.__stops ??= new WeakMap();
      window.__stopNext ??= 0;
      if (!window.__stops.has(e)) window.__stops.set(e, window.__stopNext++);
      return { key: window.__stops.get(e), what: `${e.tagName.toLowerCase()} "${name}"`, visible, el: e.outerHTML.slice(0, 80) };
    });
    if (!stop) break;
    // A date input takes several Tabs (day, month, year); the same element again is no new stop.
    if (seen.length > 0 && seen[seen.length - 1] === stop.key) continue;
    if (seen.includes(stop.key)) break;
    seen.push(stop.key);
    if (!stop.visible) bad.push(`${stop.what}: ${stop.el}`);
  }
  if (bad.length > 0) throw new Error(`focus not visible on ${where} (${bad.length} of ${seen.length} stops):\n${bad.join('\n')}`);
  return seen;
}

/**
 * Waits until the page has switched to `lang` (the language's catalogue arrives after the load
 * event, then `<html lang>` is set) and checks the writing direction that came with it.
 */
export async function expectDirection(page, lang) {
  await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 10_000 });
  const dir = await page.evaluate(() => document.documentElement.dir);
  if (dir !== (lang === 'ar' ? 'rtl' : 'ltr')) throw new Error(`<html lang="${lang}"> has dir="${dir}"`);
}
