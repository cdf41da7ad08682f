/*
 * decisions.js - the post's decisions, newest first, as a supervisor
 * reviews a shift or an auditor follows an officer (GET /v1/attempts):
 * narrowed by day, crossing, direction, final outcome and officer, paged
 * by "Older".  A line names no traveller; opening one reads the attempt
 * (GET /v1/attempts/{id}, which the server audits as a lookup) and shows
 * who crossed, what they presented and the decision; a supervisor can go
 * on to override it.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    const PAGE = 100;
    let query = null; // the filter shown, for "Older"

    function filter() {
        const q = new URLSearchParams();
        for (const k of ['day', 'crossing', 'direction', 'outcome', 'officer']) {
            const v = $('dec-' + k).value.trim();
            if (v) q.set(k, v);
        }
        q.set('limit', String(PAGE));
        return q;
    }

    async function load(before) {
        const form = $('dec-form');
        S.clearErrors(form);
        const body = $('dec-table').tBodies[0];
        if (!before) {
            query = filter();
            S.clear(body);
            $('dec-attempt').hidden = true;
        }
        const q = new URLSearchParams(query);
        if (before) q.set('before', String(before));
        const r = await S.api('GET', '/v1/attempts?' + q.toString());
        if (!r.ok) return S.showError(form, r.data, S.byName(form));
        for (const a of r.data.attempts) {
            body.append(S.el('tr', { 'data-attempt': String(a.id) },
                S.el('td', { class: 'num' }, String(a.id)), S.el('td', {}, S.fmtTime(a.time)),
                S.el('td', {}, a.crossing), S.el('td', {}, a.counter), S.el('td', {}, a.officer),
                S.el('td', {}, a.direction), S.el('td', {}, a.nationality),
                S.el('td', {}, a.decided),
                S.el('td', {}, a.reviewed ? a.outcome : ''), S.el('td', {}, a.rule),
                S.el('td', {}, a.reasons.split(',').join(', ')),
                S.el('td', {}, S.el('button', { type: 'button', class: 'secondary',
                    'aria-label': 'Open attempt ' + a.id, onclick: () => open(a.id) }, 'Open'))));
        }
        if (!body.rows.length)
            body.append(S.el('tr', {}, S.el('td', { colspan: '12', class: 'muted' }, 'No attempt matches.')));
        const more = $('dec-more');
        more.hidden = !r.data.next;
        more.onclick = () => load(r.data.next);
    }

    async function open(id) {
        const box = $('dec-attempt');
        box.hidden = false;
        $('dec-attempt-h').textContent = 'Attempt #' + id;
        S.clear($('dec-presentation'));
        S.clear($('dec-decision')).append(S.el('p', { class: 'muted' }, 'Loading…'));
        $('dec-review').textContent = '';
        const r = await S.api('GET', '/v1/attempts/' + encodeURIComponent(id));
        if (!r.ok) {
            S.clear($('dec-decision')).append(S.el('p', { class: 'bad' }, r.data.message || 'The attempt cannot be read.'));
            return;
        }
        const p = r.data.presentation || {};
        const t = p.traveller || {};
        const read = (p.documents || []).map((d) => ({ kind: d.kind, facts: d.mrz ? S.mrzFacts(d.mrz) : null,
            number: d.number }));
        const doc = read.map((d) => d.kind + (d.facts ? ' ' + d.facts.number : d.number ? ' ' + d.number : ''))
            .join(', ');
        const named = read.find((d) => d.facts);
        const pairs = [['Traveller', named ? named.facts.name : ''],
            ['Nationality', t.nationality], ['Sex', t.sex], ['Birth date', t.birth_date],
            ['Documents', doc || 'none'], ['Crossing', p.crossing], ['Direction', p.direction],
            ['Time', S.fmtTime(p.time)], ['Officer', r.data.officer]];
        const dl = $('dec-presentation');
        for (const [k, v] of pairs) if (v) dl.append(S.el('dt', {}, k), S.el('dd', {}, String(v)));
        S.renderDecision($('dec-decision'), r.data.decision || {}, r.data.id);
        const res = r.data.resolution;
        $('dec-review').textContent = res ? (res.kind === 'override' ? 'Overridden: ' : 'Resolved: ') +
            res.decision + ' by ' + res.by + ' — ' + res.reason : '';
        const notice = $('dec-notice');
        $('dec-notice-status').textContent = '';
        notice.hidden = S.finalOutcome(r.data) !== 'refuse' ||
            !['officer', 'supervisor'].includes(S.state.role);
        notice.onclick = () => S.printNotice(id, $('dec-notice-status'));
        const ov = $('dec-override');
        ov.hidden = S.state.role !== 'supervisor' || !!res || r.data.decision.decision === 'refer';
        ov.onclick = () => {
            S.show('referrals');
            $('ov-attempt').value = String(id);
            $('ov-reason').focus();
        };
        box.scrollIntoView({ block: 'nearest' });
    }

    S.section('decisions', { show() { load(); } });
    document.addEventListener('DOMContentLoaded', () => {
        const sel = $('dec-crossing');
        for (const c of S.CROSSINGS) sel.append(S.el('option', { value: c }, c.replace('_', ' ')));
        $('dec-form').addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
    });
})();
