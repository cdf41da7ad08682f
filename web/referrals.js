/*
 * referrals.js - the supervisor's secondary-inspection queue: the post's
 * open referrals (GET /v1/referrals), one case with its presentation and
 * the counter's decision (GET /v1/attempts/{id}), the traveller's history
 * (GET /v1/travellers/{id}), and the resolution: admit or refuse with a
 * written reason, which the server records and audits; and the override of
 * a decision that was not referred (POST /v1/attempts/{id}/override).
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    let current = null; // the referral being worked

    async function load() {
        const body = S.clear($('ref-table').tBodies[0]);
        const r = await S.api('GET', '/v1/referrals');
        if (!r.ok) {
            $('ref-count').textContent = r.data.message || 'The queue cannot be read.';
            return;
        }
        const list = r.data.referrals || [];
        $('ref-count').textContent = list.length === 0 ? 'No open referrals.'
            : list.length + (list.length === 1 ? ' open referral.' : ' open referrals.');
        for (const ref of list) {
            const open = S.el('button', { type: 'button', class: 'secondary',
                'aria-label': 'Open attempt ' + ref.attempt_id, onclick: () => openCase(ref) }, 'Open');
            body.append(S.el('tr', { 'data-attempt': String(ref.attempt_id),
                class: current && current.attempt_id === ref.attempt_id ? 'selected' : null },
            S.el('td', { class: 'num' }, String(ref.attempt_id)),
            S.el('td', {}, S.fmtTime(ref.at)),
            S.el('td', {}, ref.crossing),
            S.el('td', {}, ref.direction),
            S.el('td', {}, ref.name),
            S.el('td', {}, ref.nationality),
            S.el('td', {}, ref.reason),
            S.el('td', {}, ref.officer),
            S.el('td', {}, open)));
        }
    }

    function kv(dl, pairs) {
        S.clear(dl);
        for (const [k, v] of pairs) {
            if (v === undefined || v === null || v === '') continue;
            dl.append(S.el('dt', {}, k), S.el('dd', {}, String(v)));
        }
    }

    function documentsTable(docs) {
        const cols = ['kind', 'document_number', 'number', 'surname', 'given_names', 'issuing_state',
            'expiry_date', 'expiry', 'category', 'entries', 'stay_days', 'mrz_valid'];
        const used = cols.filter((c) => docs.some((d) => d[c] !== undefined && d[c] !== null && d[c] !== ''));
        const t = S.el('table', { class: 'data' }, S.el('caption', { class: 'sr-only' }, 'Documents presented'));
        S.fillTable(t, used, docs.map((d) => {
            const row = { ...d };
            if (row.mrz_valid !== undefined) row.mrz_valid = row.mrz_valid ? 'yes' : 'NO';
            return row;
        }));
        return S.el('div', { class: 'table-wrap' }, t);
    }

    async function openCase(ref) {
        current = ref;
        $('ref-case').hidden = false;
        $('ref-case-h').textContent = 'Attempt #' + ref.attempt_id + ' — ' + ref.name;
        document.querySelectorAll('#ref-table tr.selected').forEach((tr) => tr.classList.remove('selected'));
        const row = document.querySelector('#ref-table tr[data-attempt="' + ref.attempt_id + '"]');
        if (row) row.classList.add('selected');
        const form = $('resolve-form');
        form.reset();
        S.clearErrors(form);
        S.clear($('ref-decision'));
        S.clear($('ref-documents'));
        S.clear($('ref-history')).append(S.el('p', { class: 'muted' }, 'Loading…'));
        const [a, h] = await Promise.all([
            S.api('GET', '/v1/attempts/' + encodeURIComponent(ref.attempt_id)),
            S.api('GET', '/v1/travellers/' + encodeURIComponent(ref.traveller_id))]);
        if (current !== ref) return;
        if (a.ok) {
            const p = a.data.presentation || {};
            const t = p.traveller || {};
            kv($('ref-presentation'), [['Crossing', p.crossing], ['Direction', p.direction],
                ['Time', S.fmtTime(p.time)], ['Officer', a.data.officer], ['Nationality', t.nationality],
                ['Sex', t.sex], ['Birth date', t.birth_date], ['Residence', t.residence],
                ['Tribe', t.tribe], ['Occupation', t.occupation], ['Purpose', t.purpose]]);
            if ((p.documents || []).length) $('ref-documents').append(documentsTable(p.documents));
            else $('ref-documents').append(S.el('p', {}, 'No documents were presented.'));
            S.renderDecision($('ref-decision'), a.data.decision || {}, a.data.id);
        } else {
            $('ref-decision').append(S.el('p', { class: 'bad' }, a.data.message || 'The attempt cannot be read.'));
        }
        const hist = S.clear($('ref-history'));
        if (!h.ok) {
            hist.append(S.el('p', { class: h.status === 404 ? 'muted' : 'bad' },
                h.status === 404 ? 'No history on record for this traveller.' : (h.data.message || 'The history cannot be read.')));
        } else {
            S.renderHistory(hist, h.data, false);
        }
        $('res-admit').focus();
    }

    async function resolve(ev) {
        ev.preventDefault();
        const form = $('resolve-form');
        S.clearErrors(form);
        if (!current) return;
        const choice = form.querySelector('input[name="decision"]:checked');
        const reason = $('res-reason').value.trim();
        const fieldFor = (f) => (f === 'decision' ? $('res-admit') : f === 'reason' ? $('res-reason') : null);
        if (!choice) return S.showError(form, { field: 'decision', message: 'Choose admit or refuse.' }, fieldFor);
        if (!reason) return S.showError(form, { field: 'reason', message: 'Write the reason for the resolution.' }, fieldFor);
        const r = await S.api('POST', '/v1/referrals/' + encodeURIComponent(current.attempt_id) + '/resolution',
            { decision: choice.value, reason });
        if (!r.ok) return S.showError(form, r.data, fieldFor);
        const done = current;
        current = null;
        $('ref-case').hidden = true;
        await load();
        $('ref-count').textContent = 'Attempt #' + done.attempt_id + ' resolved: ' + r.data.decision +
            ' (audit entry #' + r.data.audit_seq + '). ' + $('ref-count').textContent;
        if (r.data.decision === 'refuse') $('ref-count').append(' ', S.noticeButton(done.attempt_id, 'ref-notice'));
        $('ref-refresh').focus();
    }

    async function override(ev) {
        ev.preventDefault();
        const form = $('override-form');
        S.clearErrors(form);
        $('ov-result').textContent = '';
        const id = Number($('ov-attempt').value);
        const choice = form.querySelector('input[name="decision"]:checked');
        const reason = $('ov-reason').value.trim();
        const fieldFor = (f) => (f === 'attempt' ? $('ov-attempt') : f === 'decision' ? $('ov-admit')
            : f === 'reason' ? $('ov-reason') : null);
        if (!Number.isInteger(id) || id < 1) return S.showError(form, { field: 'attempt', message: 'Give the attempt number.' }, fieldFor);
        if (!choice) return S.showError(form, { field: 'decision', message: 'Choose admit or refuse.' }, fieldFor);
        if (!reason) return S.showError(form, { field: 'reason', message: 'Write the reason for the override.' }, fieldFor);
        const r = await S.api('POST', '/v1/attempts/' + id + '/override', { decision: choice.value, reason });
        if (!r.ok) return S.showError(form, r.data, fieldFor);
        form.reset();
        $('ov-result').textContent = 'Attempt #' + id + ' overridden: ' + r.data.decision +
            ' (audit entry #' + r.data.audit_seq + ').';
        if (r.data.decision === 'refuse') $('ov-result').append(' ', S.noticeButton(id, 'ov-notice'));
    }

    S.section('referrals', { show: load });
    document.addEventListener('DOMContentLoaded', () => {
        $('ref-refresh').addEventListener('click', load);
        $('resolve-form').addEventListener('submit', resolve);
        $('override-form').addEventListener('submit', override);
    });
})();
