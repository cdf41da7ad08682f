/*
 * travellers.js - finding a traveller (GET /v1/travellers) by a document
 * number, with its kind and issuing state when known, or by name as the
 * MRZ spells it, and their history (GET /v1/travellers/{id}): who they
 * are, the documents they are known by and why they were linked, their
 * stays and attempts, and for a supervisor a way to the override of the
 * latest attempt.  The history view is shared with the referral screen
 * (Sarhad.renderHistory).
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;

    /* The identity keys' kinds as an officer says them. */
    const KEY_NAMES = { passport: 'passport', cnic: 'CNIC', tazkira: 'tazkira', por: 'PoR card',
        acc: 'ACC', nbd: 'name + birth date', name: 'name + birth date', visa: 'visa' };

    function kvList(pairs) {
        const dl = S.el('dl', { class: 'kv' });
        for (const [k, v] of pairs) {
            if (v === undefined || v === null || v === '') continue;
            dl.append(S.el('dt', {}, k), S.el('dd', {}, String(v)));
        }
        return dl;
    }

    function table(cls, cols, rows) {
        const t = S.el('table', { class: 'data ' + cls });
        S.fillTable(t, cols, rows);
        return S.el('div', { class: 'table-wrap' }, t);
    }

    /* A traveller's history (the answer of GET /v1/travellers/{id}). */
    S.renderHistory = function (box, tv, withDocuments) {
        S.clear(box);
        box.append(kvList([['Traveller', '#' + tv.id],
            ['Name', [tv.surname, tv.given_names].filter(Boolean).join(', ')],
            ['Nationality', tv.nationality], ['Birth date', tv.birth_date], ['Sex', tv.sex]]));
        if (withDocuments) {
            box.append(S.el('h4', {}, 'Known by'));
            box.append(table('history-documents', ['kind', 'value', 'first_attempt'],
                (tv.documents || []).map((d) => ({ ...d, kind: KEY_NAMES[d.kind] || d.kind }))));
            if ((tv.links || []).length) {
                box.append(S.el('h4', {}, 'Links'));
                box.append(table('history-links', ['attempt', 'by', 'why'], tv.links));
            }
        }
        box.append(S.el('h4', {}, 'Stays'));
        if ((tv.stays || []).length) box.append(table('history-stays', ['entry', 'exit', 'allowed_days', 'state'], tv.stays));
        else box.append(S.el('p', { class: 'muted' }, 'No stays on record.'));
        box.append(S.el('h4', {}, 'Attempts'));
        box.append(table('history-attempts', ['id', 'time', 'crossing', 'direction', 'decision', 'rule', 'final'],
            (tv.attempts || []).map((x) => ({ ...x, time: S.fmtTime(x.time) }))));
    };

    async function openHistory(id) {
        const box = $('tv-history');
        box.hidden = false;
        S.clear(box).append(S.el('p', { class: 'muted' }, 'Loading…'));
        const h = await S.api('GET', '/v1/travellers/' + encodeURIComponent(id));
        if (!h.ok) {
            S.clear(box).append(S.el('p', { class: 'bad' }, h.data.message || 'The history cannot be read.'));
            return;
        }
        S.renderHistory(box, h.data, true);
        box.prepend(S.el('h3', { tabindex: '-1', id: 'tv-history-h' }, 'History of traveller #' + id));
        // A supervisor may override the latest attempt (a referral is
        // resolved from the queue instead).
        const latest = (h.data.attempts || [])[0];
        if (S.state.role === 'supervisor' && latest && latest.decision !== 'refer') {
            box.append(S.el('button', { type: 'button', class: 'secondary', id: 'tv-override',
                onclick: () => {
                    S.show('referrals');
                    $('ov-attempt').value = String(latest.id);
                    $('ov-attempt').scrollIntoView({ block: 'center' });
                    $(latest.final === 'admit' ? 'ov-refuse' : 'ov-admit').focus();
                } }, 'Override attempt #' + latest.id + '…'));
        }
        $('tv-history-h').focus();
    }

    async function search(ev) {
        ev.preventDefault();
        const form = $('tv-form');
        S.clearErrors(form);
        $('tv-history').hidden = true;
        const byDoc = $('tv-by-document').checked;
        const names = byDoc ? ['document', 'kind', 'issuing_state'] : ['surname', 'given_names', 'nationality', 'birth_date'];
        const q = new URLSearchParams();
        for (const n of names) {
            const v = form.elements[n].value.trim();
            if (v) q.set(n, v);
        }
        const fieldFor = S.byName(form);
        if (byDoc && !q.has('document')) return S.showError(form, { field: 'document', message: 'Give the document number.' }, fieldFor);
        if (!byDoc && !q.has('surname')) return S.showError(form, { field: 'surname', message: 'Give the surname.' }, fieldFor);
        const r = await S.api('GET', '/v1/travellers?' + q.toString());
        if (!r.ok) return S.showError(form, r.data, fieldFor);
        const list = r.data.travellers || [];
        const body = S.clear($('tv-table').tBodies[0]);
        $('tv-results').hidden = list.length === 0;
        $('tv-count').textContent = list.length === 0 ? 'No traveller matches.'
            : list.length + (list.length === 1 ? ' traveller' : ' travellers') +
              (r.data.more ? ' shown; more match: narrow the search.' : '.');
        for (const t of list) {
            const last = t.last_attempt;
            const open = S.el('button', { type: 'button', class: 'secondary',
                'aria-label': 'History of traveller ' + t.id, onclick: () => openHistory(t.id) }, 'History');
            body.append(S.el('tr', { 'data-traveller': String(t.id) },
                S.el('td', { class: 'num' }, String(t.id)),
                S.el('td', {}, [t.surname, t.given_names].filter(Boolean).join(', ') || '—'),
                S.el('td', {}, t.nationality || ''),
                S.el('td', {}, t.birth_date || ''),
                S.el('td', {}, (KEY_NAMES[t.matched.kind] || t.matched.kind) + ' ' + t.matched.value),
                S.el('td', {}, last ? S.fmtTime(last.time) + ' · ' + last.crossing + ' · ' + last.direction : '—'),
                S.el('td', {}, last ? last.final : ''),
                S.el('td', {}, open)));
        }
    }

    function switchMode() {
        const byDoc = $('tv-by-document').checked;
        $('tv-doc-fields').hidden = !byDoc;
        $('tv-name-fields').hidden = byDoc;
    }

    S.section('travellers', { show: () => $($('tv-by-document').checked ? 'tv-document' : 'tv-surname').focus() });
    document.addEventListener('DOMContentLoaded', () => {
        $('tv-form').addEventListener('submit', search);
        $('tv-by-document').addEventListener('change', switchMode);
        $('tv-by-name').addEventListener('change', switchMode);
    });
})();
