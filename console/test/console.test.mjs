// The web console end to end: Debian's Chromium driven by playwright-core against a real
// `parley server` (free port, temporary data directory). One scenario, in the order a developer
// works: log in; create a function from a template; see a validation error at its line; test;
// deploy; invoke and see logs and a metrics point; create a secret and read it from the function;
// add a schedule; roll back. Screenshots of every page go to tests/artifacts/console/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ADMIN_PASSWORD, client, startServer } from './server.mjs';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../tests/artifacts/console');
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
let browser;
let page;
let profile;
let routes;
const pageErrors = [];

async function shot(name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Replaces the editor's content as typed text (no auto-closing brackets, no auto-indent).
async function setCode(code) {
  const editor = page.locator('.cm-content');
  const firstLine = code.split('\n')[0];
  for (let attempt = 0; ; attempt++) {
    await editor.click();
    await page.locator('.cm-editor.cm-focused').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(code);
    try {
      await editor.locator('.cm-line').first().filter({ hasText: firstLine }).waitFor({ timeout: 3000 });
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

async function openFunction(name, tab = '') {
  await page.getByRole('link', { name: 'Functions', exact: true }).click();
  await page.getByRole('link', { name, exact: true }).click();
  if (tab) await page.getByRole('navigation', { name: 'Function sections' }).getByRole('link', { name: tab }).click();
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  const operator = await client(server.url).login('admin', ADMIN_PASSWORD);
  assert.equal((await operator.call('POST', '/api/v1/accounts', { id: 'acme', name: 'Acme Inc.' })).status, 201);
  const user = await operator.call('POST', '/api/v1/accounts/acme/users', { username: 'alice', password: 'alice-password-1', role: 'Admin' });
  assert.equal(user.status, 201, user.text);
  routes = Object.keys((await operator.call('GET', '/api/v1/openapi.json')).json.paths);

  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  await server?.stop();
});

// Every route the console uses must be on the server: a missing one fails the test.
const has = (route) => {
  assert.ok(routes.includes(route), `the server has no ${route}`);
  return true;
};
const observeRoutes = () => has('/api/v1/accounts/{acct}/functions/{fn}/logs') && has('/api/v1/accounts/{acct}/functions/{fn}/metrics');

test('the console: log in, create, validate, test, deploy, invoke, secrets, schedules, rollback', async (t) => {
  try {
    await scenario(t);
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png'), timeout: 5000 }).catch((x) => console.error('no failure screenshot:', x.message));
    const probe = page.evaluate(() => new Promise((resolve) => {
      const info = { visibility: document.visibilityState, focus: document.hasFocus(), cm: document.querySelectorAll('.cm-content').length };
      requestAnimationFrame(() => resolve({ ...info, raf: true }));
      setTimeout(() => resolve({ ...info, raf: false }), 2000);
    }));
    console.error('page probe:', JSON.stringify(await Promise.race([probe, new Promise((r) => setTimeout(() => r('no answer'), 5000))])));
    console.error('page at failure:', page.url(), (await page.locator('main').innerText().catch(() => '?')).slice(0, 600));
    throw e;
  }
});

async function scenario(t) {
  // --- log in (a client-side route first: the server answers it with the app) ----------------
  await page.goto(`${server.url}/functions`);
  await page.waitForURL(/\/login\?next=/);
  await shot('01-login');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: /password|credentials|invalid/i }).waitFor();
  await page.getByLabel('Password').fill('alice-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Functions', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'No functions yet' }).waitFor();
  const cookies = await browser.cookies(server.url);
  assert.ok(cookies.find((c) => c.name === 'parley_session')?.httpOnly, 'the session cookie is HttpOnly');

  // --- create a function from a template (event → skills → template → name) -----------------
  await page.getByRole('link', { name: 'New function' }).first().click();
  await page.getByLabel('Search events').fill('No Event');
  await page.getByRole('radio', { name: /No Event/ }).check();
  await shot('02-wizard-event');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Skills' }).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  const templates = page.getByRole('radiogroup', { name: 'Templates' }).getByRole('radio');
  await templates.first().waitFor({ state: 'attached' });
  // The server's templates (GET /api/v1/templates?eventId=) when it has them, else the blank one.
  const fromServer = has('/api/v1/templates');
  const chosen = fromServer ? page.getByRole('radio', { name: /Hello World/ }) : templates.first();
  await chosen.check({ force: true });
  await page.getByLabel('Template code').waitFor();
  await shot('03-wizard-template');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Name').fill('greeter');
  await page.getByLabel('Description').fill('Greets whoever calls it');
  await page.getByRole('button', { name: 'Create function' }).click();
  await page.waitForURL(/\/functions\/greeter$/);
  await page.locator('h1 .badge', { hasText: 'Draft' }).waitFor();
  await page.locator('.cm-content .cm-line').first().waitFor();
  if (fromServer) assert.match(await page.locator('.cm-content').innerText(), /Hello World: answers with a greeting/);

  // --- edit: a syntax error is shown at its line after Ctrl+S --------------------------------
  await setCode(['async function lambda(input) {', "  console.info('about to fail');", '  return input.payload.name +;', '}', ''].join('\n'));
  await page.getByText('Unsaved changes').waitFor();
  await page.keyboard.press('Control+S');
  const buildError = page.locator('.build-error');
  await buildError.waitFor();
  assert.match(await buildError.innerText(), /line 3/);
  await page.locator('.cm-content .cm-line').nth(2).locator('.cm-lintRange-error').waitFor();
  assert.equal(await page.locator('.cm-lintRange-error').count(), 1, 'one diagnostic, on line 3 only');
  await shot('04-editor-validation-error');

  // --- fix it and test it with the test panel ------------------------------------------------
  await setCode(
    [
      'async function lambda(input) {',
      "  console.info('hello from the console', input.payload.name);",
      "  return { greeting: 'Hello ' + input.payload.name };",
      '}',
      '',
    ].join('\n'),
  );
  // Completion from the toolbelt's declarations (types/*.d.ts), when the tree has them.
  const typesDir = path.resolve(import.meta.dirname, '../../types');
  if (fs.existsSync(typesDir) && fs.readdirSync(typesDir).some((f) => f.endsWith('.d.ts'))) {
    await page.keyboard.insertText('Toolbelt.Sec');
    await page.keyboard.press('Control+Space');
    await page.locator('.cm-tooltip-autocomplete').getByText('SecretClient').first().waitFor();
    await page.keyboard.press('Escape');
    for (let i = 0; i < 'Toolbelt.Sec'.length; i++) await page.keyboard.press('Backspace');
  } else {
    assert.fail('no types/*.d.ts in this tree: toolbelt completion cannot be checked');
  }
  await page.keyboard.press('Control+S');
  await buildError.waitFor({ state: 'detached' });
  await page.getByText('Version 3', { exact: true }).waitFor();
  await page.getByLabel('Payload').fill('{"name": "Ada"}');
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header 1 name').fill('X-Test');
  await page.getByLabel('Header 1 value').fill('yes');
  await page.getByRole('button', { name: 'Run test' }).click();
  const result = page.getByTestId('test-result');
  await result.waitFor();
  assert.match(await result.innerText(), /"greeting": "Hello Ada"/);
  assert.match(await page.locator('.test-result .log-lines').innerText(), /hello from the console\s+Ada/);
  assert.match(await page.getByTestId('test-duration').innerText(), /^\d+(\.\d+)? ms · v3$/);
  await shot('05-editor-test-result');

  // --- deploy, with the diff against the deployed version ------------------------------------
  await page.getByRole('button', { name: 'Deploy…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy greeter v3' });
  await dialog.getByText('First deploy').waitFor();
  await shot('06-deploy-dialog');
  await dialog.getByRole('button', { name: 'Deploy v3' }).click();
  await page.locator('h1 .badge', { hasText: 'Productive' }).waitFor();

  // --- invoke it over the API, as a caller would ---------------------------------------------
  const alice = await client(server.url).login('alice', 'alice-password-1');
  const invoked = await alice.call('POST', '/api/v1/accounts/acme/functions/greeter/invoke', { payload: { name: 'Bob' } });
  assert.equal(invoked.status, 200, invoked.text);
  assert.deepEqual(invoked.json, { greeting: 'Hello Bob' });

  if (observeRoutes()) {
    await page.getByRole('navigation', { name: 'Function sections' }).getByRole('link', { name: 'Logs' }).click();
    await page.locator('.log-table').getByText('hello from the console').first().waitFor();
    assert.match(await page.locator('.log-table').innerText(), /Bob/);
    await shot('07-logs');
    await page.getByRole('navigation', { name: 'Function sections' }).getByRole('link', { name: 'Metrics' }).click();
    await page.getByTestId('metric-totals').waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await shot('08-metrics');
  } else {
    t.diagnostic('logs and metrics routes are not on this server yet: their steps were not run');
  }

  // --- a secret, read from the function ------------------------------------------------------
  await page.getByRole('link', { name: 'Secrets', exact: true }).click();
  await page.getByRole('heading', { name: 'No secrets' }).waitFor();
  await page.getByRole('button', { name: 'New secret' }).click();
  await page.getByLabel('Name').fill('api_key');
  await page.getByLabel('Value').fill('s3cr3t-value-42');
  await page.getByRole('button', { name: 'Create secret' }).click();
  await page.getByRole('cell', { name: 'api_key', exact: true }).waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /s3cr3t-value-42/);
  await shot('09-secrets');

  await openFunction('greeter');
  await setCode(
    [
      "const { Toolbelt } = require('lp-faas-toolbelt');",
      'async function lambda(input) {',
      "  console.info('hello from the console', input.payload.name);",
      "  const secret = await Toolbelt.SecretClient().readSecret('api_key');",
      "  return { greeting: 'Hello ' + input.payload.name, secretLength: secret.value.length };",
      '}',
      '',
    ].join('\n'),
  );
  await page.getByLabel('Payload').fill('{"name": "Eve"}');
  await page.getByRole('button', { name: 'Save & run test' }).click();
  await page.getByText('Version 4', { exact: true }).waitFor();
  await page.getByTestId('test-result').filter({ hasText: 'Eve' }).waitFor();
  assert.match(await page.getByTestId('test-result').innerText(), /"secretLength": 15/);
  await page.locator('h1 .badge', { hasText: 'Modified' }).waitFor();
  await page.getByRole('button', { name: 'Deploy…' }).click();
  const dialog4 = page.getByRole('dialog', { name: 'Deploy greeter v4' });
  await dialog4.getByText('Live: v3').waitFor();
  await dialog4.locator('.cm-changedLine').first().waitFor();
  await shot('10-deploy-diff');
  await dialog4.getByRole('button', { name: 'Deploy v4' }).click();
  await page.locator('h1 .badge', { hasText: 'Productive' }).waitFor();
  const withSecret = await alice.call('POST', '/api/v1/accounts/acme/functions/greeter/invoke', { payload: { name: 'Zed' } });
  assert.deepEqual(withSecret.json, { greeting: 'Hello Zed', secretLength: 15 });

  // --- environment and settings --------------------------------------------------------------
  await page.getByRole('navigation', { name: 'Function sections' }).getByRole('link', { name: 'Environment & settings' }).click();
  await page.getByRole('button', { name: 'Add variable' }).click();
  await page.getByLabel('Variable 1 name').fill('GREETING');
  await page.getByLabel('Variable 1 value').fill('Hi');
  await shot('11-settings');

  // --- a schedule ----------------------------------------------------------------------------
  await page.getByRole('link', { name: 'Schedules', exact: true }).click();
  await page.getByRole('heading', { name: 'No schedules' }).waitFor();
  await page.getByRole('button', { name: 'New schedule' }).first().click();
  await page.getByLabel('Function').selectOption('greeter');
  await page.getByRole('button', { name: 'Every hour' }).click();
  await page.getByLabel('Description').fill('hourly greeting');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await page.getByRole('cell', { name: /0 \* \* \* \*/ }).waitFor();
  assert.match(await page.locator('table').innerText(), /greeter[\s\S]*hourly greeting[\s\S]*active/);
  const schedules = await alice.call('GET', '/api/v1/accounts/acme/schedules');
  assert.equal(schedules.json.length, 1);
  assert.equal(schedules.json[0].cronExpression, '0 * * * *');
  await shot('12-schedules');

  // --- roll back to the version before -------------------------------------------------------
  await openFunction('greeter', 'Versions');
  await page.getByRole('button', { name: 'Deploy version 3' }).click();
  await page.getByRole('dialog', { name: 'Roll back to version 3?' }).getByRole('button', { name: 'Roll back to v3' }).click();
  await page.locator('h1 .badge', { hasText: 'Modified' }).waitFor();
  await page.getByText('live v3').waitFor();
  await shot('13-versions');
  const rolledBack = await alice.call('POST', '/api/v1/accounts/acme/functions/greeter/invoke', { payload: { name: 'Kim' } });
  assert.deepEqual(rolledBack.json, { greeting: 'Hello Kim' }, 'v3 is live again');

  // --- the other pages render (screenshots) --------------------------------------------------
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.getByTestId('count-functions').filter({ hasText: '1' }).waitFor();
  await shot('14-overview');
  await page.getByRole('link', { name: 'Functions', exact: true }).click();
  await page.getByRole('cell', { name: /greeter/ }).waitFor();
  await shot('15-functions');
  if (has('/api/v1/accounts/{acct}/domains')) {
    await page.getByRole('link', { name: 'Allowed domains', exact: true }).click();
    await page.getByRole('heading', { name: 'No allowed domains' }).waitFor();
    await page.getByLabel('Domain').fill('*.example.com');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('cell', { name: '*.example.com', exact: true }).waitFor();
    const domains = await alice.call('GET', '/api/v1/accounts/acme/domains');
    assert.ok(JSON.stringify(domains.json).includes('*.example.com'), domains.text);
  } else {
    t.diagnostic('the domains route is not on this server yet: adding a domain was not run');
  }
  for (const [link, name] of [
    ['Allowed domains', '16-domains'],
    ['Users & API clients', '17-access'],
    ['Activity', '18-activity'],
    ['Settings', '19-account-settings'],
  ]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('main .state-loading'));
    await shot(name);
  }
  await page.getByRole('link', { name: 'Users & API clients', exact: true }).click();
  await page.getByRole('cell', { name: 'alice', exact: true }).waitFor();

  // --- a narrow window: the navigation collapses behind a menu button ------------------------
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole('link', { name: 'Overview' }).click({ force: true }).catch(() => {});
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Functions', exact: true }).click();
  await page.getByRole('cell', { name: /greeter/ }).waitFor();
  await shot('20-functions-narrow');

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
}
