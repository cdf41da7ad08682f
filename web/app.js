/*
 * app.js - the console's core: talking to the API (cookie session, CSRF
 * header on writes), logging in and out, showing each role only its
 * sections, building DOM safely, and showing API errors next to the
 * field they name.  The other scripts (counter, referrals, reports,
 * admin, audit) register their sections with Sarhad.section().
 *
 * Safety rule for every script: data from the server or the user is only
 * ever put on the page with textContent / text nodes (Sarhad.el), never
 * innerHTML.  The Content-Security-Policy forbids inline script anyway.
 */
'use strict';

(function () {
    const S = (window.Sarhad = {});
    S.state = { user: null, role: null, post: null, csrf: null };
    /* The crossing codes of DESIGN.md, as the API takes them. */
    S.CROSSINGS = ['TORKHAM', 'CHAMAN', 'GHULAM_KHAN', 'KHARLACHI', 'ANGOOR_ADDA',
        'BADINI', 'ARANDU', 'BIN_SHAHI', 'BARABCHA'];
    const sections = {}; // id -> {show(), reset()}

    S.$ = (id) => document.getElementById(id);

    /* el('td', {class: 'num', title: 'x'}, 'text', childNode, ...) */
    S.el = function (tag, attrs, ...children) {
        const svg = tag.startsWith('svg:');
        const node = svg
            ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
            : document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (v === null || v === undefined || v === false) continue;
            if (k === 'class') node.setAttribute('class', v);
            else if (k === 'text') node.textContent = String(v);
            else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
            else node.setAttribute(k, v === true ? '' : String(v));
        }
        for (const c of children.flat()) {
            if (c === null || c === undefined || c === false) continue;
            node.append(c instanceof Node ? c : document.createTextNode(String(c)));
        }
        return node;
    };
    S.clear = (node) => { node.replaceChildren(); return node; };

    /* "2023-11-05T09:30:00+05:00" -> "2023-11-05 09:30:00 +05:00" */
    S.fmtTime = function (t) {
        if (typeof t !== 'string') return '';
        return t.replace('T', ' ').replace(/(\d)([+-]\d\d:\d\d|Z)$/, '$1 $2');
    };

    /* ---- the API ---------------------------------------------------- */

    /* Resolves to {status, ok, data}; data is the parsed JSON (or text). A
     * 401 on anything but the login ends the console's session. */
    S.api = async function (method, path, body) {
        const headers = {};
        const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        if (method !== 'GET' && S.state.csrf) headers['X-CSRF-Token'] = S.state.csrf;
        let res;
        try {
            res = await fetch(path, init);
        } catch (e) {
            return { status: 0, ok: false, data: { code: 'network', field: null,
                message: 'The server cannot be reached. Check the network and try again.' } };
        }
        const type = res.headers.get('Content-Type') || '';
        let data;
        try {
            data = type.startsWith('application/json') ? await res.json() : await res.text();
        } catch (e) {
            data = { code: 'bad_reply', field: null, message: 'The server sent an unreadable answer.' };
        }
        if (res.status === 401 && path !== '/v1/sessions' && S.state.user) {
            S.sessionEnded('Your session has ended. Log in again.');
        }
        return { status: res.status, ok: res.ok, data };
    };

    /* ---- errors next to fields --------------------------------------- */

    S.clearErrors = function (form) {
        form.querySelectorAll('.field-error').forEach((n) => n.remove());
        form.querySelectorAll('[aria-invalid]').forEach((n) => {
            n.removeAttribute('aria-invalid');
            const ids = (n.getAttribute('aria-describedby') || '')
                .split(' ').filter((x) => x && !x.startsWith('err-'));
            if (ids.length) n.setAttribute('aria-describedby', ids.join(' '));
            else n.removeAttribute('aria-describedby');
        });
        const fe = form.querySelector('.form-error');
        if (fe) { fe.textContent = ''; fe.hidden = true; }
    };

    let errSeq = 0;
    /* Show an API error {code, field, message}: beside the input that
     * fieldFor(field) names, else in the form's alert line.  Returns the
     * element given the focus. */
    S.showError = function (form, err, fieldFor) {
        const e = err && typeof err === 'object' ? err : { message: String(err) };
        const message = e.message || 'The request failed.';
        const input = e.field && fieldFor ? fieldFor(e.field) : null;
        if (input) {
            const id = 'err-' + ++errSeq;
            const p = S.el('p', { class: 'field-error', id, text: message });
            const box = input.closest('.field') || input.parentNode;
            box.append(p);
            input.setAttribute('aria-invalid', 'true');
            const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
            ids.push(id);
            input.setAttribute('aria-describedby', ids.join(' '));
            input.focus();
            return input;
        }
        const fe = form.querySelector('.form-error');
        if (fe) {
            fe.textContent = e.field && !message.includes(e.field) ? e.field + ': ' + message : message;
            fe.hidden = false;
        }
        return fe;
    };

    /* A field resolver for forms whose inputs carry name= attributes. */
    S.byName = (form) => (field) => form.querySelector('[name="' + CSS.escape(field) + '"]');

    /* ---- sections, tabs, login ---------------------------------------- */

    S.section = function (id, handlers) { sections[id] = handlers; };

    /* The sections a role may see; first those made for it (its role is
     * named first), so a supervisor lands on the queue, not the counter. */
    function roleSections(role) {
        const all = Array.from(document.querySelectorAll('main > section[data-roles]'))
            .filter((s) => s.dataset.roles.split(' ').includes(role));
        const own = (s) => s.dataset.roles.split(' ')[0] === role;
        return all.filter(own).concat(all.filter((s) => !own(s)));
    }

    S.show = function (id) {
        const allowed = roleSections(S.state.role).map((s) => s.id);
        if (!allowed.includes(id)) return;
        document.querySelectorAll('main > section').forEach((s) => { s.hidden = s.id !== id; });
        S.$('tabs').querySelectorAll('button').forEach((b) => {
            if (b.dataset.section === id) b.setAttribute('aria-current', 'page');
            else b.removeAttribute('aria-current');
        });
        if (sections[id] && sections[id].show) sections[id].show();
    };

    function enter(who) {
        S.state.user = who.user;
        S.state.role = who.role;
        S.state.post = who.post || '';
        S.state.csrf = who.csrf;
        S.$('who-user').textContent = who.user;
        S.$('who-role').textContent = who.role + (who.post ? ' · ' + who.post : '');
        S.$('whoami').hidden = false;
        S.$('login').hidden = true;
        const nav = S.clear(S.$('tabs'));
        const mine = roleSections(who.role);
        for (const s of mine) {
            nav.append(S.el('button', { type: 'button', 'data-section': s.id,
                onclick: () => S.show(s.id) }, s.dataset.title));
        }
        nav.hidden = mine.length < 2;
        if (mine.length) S.show(mine[0].id);
    }

    function showLogin(message) {
        S.state = { user: null, role: null, post: null, csrf: null };
        document.querySelectorAll('main > section').forEach((s) => { s.hidden = s.id !== 'login'; });
        S.$('whoami').hidden = true;
        S.$('tabs').hidden = true;
        const form = S.$('login-form');
        S.clearErrors(form);
        if (message) S.showError(form, { message });
        S.$('login-username').focus();
    }

    /* The server ended the session (expired, disabled, logged out
     * elsewhere): start again from a clean page. */
    S.sessionEnded = function (message) {
        sessionStorage.setItem('sarhad-message', message);
        location.replace('/');
    };

    async function login(ev) {
        ev.preventDefault();
        const form = S.$('login-form');
        S.clearErrors(form);
        const username = S.$('login-username').value.trim();
        const password = S.$('login-password').value;
        if (!username) return S.showError(form, { field: 'username', message: 'Enter your user name.' }, S.byName(form));
        if (!password) return S.showError(form, { field: 'password', message: 'Enter your password.' }, S.byName(form));
        const r = await S.api('POST', '/v1/sessions', { username, password });
        S.$('login-password').value = '';
        if (r.status !== 201) {
            const err = r.data && r.data.message ? r.data : { message: 'Login failed.' };
            // Never say which of the two was wrong beyond what the API says.
            return S.showError(form, err, S.byName(form));
        }
        enter(r.data);
    }

    async function logout() {
        await S.api('DELETE', '/v1/sessions/current');
        // A fresh page: nothing of the last user's work stays in the DOM.
        location.replace('/');
    }

    /* ---- the push to the central store, as the header shows it ------- */

    const SYNC_EVERY_MS = 30000;
    let syncTimer = null;

    /* "HH:MM" of an RFC 3339 time, as the post's clock says it. */
    function clockOf(rfc3339) {
        const m = /T(\d\d:\d\d)/.exec(rfc3339 || '');
        return m ? m[1] : null;
    }

    function showSync(push) {
        const box = S.$('sync');
        if (!push || push.state === 'off') {
            box.hidden = true;
            return;
        }
        const waiting = Number.isInteger(push.pending) && push.pending > 0
            ? push.pending.toLocaleString('en') + ' entries to send' : null;
        const last = clockOf(push.last_success);
        let text;
        if (push.state === 'failing') {
            text = 'Working offline' + (waiting ? ': ' + waiting : '') +
                (last ? ' · last sent at ' + last : ' · the central store has not been reached');
        } else if (push.state === 'starting') {
            text = 'Connecting to the central store…';
        } else {
            text = 'Sent to the central store' + (last ? ' at ' + last : '') + (waiting ? ' · ' + waiting : '');
        }
        box.textContent = text;
        box.classList.toggle('sync-failing', push.state === 'failing');
        box.hidden = false;
        if (syncTimer === null) {
            syncTimer = setInterval(async () => {
                const h = await S.api('GET', '/v1/health');
                if (h.ok) showSync(h.data.push);
            }, SYNC_EVERY_MS);
        }
    }

    async function start() {
        S.$('login-form').addEventListener('submit', login);
        S.$('logout').addEventListener('click', logout);
        const health = await S.api('GET', '/v1/health');
        if (health.ok && health.data.post) {
            S.serverPost = health.data.post; // the post this server records for
            S.$('post-name').textContent = '· post ' + health.data.post;
        }
        // The post's UTC offset ("+05:00"): times typed at the counter are
        // the post's local times, whatever zone this browser is set to.
        if (health.ok && /^[+-]\d\d:\d\d$/.test(health.data.utc_offset || '')) {
            S.postUtcOffset = health.data.utc_offset;
        }
        if (health.ok) showSync(health.data.push);
        S.national = !!(health.ok && health.data.national); // the ministry's view
        const message = sessionStorage.getItem('sarhad-message');
        sessionStorage.removeItem('sarhad-message');
        const who = await S.api('GET', '/v1/sessions/current');
        if (who.status === 200 && who.data.csrf) enter(who.data);
        else showLogin(message);
    }

    /* ---- a decision, as the officer reads it out -------------------- */

    const VERDICT = { admit: 'Admit', refuse: 'Refuse', refer: 'Refer to secondary' };

    S.renderDecision = function (box, d, attemptId) {
        S.clear(box);
        const kind = VERDICT[d.decision] ? d.decision : 'refer';
        box.append(S.el('p', { class: 'verdict ' + kind, role: 'status', 'data-decision': d.decision },
            VERDICT[kind] || d.decision));
        if (d.zone) box.append(S.el('p', { class: 'zone' }, 'Only within: ' + d.zone));
        const reasons = S.el('ol', { class: 'reasons' });
        for (const r of d.reasons || []) {
            reasons.append(S.el('li', { 'data-code': r.code }, r.message, ' ',
                S.el('span', { class: 'code-tag' }, '(' + r.code + ')')));
        }
        box.append(S.el('h4', {}, 'Reasons'), reasons);
        const pol = d.policy || {};
        box.append(S.el('p', { class: 'rule-line' }, 'Rule ',
            S.el('strong', { class: 'rule' }, d.rule || '—'), ' · policy ',
            S.el('strong', { class: 'policy' }, (pol.name || '?') + ' version ' + (pol.version ?? '?')),
            attemptId ? ' · attempt #' + attemptId : ''));
        const f = d.flags || {};
        const flags = S.el('ul', { class: 'flags' });
        if (f.overstay_days > 0) flags.append(S.el('li', { class: 'flag-warn' }, 'Overstay: ' + f.overstay_days + ' days'));
        if (f.fine_usd > 0) flags.append(S.el('li', { class: 'flag-warn' }, 'Fine due: US$ ' + f.fine_usd));
        for (const h of f.watchlist_hits || []) {
            flags.append(S.el('li', { class: 'flag-warn watchlist' },
                'Watchlist hit: ' + h.name + ' (score ' + h.score + ', entry ' + h.entry_id +
                ', list ' + h.list_version + ')' + (h.why ? ' — ' + h.why : '')));
        }
        for (const m of f.mrz_problems || []) {
            flags.append(S.el('li', { class: 'flag-warn mrz-problem' }, 'MRZ problem: ' + m.detail));
        }
        for (const n of f.notes || []) {
            /* A document on record for someone else is a warning, not a note. */
            const warn = n.code === 'identity_conflict';
            flags.append(S.el('li', { class: warn ? 'flag-warn identity-conflict' : 'note' }, n.detail));
        }
        if (flags.childElementCount) box.append(S.el('h4', {}, 'Flags and notes'), flags);
    };

    /* A table from column names and row objects. */
    S.fillTable = function (table, columns, rows, numeric) {
        const head = S.clear(table.tHead || table.createTHead());
        head.append(S.el('tr', {}, columns.map((c) =>
            S.el('th', { scope: 'col', class: numeric && numeric(c) ? 'num' : null }, c))));
        const body = S.clear(table.tBodies[0] || table.createTBody());
        for (const r of rows) {
            body.append(S.el('tr', {}, columns.map((c) =>
                S.el('td', { class: numeric && numeric(c) ? 'num' : null },
                    r[c] === null || r[c] === undefined ? '' : String(r[c])))));
        }
    };

    document.addEventListener('DOMContentLoaded', start);
})();
