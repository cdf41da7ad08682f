/*
 * audit.js - the auditor's page: the audit log a page at a time (GET
 * /v1/audit?from=&limit=), all of it or what a filter keeps (a kind, a
 * user, everything about a traveller: GET /v1/audit?kind=&user=&traveller=,
 * which reads the log a stretch at a time and says where to go on), and
 * the verification of the hash chain and its signed checkpoints (GET
 * /v1/audit/verify): ok, or the first bad entry and what is wrong with it.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    const PAGE = 50;
    let from = 1;
    let pages = []; // start of each page seen, for "Previous"
    let next = null;

    function summary(detail) {
        if (!detail || typeof detail !== 'object') return detail === undefined ? '' : String(detail);
        const d = { ...detail };
        if (d.decision && typeof d.decision === 'object') {
            d.decision = d.decision.decision + ' (' + d.decision.rule + ')';
        }
        return Object.entries(d).map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(' ');
    }

    /* The filter's query arguments, "" when it keeps everything. */
    function filterQuery() {
        const q = new URLSearchParams();
        for (const n of ['kind', 'user', 'traveller']) {
            const v = $('audit-filter').elements[n].value.trim();
            if (v) q.set(n, v);
        }
        const text = q.toString();
        return text ? '&' + text : '';
    }

    async function load(start) {
        from = Math.max(1, start);
        $('audit-from').value = String(from);
        const form = $('audit-filter');
        S.clearErrors(form);
        const filter = filterQuery();
        const r = await S.api('GET', '/v1/audit?from=' + from + '&limit=' + PAGE + filter);
        const body = S.clear($('audit-table').tBodies[0]);
        if (!r.ok) {
            $('audit-range').textContent = '';
            S.showError(form, r.data, S.byName(form));
            return;
        }
        const entries = r.data.entries || [];
        for (const e of entries) {
            const a = e.actor || {};
            body.append(S.el('tr', { 'data-seq': String(e.seq) },
                S.el('td', { class: 'num' }, String(e.seq)), S.el('td', {}, S.fmtTime(e.at)),
                S.el('td', {}, a.user), S.el('td', {}, a.role), S.el('td', {}, a.address || '—'),
                S.el('td', {}, e.kind), S.el('td', {}, e.subject),
                S.el('td', { class: 'detail' }, summary(e.detail))));
        }
        next = r.data.next || null;
        const more = next ? ' Searched up to #' + (next - 1) + '; Next goes on.' : '';
        $('audit-range').textContent = (entries.length
            ? 'Entries ' + entries[0].seq + '–' + entries[entries.length - 1].seq + '.'
            : 'No ' + (filter ? 'matching ' : '') + 'entries from #' + from + '.') + (filter ? more : '');
        $('audit-next').disabled = next === null;
        $('audit-prev').disabled = from <= 1;
    }

    async function verify() {
        const box = S.clear($('audit-verify-result'));
        box.append(S.el('p', { class: 'muted' }, 'Verifying…'));
        const anchor = $('audit-anchor').value.trim();
        const r = await S.api('GET', '/v1/audit/verify' +
            (anchor ? '?anchor=' + encodeURIComponent(anchor) : ''));
        S.clear(box);
        if (!r.ok) { box.append(S.el('p', { class: 'bad' }, r.data.message || 'The log cannot be verified.')); return; }
        const v = r.data;
        const card = S.el('div', { class: 'card verify ' + (v.ok ? 'result-ok' : 'result-bad'), role: 'status' });
        if (v.ok) {
            card.append(S.el('p', { class: 'ok' }, 'Chain verified: nothing was altered.'),
                S.el('p', {}, v.checked + ' entries checked against ' + v.checkpoints + ' signed checkpoints' +
                    (anchor ? ', and the anchor held.' : '.')),
                S.el('p', {}, 'Anchor to keep away from the post (it proves the log up to here unchanged, ' +
                    'even against someone who could rewrite and re-sign it): '),
                S.el('code', { class: 'anchor' }, v.head));
        } else {
            card.append(S.el('p', { class: 'bad' }, 'The log is broken' +
                (v.first_bad ? ' at entry #' + v.first_bad : '') + '.'),
            S.el('p', {}, 'Why: ' + (v.problem || 'not stated')),
            S.el('p', { class: 'muted' }, v.checked + ' entries checked, ' + v.checkpoints + ' checkpoints.'));
            if (v.first_bad) {
                card.append(S.el('button', { type: 'button', class: 'secondary',
                    onclick: () => load(Math.max(1, v.first_bad - 2)) }, 'Show entry #' + v.first_bad));
            }
        }
        box.append(card);
    }

    S.section('audit', { show() { pages = []; load(1); } });
    document.addEventListener('DOMContentLoaded', () => {
        $('audit-verify').addEventListener('click', verify);
        $('audit-first').addEventListener('click', () => { pages = []; load(1); });
        $('audit-next').addEventListener('click', () => { if (next) { pages.push(from); load(next); } });
        $('audit-prev').addEventListener('click', () => load(pages.length ? pages.pop() : from - PAGE));
        $('audit-go').addEventListener('click', () => { pages = []; load(Number($('audit-from').value) || 1); });
        $('audit-filter').addEventListener('submit', (ev) => { ev.preventDefault(); pages = []; load(1); });
        $('audit-from').addEventListener('keydown', (ev) => {
            if (ev.key === 'Enter') { ev.preventDefault(); $('audit-go').click(); }
        });
    });
})();
