// Browser tests of the sarhad web console (run by tests/browser/run.sh,
// which starts the real server on a demo store with one account per role
// whose password is pass-ROLE-123).  One chromium profile, fresh for the
// run; every test starts from a clean page without cookies.  Besides what
// each test asserts, every page must run without a script error or a
// Content-Security-Policy violation.
'use strict';

const { test, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.SARHAD_URL;
const SHOTS = process.env.SCREENSHOTS || '';
const SECTIONS = ['counter', 'referrals', 'decisions', 'travellers', 'reports', 'lint', 'users', 'policies', 'bundles',
    'audit'];
const SEES = {
    officer: ['counter', 'travellers', 'decisions'],
    supervisor: ['referrals', 'decisions', 'counter', 'travellers'],
    analyst: ['reports', 'lint', 'travellers'],
    admin: ['users', 'policies', 'bundles'],
    auditor: ['audit', 'decisions', 'travellers', 'bundles'],
};
// The e2e presentation (tests/e2e/presentation.json): passport + visa.
const PASSPORT = ['P<AFGKHAN<<AMINA<<<<<<<<<<<<<<<<<<<<<<<<<<<<',
    'PA12345673AFG9001011F3001019<<<<<<<<<<<<<<00'];
const VISA = ['V<PAKKHAN<<AMINA<<<<<<<<<<<<<<<<<<<<<<<<<<<<',
    'VA76543213AFG9001011F2406019<<<<<<<<<<<<<<<<'];

let ctx, page, profile, problems;

before(async () => {
    assert.ok(BASE, 'SARHAD_URL is set by run.sh');
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sarhad-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
            '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
        viewport: { width: 1024, height: 768 },
        timezoneId: 'Asia/Karachi',
        acceptDownloads: true,
    });
});

after(async () => {
    if (ctx) await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
});

beforeEach(async () => {
    await ctx.clearCookies();
    page = await ctx.newPage();
    problems = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push('CSP: ' + m.text());
    });
});

afterEach(async () => {
    await page.close();
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
});

async function login(user, password) {
    await page.goto(BASE + '/');
    await page.fill('#login-username', user);
    await page.fill('#login-password', password || 'pass-' + user + '-123');
    await page.press('#login-password', 'Enter');
    await page.waitForSelector('#whoami:not([hidden])');
}

const visible = (sel) => page.isVisible(sel);

// window.print opens a dialog; the tests count the calls instead.
async function stubPrint() {
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
}

test('the console is served with a strict policy and no inline script', async () => {
    const res = await page.goto(BASE + '/');
    assert.equal(res.status(), 200);
    const h = res.headers();
    assert.match(h['content-type'], /^text\/html; charset=utf-8/);
    assert.match(h['content-security-policy'], /default-src 'none'/);
    assert.match(h['content-security-policy'], /script-src 'self'/);
    assert.doesNotMatch(h['content-security-policy'], /unsafe-inline|unsafe-eval/);
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(await page.locator('script:not([src])').count(), 0);
    const js = await page.request.get(BASE + '/app.js');
    assert.match(js.headers()['content-type'], /^text\/javascript/);
    assert.ok(await visible('#login-form'));
});

test('a wrong password shows the error beside the password', async () => {
    await page.goto(BASE + '/');
    await page.fill('#login-username', 'officer');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-form button[type=submit]');
    const err = page.locator('#login-form .field-error');
    await err.waitFor();
    assert.match(await err.textContent(), /wrong user name or password/);
    assert.equal(await page.getAttribute('#login-password', 'aria-invalid'), 'true');
    assert.ok(!(await visible('#whoami')));
    assert.ok(!(await visible('#counter')));
});

for (const [role, mine] of Object.entries(SEES)) {
    test(`${role} logs in and sees only its part`, async () => {
        await login(role);
        assert.equal(await page.textContent('#who-user'), role);
        await page.waitForSelector('#' + mine[0] + ':not([hidden])');
        const tabs = await page.$$eval('#tabs button', (bs) => bs.map((b) => b.dataset.section));
        assert.deepEqual(tabs.length ? tabs : [mine[0]], mine);
        for (const s of SECTIONS) {
            if (s !== mine[0]) assert.ok(!(await visible('#' + s)), `${role} does not see ${s}`);
        }
        for (const s of mine.slice(1)) {
            await page.click(`#tabs button[data-section="${s}"]`);
            assert.ok(await visible('#' + s));
            assert.ok(!(await visible('#' + mine[0])));
        }
    });
}

/* Type an MRZ as a keyboard-wedge reader does: each line, then Enter. */
async function scan(selector, lines) {
    await page.focus(selector);
    for (const l of lines) {
        await page.keyboard.type(l);
        await page.keyboard.press('Enter');
    }
}

test('an officer scans passport and visa and sees admit with reasons and rule', async () => {
    await login('officer');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'c-passport');
    assert.equal(await page.inputValue('#c-crossing'), 'TORKHAM', 'the post is the default crossing');
    assert.match(await page.inputValue('#c-time'), /^\d{4}-\d\d-\d\dT\d\d:\d\d/, 'now is the default time');
    await page.fill('#c-time', '2023-11-05T09:30');
    await scan('#c-passport', PASSPORT);
    // The complete passport moved the focus to the visa box, and filled the
    // traveller from the MRZ.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'c-visa');
    assert.equal(await page.inputValue('#c-nationality'), 'AFG');
    assert.equal(await page.inputValue('#c-birth'), '1990-01-01');
    assert.equal(await page.inputValue('#c-sex'), 'F');
    await page.fill('#c-visa-category', 'medical');
    await page.selectOption('#c-visa-entries', 'multiple');
    await page.fill('#c-visa-stay', '60');
    await page.fill('#c-purpose', 'medical');
    await page.fill('#c-residence', 'Nangarhar');
    await scan('#c-visa', VISA); // the reader's last Enter decides
    const verdict = page.locator('#decision .verdict');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-decision'), 'admit');
    assert.match(await verdict.textContent(), /Admit/);
    assert.equal(await page.textContent('#decision .rule'), 'passport-visa-form-c');
    assert.equal(await page.textContent('#decision .policy'), 'pakistan version 1');
    assert.match(await page.textContent('#decision .reasons'), /Passport and valid Pakistani visa\./);
    assert.match(await page.textContent('#decision .flags'), /Form C/);
    assert.match(await page.textContent('#decision .traveller-line'), /KHAN, AMINA · passport PA1234567/);
    // Ready for the next traveller: form cleared, focus in the passport box.
    assert.equal(await page.inputValue('#c-passport'), '');
    assert.equal(await page.inputValue('#c-nationality'), '');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'c-passport');
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'officer.png'), fullPage: true });
});

test('a refusal says what was missing, in words', async () => {
    await login('officer');
    await page.fill('#c-time', '2023-11-05T09:30');
    await page.fill('#c-purpose', 'medical');
    await scan('#c-passport', PASSPORT);
    await page.keyboard.press('Enter'); // empty visa box: decide
    const verdict = page.locator('#decision .verdict');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-decision'), 'refuse');
    const reasons = await page.$$eval('#decision .reasons li', (li) => li.map((x) => x.dataset.code));
    assert.ok(reasons.includes('missing_visa'), reasons.join());
    assert.match(await page.textContent('#decision .reasons'), /No visa was presented\./);
    assert.equal(await page.textContent('#decision .rule'), 'one-document');
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'refusal.png') });
    // The notice handed to the traveller, made from the recorded attempt.
    await stubPrint();
    await page.click('#c-notice');
    await page.waitForFunction(() => window.__printed === 1);
    const id = await page.evaluate(() => document.querySelector('#notice .notice-page').dataset.attempt);
    const notice = await page.textContent('#notice');
    assert.match(notice, /Notice of refusal of entry into Pakistan/);
    assert.match(notice, new RegExp('Referenceattempt ' + id));
    assert.match(notice, /KHAN, AMINA/);
    assert.match(notice, /No visa was presented\./);
    assert.match(notice, /rule "one-document" of policy "pakistan"/);
    const anchor = notice.match(/entry (\d+) of the post's audit log; anchor (\d+):([0-9a-f]{64})/);
    assert.ok(anchor && anchor[1] === anchor[2], notice);

    assert.doesNotMatch(notice, /watchlist|score/i);
    assert.match(notice, /Printed by officer, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:00\./, 'dated at the post');
    // Printed, the notice is the whole page.
    await page.emulateMedia({ media: 'print' });
    assert.ok(await visible('#notice .notice-page'));
    assert.ok(!(await visible('#counter')));
    await page.emulateMedia({ media: 'screen' });
    assert.ok(!(await visible('#notice .notice-page')));
    if (SHOTS) {
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: path.join(SHOTS, 'notice.png'), fullPage: true });
        await page.emulateMedia({ media: 'screen' });
    }
    // Typing the next traveller marks the shown decision as the last one's.
    await page.focus('#c-passport');
    await page.keyboard.type('P<AFG');
    assert.ok(await page.isVisible('#decision .stale-note'));
    // The notice's anchor is one the log must still hold: an auditor checks it.
    await page.click('#logout');
    // The logout loads a fresh page; wait for it before going on.
    await page.waitForFunction(() => !document.getElementById('login').hidden);
    await login('auditor');
    const verify = (a) => page.evaluate(async (x) => (await window.Sarhad.api('GET',
        '/v1/audit/verify?anchor=' + x)).data.ok, a);
    assert.equal(await verify(anchor[2] + ':' + anchor[3]), true);
    const other = anchor[3].slice(0, -1) + (anchor[3].endsWith('0') ? '1' : '0');
    assert.equal(await verify(anchor[2] + ':' + other), false, 'a hash the log does not hold fails');
});

test('an officer records a deportee handed over with the arrest, and the analyst counts it', async () => {
    await login('officer');
    assert.ok(!(await visible('#c-exit')), 'no return details on an entry');
    await page.selectOption('#c-direction', 'exit');
    assert.ok(await visible('#c-exit'));
    await page.fill('#c-time', '2023-11-20T10:00');
    await page.fill('#c-nationality', 'AFG');
    await page.selectOption('#c-sex', 'M');
    await page.selectOption('#c-m-category', 'deportation');
    await page.fill('#c-m-household', 'H-77');
    await page.fill('#c-m-household-size', '3');
    await page.check('#c-m-vulnerabilities input[value=medical]');
    await page.selectOption('#c-m-arrest-province', 'sindh');
    // A date after the crossing is refused, beside the date.
    await page.fill('#c-m-arrested-on', '2023-11-21');
    await page.keyboard.press('Control+Enter');
    const err = page.locator('#c-m-arrested-on').locator('xpath=..').locator('.field-error');
    await err.waitFor();
    assert.match(await err.textContent(), /after the day of the crossing/);
    await page.fill('#c-m-arrested-on', '2023-11-14');
    await page.keyboard.press('Control+Enter');
    const verdict = page.locator('#decision .verdict');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-decision'), 'admit');
    // The household's details stay for its next member; the person's go.
    assert.equal(await page.inputValue('#c-m-household'), 'H-77');
    assert.equal(await page.inputValue('#c-m-category'), 'deportation');
    assert.equal(await page.inputValue('#c-m-arrest-province'), 'sindh');
    assert.ok(!(await page.isChecked('#c-m-vulnerabilities input[value=medical]')));
    await page.click('#c-m-new-household');
    assert.equal(await page.inputValue('#c-m-household'), '');
    await page.selectOption('#c-direction', 'entry');
    assert.ok(!(await visible('#c-exit')));

    await ctx.clearCookies();
    await login('analyst');
    await page.selectOption('#rep-kind', 'detentions');
    await page.fill('#rep-from', '2023-11-20');
    await page.fill('#rep-to', '2023-11-26');
    await page.click('#report-form button[type=submit]');
    await page.waitForSelector('#rep-result:not([hidden])');
    const heads = await page.$$eval('#rep-table thead th', (th) => th.map((x) => x.textContent));
    assert.deepEqual(heads, ['week', 'post', 'crossing', 'province', 'documentation', 'movement',
        'mean_days_held', 'cumulative', 'count']);
    const rows = await page.$$eval('#rep-table tbody tr', (tr) => tr.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [['2023-11-20', 'TORKHAM', 'TORKHAM', 'sindh', 'undocumented', 'deportation', '6', '1', '1']]);
});

test('an API error is shown beside the field it names', async () => {
    await login('officer');
    await page.fill('#c-passport', 'GARBAGE');
    await page.fill('#c-nationality', 'AFG');
    await page.keyboard.press('Control+Enter');
    const err = page.locator('#c-passport').locator('xpath=..').locator('.field-error');
    await err.waitFor();
    assert.match(await err.textContent(), /not the shape of a machine-readable zone/);
    assert.equal(await page.getAttribute('#c-passport', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'c-passport');
    assert.match(await page.textContent('#decision'), /Not decided/);
});

test('a supervisor opens a referral, sees the history and resolves it', async () => {
    await login('supervisor');
    const rows = page.locator('#ref-table tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    assert.ok(before > 0, 'the demo store has open referrals');
    const attempt = await rows.first().getAttribute('data-attempt');
    await rows.first().locator('button').click();
    await page.waitForSelector('#ref-history table.history-attempts');
    assert.ok(await page.isVisible('#ref-decision .verdict.refer'));
    assert.match(await page.textContent('#ref-case-h'), new RegExp('Attempt #' + attempt));
    assert.ok((await page.locator('#ref-history table.history-attempts tbody tr').count()) >= 1);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'supervisor.png'), fullPage: true });
    // A resolution needs a written reason.
    await page.check('#res-admit');
    await page.click('#resolve-form button[type=submit]');
    assert.match(await page.locator('#resolve-form .field-error').textContent(), /reason/);
    await page.fill('#res-reason', 'Identity established by the tribal elder; CNIC copy seen.');
    await page.click('#resolve-form button[type=submit]');
    await page.waitForFunction((a) => /resolved: admit/.test(document.getElementById('ref-count').textContent)
        && !document.querySelector('#ref-table tr[data-attempt="' + a + '"]'), attempt);
    assert.equal(await rows.count(), before - 1);
    assert.ok(!(await page.isVisible('#ref-case')));
    assert.equal(await page.locator('#ref-notice').count(), 0, 'an admission has no notice');
});

/* A passport without a visa under the one-document regime, decided at
 * time through the API by the logged-in officer or supervisor: refused. */
async function refusedAt(time) {
    return page.evaluate(async (at) => {
        const r = await window.Sarhad.api('POST', '/v1/decisions', {
            crossing: 'TORKHAM', direction: 'entry', time: at,
            traveller: { nationality: 'AFG', sex: 'F', birth_date: '1990-01-01' },
            documents: [{ kind: 'passport', mrz: 'P<AFGNOORI<<ZAHRA<<<<<<<<<<<<<<<<<<<<<<<<<<<\n' +
                'PA12345673AFG9001011F3001019<<<<<<<<<<<<<<00' }] });
        return r.data;
    }, time);
}

test('a supervisor overrides a refusal with a written reason', async () => {
    await login('supervisor');
    await page.waitForSelector('#override-form');
    const refused = await refusedAt('2023-11-05T09:30:00+05:00');
    assert.equal(refused.decision, 'refuse', JSON.stringify(refused));
    await page.fill('#ov-attempt', String(refused.attempt_id));
    await page.check('#ov-admit');
    await page.click('#override-form button[type=submit]');
    assert.match(await page.locator('#override-form .field-error').textContent(), /reason/);
    await page.fill('#ov-reason', 'Medical exception: hospital referral letter seen.');
    await page.click('#override-form button[type=submit]');
    await page.waitForFunction(() => /overridden: admit/.test(document.getElementById('ov-result').textContent));
    // Once only: the server's reason is shown.
    await page.fill('#ov-attempt', String(refused.attempt_id));
    await page.check('#ov-refuse');
    await page.fill('#ov-reason', 'Changed my mind.');
    await page.click('#override-form button[type=submit]');
    await page.waitForFunction(() => /already overridden/.test(document.getElementById('override-form').textContent));
    assert.equal(await page.getAttribute('#ov-attempt', 'aria-invalid'), 'true');
});

test('a supervisor reviews the day\'s refusals, opens one and goes on to override it', async () => {
    await login('supervisor');
    const refused = await refusedAt('2023-11-21T08:15:00+05:00');
    assert.equal(refused.decision, 'refuse', JSON.stringify(refused));
    await page.click('#tabs button[data-section="decisions"]');
    await page.waitForSelector('#dec-table tbody tr');
    await page.fill('#dec-day', '2023-11-21');
    await page.selectOption('#dec-outcome', 'refuse');
    await page.click('#dec-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#dec-table tbody tr').length === 1 &&
        document.querySelector('#dec-table tbody tr').dataset.attempt);
    const line = await page.textContent('#dec-table tbody tr');
    assert.match(line, new RegExp('^' + refused.attempt_id + '.*TORKHAM.*entry.*AFG.*refuse.*one-document'));
    assert.doesNotMatch(line, /NOORI|PA1234567/, 'a line names no traveller');
    await page.click('#dec-table tbody tr button');
    await page.waitForSelector('#dec-decision .verdict');
    assert.equal(await page.getAttribute('#dec-decision .verdict', 'data-decision'), 'refuse');
    assert.match(await page.textContent('#dec-presentation'), /NOORI, ZAHRA.*passport PA1234567/);
    // Its notice can be printed again from here.
    await stubPrint();
    await page.click('#dec-notice');
    await page.waitForFunction(() => window.__printed === 1);
    assert.match(await page.textContent('#notice'), new RegExp('Referenceattempt ' + refused.attempt_id +
        '.*NOORI, ZAHRA'));
    await page.click('#dec-override');
    assert.ok(await visible('#referrals'));
    assert.equal(await page.inputValue('#ov-attempt'), String(refused.attempt_id));
});

test('a refusal decided on review prints the supervisor\'s grounds; an admission has no notice', async () => {
    await login('supervisor');
    const admitted = await refusedAt('2023-11-22T08:15:00+05:00');
    assert.equal(admitted.decision, 'refuse', JSON.stringify(admitted));
    // Overridden to admit: no notice is offered any more.
    const r = await page.evaluate(async (id) => (await window.Sarhad.api('POST', '/v1/attempts/' + id +
        '/override', { decision: 'admit', reason: 'Medical exception: letter seen.' })).status, admitted.attempt_id);
    assert.equal(r, 200);
    await page.click('#tabs button[data-section="decisions"]');
    await page.fill('#dec-day', '2023-11-22');
    await page.click('#dec-form button[type=submit]');
    await page.waitForSelector('#dec-table tbody tr[data-attempt="' + admitted.attempt_id + '"]');
    await page.click('#dec-table tbody tr[data-attempt="' + admitted.attempt_id + '"] button');
    await page.waitForFunction(() => /Overridden: admit/.test(document.getElementById('dec-review').textContent));
    assert.ok(!(await visible('#dec-notice')));
    // A referral resolved as a refusal: the grounds are the supervisor's.
    await page.click('#tabs button[data-section="referrals"]');
    const referred = await page.evaluate(async () => (await window.Sarhad.api('POST', '/v1/decisions', {
        crossing: 'TORKHAM', direction: 'entry', time: '2023-11-22T09:00:00+05:00',
        traveller: { nationality: 'PAK', sex: 'M', birth_date: '1980-02-02' },
        documents: [{ kind: 'cnic', number: '17301-1234567-1' }] })).data);
    assert.equal(referred.decision, 'refer', JSON.stringify(referred));
    await page.click('#ref-refresh');
    const row = page.locator('#ref-table tbody tr[data-attempt="' + referred.attempt_id + '"]');
    await row.locator('button').click();
    await page.waitForSelector('#ref-decision .verdict.refer');
    await page.check('#res-refuse');
    await page.fill('#res-reason', 'The card shown is not the holder\'s.');
    await page.click('#resolve-form button[type=submit]');
    await page.waitForSelector('#ref-notice');
    await stubPrint();
    await page.click('#ref-notice');
    await page.waitForFunction(() => window.__printed === 1);
    const notice = await page.textContent('#notice');
    assert.match(notice, new RegExp('Referenceattempt ' + referred.attempt_id));
    assert.match(notice, /Refused on review by supervisor supervisor \(.*\): The card shown is not the holder's\./);
    assert.match(notice, /Reviewed: recorded as entry \d+ of the post's audit log/);
    assert.doesNotMatch(notice, /Under rule/);
});

test('an officer finds a traveller by document or name and opens the history', async () => {
    await login('officer');
    const recorded = await page.evaluate(async (mrz) => {
        const r = await window.Sarhad.api('POST', '/v1/decisions', {
            crossing: 'TORKHAM', direction: 'entry', time: '2023-11-07T09:30:00+05:00',
            traveller: { nationality: 'AFG', sex: 'F', birth_date: '1990-01-01' },
            documents: [{ kind: 'passport', mrz }] });
        return r.data;
    }, PASSPORT.join('\n'));
    assert.ok(recorded.attempt_id, JSON.stringify(recorded));
    await page.click('#tabs button[data-section="travellers"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tv-document');
    // The server names a bad issuing state beside its field.
    await page.fill('#tv-document', 'pa 1234567');
    await page.fill('#tv-state', 'A1');
    await page.press('#tv-document', 'Enter');
    await page.waitForFunction(() => document.getElementById('tv-state').getAttribute('aria-invalid') === 'true');
    await page.fill('#tv-state', 'afg');
    await page.press('#tv-document', 'Enter');
    const row = page.locator('#tv-table tbody tr');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.match(await row.first().textContent(), /KHAN, AMINA.*passport AFG:PA1234567/);
    await row.first().locator('button').click();
    await page.waitForSelector('#tv-history table.history-attempts');
    assert.match(await page.textContent('#tv-history table.history-documents'), /AFG:PA1234567/);
    assert.ok(await page.locator('#tv-history table.history-attempts tbody tr td:first-child',
        { hasText: String(recorded.attempt_id) }).count() >= 1, 'the attempt just recorded is in the history');
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'travellers.png'), fullPage: true });
    // By name: the surname is required; then given names narrow it.
    await page.check('#tv-by-name');
    await page.click('#tv-form button[type=submit]');
    assert.match(await page.locator('#tv-form .field-error').textContent(), /surname/);
    await page.fill('#tv-surname', 'khan');
    await page.fill('#tv-given', 'Amina');
    await page.click('#tv-form button[type=submit]');
    await page.waitForFunction(() => /KHAN, AMINA/.test(document.querySelector('#tv-table tbody').textContent)
        && !document.getElementById('tv-results').hidden);
    assert.ok(!(await visible('#tv-history')));
    await page.fill('#tv-surname', 'Nobody-Here');
    await page.click('#tv-form button[type=submit]');
    await page.waitForFunction(() => /No traveller matches/.test(document.getElementById('tv-count').textContent));
    assert.ok(!(await visible('#tv-table')));
});

test('a document on record for another traveller is a warning at the counter', async () => {
    await login('officer');
    // The passport's holder is known, and someone else holds a tazkira.
    const seeded = await page.evaluate(async (mrz) => {
        const a = await window.Sarhad.api('POST', '/v1/decisions', {
            crossing: 'TORKHAM', direction: 'entry', time: '2023-11-08T09:00:00+05:00',
            traveller: { nationality: 'AFG', sex: 'F', birth_date: '1990-01-01' },
            documents: [{ kind: 'passport', mrz }] });
        const b = await window.Sarhad.api('POST', '/v1/decisions', {
            crossing: 'TORKHAM', direction: 'exit', time: '2023-11-08T10:00:00+05:00',
            traveller: { nationality: 'AFG', sex: 'M', birth_date: '1975-03-03' },
            documents: [{ kind: 'tazkira', number: '1402-0808-55555' }] });
        return [a.data, b.data];
    }, PASSPORT.join('\n'));
    assert.ok(seeded[0].attempt_id && seeded[1].attempt_id, JSON.stringify(seeded));
    await page.fill('#c-time', '2023-11-09T09:30');
    await scan('#c-passport', PASSPORT);
    await page.click('#c-add-doc');
    await page.locator('#c-others .other-doc select').last().selectOption('tazkira');
    await page.locator('#c-others .other-doc input[data-key="number"]').last().fill('1402 0808 55555');
    await scan('#c-visa', VISA);
    const warning = page.locator('#decision .flags li.identity-conflict');
    await warning.waitFor();
    assert.match(await warning.textContent(), /tazkira presented is on record for another traveller/);
    assert.ok((await warning.getAttribute('class')).includes('flag-warn'), 'shown as a warning');
});

test('a supervisor goes from a traveller\'s history to the override of the latest attempt', async () => {
    await login('supervisor');
    const refused = await page.evaluate(async (mrz) => {
        const r = await window.Sarhad.api('POST', '/v1/decisions', {
            crossing: 'TORKHAM', direction: 'entry', time: '2023-11-08T09:30:00+05:00',
            traveller: { nationality: 'AFG', sex: 'F', birth_date: '1990-01-01' },
            documents: [{ kind: 'passport', mrz }] });
        return r.data;
    }, PASSPORT.join('\n'));
    assert.equal(refused.decision, 'refuse', JSON.stringify(refused));
    await page.click('#tabs button[data-section="travellers"]');
    await page.fill('#tv-document', 'PA1234567');
    await page.press('#tv-document', 'Enter');
    await page.locator('#tv-table tbody tr button').first().click();
    await page.waitForSelector('#tv-override');
    assert.match(await page.textContent('#tv-override'), new RegExp('#' + refused.attempt_id));
    await page.click('#tv-override');
    assert.ok(await visible('#referrals'));
    assert.equal(await page.inputValue('#ov-attempt'), String(refused.attempt_id));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ov-admit');
});

test('an officer is not offered overrides', async () => {
    await login('officer');
    await page.click('#tabs button[data-section="travellers"]');
    await page.fill('#tv-document', 'PA1234567');
    await page.press('#tv-document', 'Enter');
    await page.locator('#tv-table tbody tr button').first().click();
    await page.waitForSelector('#tv-history table.history-attempts');
    assert.equal(await page.locator('#tv-override').count(), 0);
});

test('an analyst sees a report as table and chart and downloads its CSV', async () => {
    await login('analyst');
    await page.selectOption('#rep-kind', 'daily');
    await page.fill('#rep-from', '2023-11-01');
    await page.fill('#rep-to', '2023-11-03');
    await page.click('#report-form button[type=submit]');
    await page.waitForSelector('#rep-result:not([hidden])');
    const heads = await page.$$eval('#rep-table thead th', (th) => th.map((x) => x.textContent));
    assert.deepEqual(heads, ['day', 'post', 'crossing', 'direction', 'nationality', 'decision', 'count']);
    const days = await page.$$eval('#rep-table tbody tr td:first-child', (td) => [...new Set(td.map((x) => x.textContent))]);
    assert.deepEqual(days.sort(), ['2023-11-01', '2023-11-02', '2023-11-03']);
    assert.equal(await page.locator('#rep-chart svg rect.bar').count(), 3, 'one bar per day');
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'analyst.png'), fullPage: false });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rep-csv')]);
    assert.equal(download.suggestedFilename(), 'daily-2023-11-01-to-2023-11-03.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    assert.equal(csv[0], 'day,post,crossing,direction,nationality,decision,count');
    assert.equal(csv.length - 1, await page.locator('#rep-table tbody tr').count());
    // A bad date from the API lands beside the "from" field.
    await page.evaluate(() => { document.getElementById('rep-from').type = 'text'; });
    await page.fill('#rep-from', '2023-13-01');
    await page.click('#report-form button[type=submit]');
    assert.match(await page.locator('#rep-from').locator('xpath=..').locator('.field-error').textContent(), /YYYY-MM-DD/);
});

test('the header says the post works offline while the central store cannot be reached', async () => {
    await login('officer');
    const sync = page.locator('#sync');
    await sync.waitFor();
    assert.match(await sync.textContent(), /^Working offline/);
    assert.ok(await sync.evaluate((el) => el.classList.contains('sync-failing')));
    assert.equal(await sync.getAttribute('role'), 'status', 'screen readers hear it');
});

test('an analyst reads the daily tallies with families, and why people crossed', async () => {
    await login('analyst');
    await page.selectOption('#rep-kind', 'tallies');
    await page.fill('#rep-from', '2023-11-02');
    await page.fill('#rep-to', '2023-11-02');
    await page.click('#report-form button[type=submit]');
    await page.waitForSelector('#rep-result:not([hidden])');
    const heads = await page.$$eval('#rep-table thead th', (th) => th.map((x) => x.textContent));
    assert.deepEqual(heads, ['day', 'post', 'crossing', 'families', 'men', 'women', 'children', 'vehicles', 'count']);
    const rows = await page.$$eval('#rep-table tbody tr', (tr) => tr.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.ok(rows.length > 0);
    for (const r of rows) {
        const [families, men, women, children, count] = [3, 4, 5, 6, 8].map((i) => Number(r[i]));
        assert.ok(families <= count, `a family has members: ${r}`);
        assert.ok(men + women + children <= count, `men, women and children are among the returns: ${r}`);
    }
    assert.ok(rows.some((r) => Number(r[3]) > 0), 'households returned');
    assert.equal(await page.locator('#rep-chart svg rect.bar').count(), new Set(rows.map((r) => r[2])).size,
        'one bar per crossing');
    // Why they crossed: the returnees' purpose among the day's reasons.
    await page.selectOption('#rep-kind', 'purposes');
    await page.click('#report-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#rep-table thead th:nth-child(5)')?.textContent === 'purpose');
    const purposes = await page.$$eval('#rep-table tbody tr td:nth-child(5)', (td) => td.map((x) => x.textContent));
    assert.ok(purposes.includes('return'), `returnees travel to return: ${[...new Set(purposes)]}`);
});

test('an analyst reads the national figures from the central store, one post or all', async () => {
    await login('analyst');
    await page.waitForSelector('#rep-scope-field:not([hidden])');
    assert.ok(await page.locator('#rep-post-field').isHidden(), 'a post only for the national scope');
    await page.selectOption('#rep-scope', 'national');
    await page.waitForSelector('#rep-posts-table tbody tr');
    const posts = await page.$$eval('#rep-posts-table tbody tr td:first-child', (td) => td.map((x) => x.textContent));
    assert.deepEqual(posts, ['TORKHAM'], 'the post that pushed');
    assert.equal(await page.locator('#rep-posts-table tbody tr td:nth-child(2)').textContent(), 'in touch',
        'it pushed moments ago');
    assert.ok(await page.locator('#rep-kind option[value="overstays"]').isDisabled(), "overstays are a post's report");
    await page.selectOption('#rep-kind', 'daily');
    await page.fill('#rep-from', '2023-11-01');
    await page.fill('#rep-to', '2023-11-01');
    await page.fill('#rep-post', 'torkham');
    await page.click('#report-form button[type=submit]');
    await page.waitForSelector('#rep-result:not([hidden])');
    const national = await page.$$eval('#rep-table tbody tr', (tr) => tr.map((r) => r.textContent));
    assert.ok(national.length > 0);
    assert.match(await page.locator('#rep-csv').getAttribute('href'),
        /^\/v1\/national\/reports\/daily\?from=2023-11-01&to=2023-11-01&post=TORKHAM&format=csv$/);
    // What the post pushed is what it has: the same rows as its own report.
    await page.selectOption('#rep-scope', 'post');
    await page.click('#report-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('rep-posts').hidden);
    const own = await page.$$eval('#rep-table tbody tr', (tr) => tr.map((r) => r.textContent));
    assert.deepEqual(own, national);
});

test('an analyst lints a policy and reads file:line:col; names are escaped', async () => {
    await login('analyst');
    await page.click('#tabs button[data-section="lint"]');
    const evil = '<img src=x id=pwned>.policy';
    await page.fill('#lint-filename', evil);
    await page.fill('#lint-text', 'rule ??');
    await page.click('#lint-form button[type=submit]');
    const item = page.locator('#lint-result li.lint-error');
    await item.waitFor();
    assert.ok((await item.textContent()).startsWith(evil + ':1:1: '));
    assert.equal(await page.locator('#pwned').count(), 0, 'the name is text, not markup');
    const good = fs.readFileSync(process.env.POLICY_FILE, 'utf8');
    await page.fill('#lint-filename', 'pakistan.policy');
    await page.fill('#lint-text', good);
    await page.click('#lint-form button[type=submit]');
    await page.waitForSelector('#lint-result p.ok');
    assert.match(await page.textContent('#lint-result'), /No errors: pakistan version 1/);
});

test('an analyst replays a draft over the record and sees what would have moved', async () => {
    await login('analyst');
    await page.click('#tabs button[data-section="lint"]');
    await page.fill('#lint-filename', 'closed.policy');
    await page.fill('#lint-text', 'policy "closed" version 9\nrule everyone "Everyone is refused"\n' +
        '  refuse\n  reason closed "The crossing is closed."\nend\n');
    await page.fill('#replay-from', '2023-11-02');
    await page.click('#replay-submit');
    await page.waitForFunction(() => /decided otherwise/.test(document.getElementById('replay-status').textContent),
        null, { timeout: 30000 });
    const status = await page.textContent('#replay-status');
    const m = status.match(/closed version 9: (\d+) of (\d+) attempts decided otherwise/);
    assert.ok(m, status);
    assert.ok(Number(m[1]) > 0 && Number(m[1]) <= Number(m[2]));
    const moved = await page.$$eval('#replay-moved tbody tr', (tr) => tr.map((r) => r.textContent));
    assert.ok(moved.some((r) => /^admitrefuse\d+$/.test(r)), moved.join(' | '));
    const changes = await page.$$eval('#replay-changes tbody tr', (tr) => tr.length);
    assert.equal(changes, Math.min(Number(m[1]), 500));
    assert.match(await page.textContent('#replay-changes tbody tr'), /refuse \(everyone\)/);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'replay.png'), fullPage: true });
    // The replay is kept: listed below, and opened again after a reload.
    const listed = page.locator('#replay-list tbody tr', { hasText: 'closed version 9' }).first();
    await listed.waitFor();
    assert.match(await listed.textContent(), new RegExp('analyst.*2023-11-02 to the last.*' + m[1] + ' of ' + m[2]));
    await page.reload();
    await page.waitForSelector('#whoami:not([hidden])');
    await page.click('#tabs button[data-section="lint"]');
    await page.locator('#replay-list tbody tr', { hasText: 'closed version 9' }).first().locator('button').click();
    await page.waitForSelector('#replay-result:not([hidden])');
    assert.equal(await page.textContent('#replay-status'), status);
    // A draft that does not compile is named at once, at its line.
    await page.fill('#lint-text', 'policy "x" version 2\nrule\n');
    await page.click('#replay-submit');
    await page.waitForSelector('#lint-result:not([hidden]) .lint-error');
    assert.match(await page.textContent('#lint-result'), /:2:\d+:/);
});

test('an admin adds a user (errors beside the field first)', async () => {
    await login('admin');
    await page.waitForSelector('#users-table tbody tr');
    await page.fill('#u-username', 'zarmina');
    await page.selectOption('#u-role', 'officer');
    await page.fill('#u-post', '');
    await page.fill('#u-password', 'pass-zarmina-123');
    await page.click('#user-form button[type=submit]');
    const err = page.locator('#u-post').locator('xpath=..').locator('.field-error');
    await err.waitFor();
    assert.match(await err.textContent(), /post/);
    await page.fill('#u-post', 'TORKHAM');
    await page.fill('#u-password', 'pass-zarmina-123');
    await page.click('#user-form button[type=submit]');
    const row = page.locator('#users-table tr[data-user="zarmina"]');
    await row.waitFor();
    assert.match(await row.textContent(), /officer.*TORKHAM.*active/);
    assert.match(await page.textContent('#users-status'), /zarmina added as officer/);
    // Disabled (after a confirmation), then enabled again.
    page.once('dialog', (d) => d.accept());
    await page.click('#users-table tr[data-user="zarmina"] button[aria-label="Disable zarmina"]');
    await page.waitForFunction(() => /disabled/.test(document.querySelector('#users-table tr[data-user="zarmina"]').textContent));
    await page.click('#users-table tr[data-user="zarmina"] button[aria-label="Enable zarmina"]');
    await page.waitForFunction(() => /active/.test(document.querySelector('#users-table tr[data-user="zarmina"]').textContent));
    assert.match(await page.textContent('#users-status'), /zarmina enabled again/);
});

test('an admin checks a policy before publishing it and sees the versions', async () => {
    await login('admin');
    await page.click('#tabs button[data-section="policies"]');
    await page.waitForSelector('#pol-table tbody tr');
    assert.ok(await page.isDisabled('#pub-submit'), 'publish waits for a check');
    const text = fs.readFileSync(process.env.POLICY_FILE, 'utf8')
        .replace(/^policy "pakistan" version 1$/m, 'policy "pakistan" version 2');
    await page.fill('#pub-filename', 'pakistan-v2.policy');
    await page.fill('#pub-text', text);
    await page.click('#pub-lint');
    await page.waitForSelector('#pub-submit:not([disabled])');
    await page.click('#pub-submit');
    await page.waitForFunction(() => /Published pakistan version 2/.test(document.getElementById('pub-result').textContent)
        && document.querySelectorAll('#pol-table tbody tr').length === 2);
    const states = await page.$$eval('#pol-table tbody tr', (tr) => tr.map((r) => r.textContent));
    assert.equal(states.length, 2);
    assert.match(states[1], /pakistan-v2\.policy.*in force/);
});

test('an auditor pages through the log and verifies the chain', async () => {
    await login('auditor');
    const rows = page.locator('#audit-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50);
    assert.equal(await rows.first().getAttribute('data-seq'), '1');
    await page.click('#audit-next');
    await page.waitForSelector('#audit-table tbody tr[data-seq="51"]');
    await page.click('#audit-prev');
    await page.waitForSelector('#audit-table tbody tr[data-seq="1"]');
    await page.click('#audit-verify');
    const result = page.locator('#audit-verify-result .verify');
    await result.waitFor();
    assert.match(await result.textContent(), /Chain verified: nothing was altered\./);
    assert.match(await result.textContent(), /\d+ entries checked against \d+ signed checkpoints/);
    // The head is shown as an anchor to keep; given back, it holds, and one
    // the log does not hold breaks the verification at its entry.
    const anchor = await page.locator('#audit-verify-result code.anchor').textContent();
    assert.match(anchor, /^\d+:[0-9a-f]{64}$/);
    await page.fill('#audit-anchor', anchor);
    await page.click('#audit-verify');
    await page.waitForFunction(() => /the anchor held/.test(document.getElementById('audit-verify-result').textContent));
    await page.fill('#audit-anchor', '1:' + '0'.repeat(64));
    await page.click('#audit-verify');
    await page.waitForSelector('#audit-verify-result .result-bad');
    assert.match(await page.locator('#audit-verify-result').textContent(), /broken at entry #1\..*anchor kept outside/s);
});

test('an auditor finds who looked at a traveller and what was decided for them', async () => {
    await login('auditor');
    await page.locator('#audit-table tbody tr').first().waitFor();
    // Only lookups: every row is one, each naming whose record was shown.
    await page.selectOption('#audit-kind', 'lookup');
    await page.click('#audit-filter button[type=submit]');
    await page.waitForFunction(() => {
        const kinds = Array.from(document.querySelectorAll('#audit-table tbody tr td:nth-child(6)'))
            .map((td) => td.textContent);
        return kinds.length > 0 && kinds.every((k) => k === 'lookup');
    });
    const subject = await page.locator('#audit-table tbody tr td:nth-child(7)', { hasText: 'traveller:' })
        .first().textContent();
    const traveller = subject.split(':')[1];
    // Everything about that traveller: their decisions and who saw them.
    await page.selectOption('#audit-kind', '');
    await page.fill('#audit-traveller', traveller);
    await page.press('#audit-traveller', 'Enter');
    await page.waitForFunction(() => {
        const kinds = Array.from(document.querySelectorAll('#audit-table tbody tr td:nth-child(6)'))
            .map((td) => td.textContent);
        return kinds.includes('decision') && kinds.includes('lookup') && !kinds.includes('login');
    });
    // The server names a bad filter beside its field.
    await page.fill('#audit-user', 'x'.repeat(31));
    await page.fill('#audit-traveller', '');
    await page.evaluate(() => { document.getElementById('audit-traveller').type = 'text'; });
    await page.fill('#audit-traveller', 'KHAN');
    await page.press('#audit-traveller', 'Enter');
    await page.waitForFunction(() => document.getElementById('audit-traveller').getAttribute('aria-invalid') === 'true');
});

test('logout ends the session', async () => {
    await login('officer');
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    await page.waitForFunction(() => !document.getElementById('login').hidden);
    assert.ok(!(await visible('#counter')));
    await page.reload();
    await page.waitForFunction(() => !document.getElementById('login').hidden);
    const status = await page.evaluate(async () => (await fetch('/v1/sessions/current')).status);
    assert.equal(status, 401);
});

test('a reload keeps the session and writes still carry the CSRF token', async () => {
    await login('supervisor');
    await page.reload();
    await page.waitForSelector('#whoami:not([hidden])');
    await page.click('#tabs button[data-section="counter"]');
    await page.fill('#c-time', '2023-11-05T09:30');
    await scan('#c-passport', PASSPORT);
    await page.keyboard.press('Enter');
    await page.locator('#decision .verdict').waitFor();
});

/* The post's local time as "YYYY-MM-DDTHH:MM" at UTC offset off minutes. */
function postLocal(ms, off) {
    return new Date(ms + off * 60000).toISOString().slice(0, 16);
}

test('the default time is the post\'s (+05:00), not the browser\'s zone', async () => {
    // A laptop left on California time, at a Pakistani post.
    const other = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic'],
    });
    try {
        const c = await other.newContext({ timezoneId: 'America/Los_Angeles' });
        const p = await c.newPage();
        const errors = [];
        p.on('pageerror', (e) => errors.push(e.message));
        assert.equal(await p.evaluate(() => new Date().getTimezoneOffset() > 0), true,
            'the browser is west of UTC');
        const health = await (await p.request.get(BASE + '/v1/health')).json();
        assert.equal(health.utc_offset, '+05:00');
        await p.goto(BASE + '/');
        await p.fill('#login-username', 'officer');
        await p.fill('#login-password', 'pass-officer-123');
        await p.press('#login-password', 'Enter');
        await p.waitForSelector('#whoami:not([hidden])');
        const before = Date.now();
        const shown = (await p.inputValue('#c-time')).slice(0, 16);
        const after = Date.now();
        assert.ok(shown === postLocal(before, 300) || shown === postLocal(after, 300),
            `default time ${shown} is now at the post (${postLocal(before, 300)})`);
        assert.notEqual(shown, postLocal(before, -await p.evaluate(() => new Date().getTimezoneOffset())),
            'not the browser\'s local time');
        // A typed time is sent as the post's local time.
        await p.fill('#c-time', '2023-11-05T09:30');
        await p.fill('#c-purpose', 'medical');
        await p.focus('#c-passport');
        for (const l of PASSPORT) {
            await p.keyboard.type(l);
            await p.keyboard.press('Enter');
        }
        const sent = p.waitForRequest((r) => r.url().endsWith('/v1/decisions') && r.method() === 'POST');
        await p.keyboard.press('Enter'); // empty visa box: decide
        const body = JSON.parse((await sent).postData());
        assert.equal(body.time, '2023-11-05T09:30:00+05:00');
        await p.locator('#decision .verdict').waitFor();
        assert.deepEqual(errors, []);
        await c.close();
    } finally {
        await other.close();
    }
});

// Last: once the post trusts the ministry key, local publication is over.
test('an admin trusts the ministry key and applies its signed policy; a tampered one is refused', async () => {
    const dir = process.env.BUNDLE_DIR;
    const good = path.join(dir, 'v3.bundle');
    const tampered = path.join(dir, 'v3-tampered.bundle');
    fs.writeFileSync(tampered, fs.readFileSync(good, 'utf8').replace('Torkham', 'Torkhum'));
    await login('admin');
    await page.click('#tabs button[data-section="bundles"]');
    await page.waitForFunction(() => /trusts no ministry key/.test(document.getElementById('bun-key').textContent));
    assert.ok(await visible('#trust-form'));
    assert.ok(!(await visible('#apply-form')), 'nothing to apply before a key is trusted');
    await page.fill('#trust-key', 'abc');
    await page.click('#trust-form button[type="submit"]');
    await page.waitForSelector('#trust-form .field-error');
    assert.match(await page.textContent('#trust-form .field-error'), /64 hex digits/);
    page.once('dialog', (d) => d.accept());
    await page.fill('#trust-key', fs.readFileSync(path.join(dir, 'ministry.pub'), 'utf8').trim());
    await page.click('#trust-form button[type="submit"]');
    await page.waitForSelector('#apply-form:not([hidden])');
    assert.match(await page.textContent('#bun-key'), /trusts the ministry key [0-9a-f]{16}/);
    assert.ok(!(await visible('#trust-form')), 'the key is trusted once');
    await page.setInputFiles('#apply-file', tampered);
    await page.click('#apply-submit');
    await page.waitForSelector('#apply-form .field-error');
    assert.match(await page.textContent('#apply-form .field-error'), /sha256: .*altered/);
    await page.setInputFiles('#apply-file', good);
    await page.click('#apply-submit');
    await page.waitForFunction(() => /Applied policy bundle 1 .*policy:3/.test(document.getElementById('apply-result').textContent));
    const rows = await page.$$eval('#bun-table tbody tr', (tr) => tr.map((r) => r.textContent));
    assert.equal(rows.length, 1);
    assert.match(rows[0], /policy.*v3\.policy.*admin.*policy:3/);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'bundles.png'), fullPage: true });
    // The policies page shows the signed version in force.
    await page.click('#tabs button[data-section="policies"]');
    await page.waitForFunction(() => /v3\.policy.*in force/.test(document.getElementById('pol-table').textContent));
});

test('an auditor sees the trusted key and the bundles, and cannot change them', async () => {
    await login('auditor');
    await page.click('#tabs button[data-section="bundles"]');
    await page.waitForSelector('#bun-table tbody tr');
    assert.match(await page.textContent('#bun-key'), /trusts the ministry key/);
    assert.match(await page.textContent('#bun-table tbody'), /policy:3/);
    assert.ok(!(await visible('#trust-form')));
    assert.ok(!(await visible('#apply-form')));
});
