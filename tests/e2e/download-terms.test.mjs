// End-to-end: the administrator's download settings (`gmg serve --public-url --data-licence`,
// env GMG_PUBLIC_URL / GMG_DATA_LICENCE): every download (CSV, Excel, IATI XML) carries the
// configured licence and absolute links to activity pages; a bad value stops the start-up with
// a message naming the flag; without them, links stay relative and the licence says none is stated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_EMAIL, ADMIN_PASSWORD, runGmg } from '../lib/server.mjs';
import { unzip } from '../lib/matrix.mjs';

const PUBLIC_URL = 'https://hub.example.org';
const LICENCE = 'CC BY 4.0 https://creativecommons.org/licenses/by/4.0/';
// "--" may not appear inside an XML comment: the IATI file spaces it out.
const DASHED = 'ODC-By -- Open Data Commons Attribution https://opendatacommons.org/licenses/by/';

let configured, plain, id;

const activity = {
  organization_id: 'ilo', titles: [{ lang: 'en', text: 'Fair recruitment corridor' }],
  descriptions: 'Zero recruitment fees.', type: 'technical_assistance', themes: ['labour-migration'],
  countries: ['NP'], starts_on: '2021-01-01', ends_on: '2024-12-31', status: 2, visibility: 'public',
};

before(async () => {
  // One server takes the flags, the other the environment variables (with a trailing slash).
  configured = await startServer({ args: ['--public-url', PUBLIC_URL, '--data-licence', LICENCE] });
  const admin = new Client(configured.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const created = await admin.post('/api/v1/activities', activity);
  assert.equal(created.status, 201, created.text);
  id = created.json.id;
  plain = await startServer({ env: { GMG_PUBLIC_URL: `${PUBLIC_URL}/`, GMG_DATA_LICENCE: DASHED } });
});

after(async () => {
  await configured?.stop();
  await plain?.stop();
});

function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  return rows;
}

test('CSV: the configured licence in the header and every row, absolute page links', async () => {
  const csv = await new Client(configured.url).get('/api/v1/activities.csv');
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('x-data-licence'), LICENCE);
  const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
  const row = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === String(id))[i]]));
  assert.equal(row.page, `${PUBLIC_URL}/activities/${id}`);
  assert.equal(row.licence, LICENCE);
});

test('Excel: the About sheet states the licence and the activities page in full', async () => {
  const res = await fetch(`${configured.url}/api/v1/activities.xlsx`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-data-licence'), LICENCE);
  const files = unzip(Buffer.from(await res.arrayBuffer()));
  const about = files['xl/worksheets/sheet2.xml'].toString();
  assert.ok(about.includes(LICENCE), 'About holds the licence');
  assert.ok(about.includes(`${PUBLIC_URL}/activities<`), 'About links the activities page');
  assert.ok(!about.includes('No licence stated'));
  const sheet = files['xl/worksheets/sheet1.xml'].toString();
  assert.ok(sheet.includes(`${PUBLIC_URL}/activities/${id}`), 'the row links its page in full');
});

test('IATI XML: the licence in a comment and header, a document-link to the activity page', async () => {
  const res = await fetch(`${configured.url}/api/v1/activities.iati.xml`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-data-licence'), LICENCE);
  const xml = await res.text();
  assert.match(xml, /^<\?xml [^>]*\?>\n<!-- Source: GMG Hub - Global Migration Group\. Licence: CC BY 4\.0 https:\/\/creativecommons/);
  assert.ok(xml.includes(`<document-link url="${PUBLIC_URL}/activities/${id}" format="text/html">`), xml.slice(0, 2000));
});

test('the web app reads the terms; the environment variables work as the flags do', async () => {
  const terms = await new Client(plain.url).get('/api/v1/downloads/terms');
  assert.equal(terms.status, 200);
  assert.deepEqual(terms.json, { source: 'GMG Hub — Global Migration Group', licence: DASHED, licence_stated: true, public_url: PUBLIC_URL });
  const res = await fetch(`${plain.url}/api/v1/activities.iati.xml`);
  assert.equal(res.headers.get('x-data-licence'), DASHED, 'the header keeps the text as configured');
  const comment = /<!--([\s\S]*?)-->/.exec(await res.text())[1];
  assert.ok(!comment.includes('--'), comment);
  assert.match(comment, /Licence: ODC-By - - Open Data Commons Attribution https:\/\/opendatacommons\.org\/licenses\/by\/ Hub: https:\/\/hub\.example\.org $/);
});

test('without the settings: relative links and the honest "no licence stated"', async () => {
  const bare = await startServer();
  try {
    const c = new Client(bare.url);
    const terms = await c.get('/api/v1/downloads/terms');
    assert.equal(terms.json.licence_stated, false);
    assert.equal(terms.json.public_url, '');
    assert.match(terms.json.licence, /^No licence stated/);
    const csv = await c.get('/api/v1/activities.csv');
    assert.match(csv.headers.get('x-data-licence'), /^No licence stated/);
    const xml = await (await fetch(`${bare.url}/api/v1/activities.iati.xml`)).text();
    assert.match(xml, /<!-- Source: GMG Hub - Global Migration Group\. Licence: No licence stated/);
  } finally {
    await bare.stop();
  }
});

test('a bad setting stops the start-up with a message naming the flag', () => {
  const cases = [
    [['--public-url', 'ftp://hub.example.org'], {}, /--public-url.*https:\/\//],
    [['--public-url', 'https://hub.example.org/?x=1'], {}, /--public-url.*query/],
    [[], { GMG_PUBLIC_URL: 'hub.example.org' }, /--public-url \(GMG_PUBLIC_URL\)/],
    [['--data-licence', 'CC'], {}, /--data-licence.*shorter than 3/],
    [['--data-licence', 'x'.repeat(301)], {}, /--data-licence.*longer than 300/],
    [[], { GMG_DATA_LICENCE: 'Licence\nSet-Cookie: a=b' }, /--data-licence \(GMG_DATA_LICENCE\).*printable ASCII/],
  ];
  for (const [args, env, message] of cases) {
    const r = runGmg(['serve', '--db', '/nonexistent/never-opened.db', '--port', '0', ...args], { env });
    assert.equal(r.status, 1, `${JSON.stringify(args)} ${JSON.stringify(env)} is refused`);
    assert.match(r.stderr, message);
  }
});

test('gmg serve --help names both settings and their variables', () => {
  const r = runGmg(['serve', '--help']);
  assert.match(r.stdout, /--public-url[\s\S]*GMG_PUBLIC_URL/);
  assert.match(r.stdout, /--data-licence[\s\S]*GMG_DATA_LICENCE/);
});
