/*
 * notice.js - the notice of refusal handed to a traveller: what was
 * decided at which post and when, on which grounds, by whom, and the
 * reference by which the record is found again.
 *
 * It is made from the recorded attempt (GET /v1/attempts/{id}, which the
 * server audits as a lookup), never from the counter's form, so the paper
 * says what the ledger says.  The grounds are the policy's reasons, or the
 * supervisor's written reason when the refusal came from a review; an
 * overstay and its fine are stated, since the traveller must settle them.
 * The decision's other flags never are: a watchlist hit or a screening
 * score is not told to the person screened.  The audit entry is printed
 * as an anchor (SEQ:HASH), so every notice handed out is a copy, outside
 * the post, of what its tamper-evident log must still hold.  Only the
 * notice is printed (app.css, print).
 */
(function () {
    'use strict';
    const S = window.Sarhad;
    const $ = S.$;

    /* The final outcome: the review's when there was one. */
    S.finalOutcome = (a) => (a.resolution ? a.resolution.decision : (a.decision || {}).decision);

    function crossingName(code) {
        return String(code || '').toLowerCase().split('_')
            .map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
    }

    function pairs(rows) {
        const dl = S.el('dl', { class: 'kv' });
        for (const [k, v] of rows) if (v) dl.append(S.el('dt', {}, k), S.el('dd', {}, String(v)));
        return dl;
    }

    /* The entry as an anchor, SEQ:HASH whole: the paper then holds what a
     * rewrite of the log cannot match (sarhad audit verify --anchor, the
     * audit page's anchor check). */
    function recordLine(label, audit) {
        if (!audit) return null;
        return S.el('p', { class: 'record' }, label + ' entry ' + audit.seq + ' of the post\'s audit log; anchor ',
            S.el('code', { class: 'hash' }, audit.seq + ':' + audit.hash), '.');
    }

    /* The notice for attempt a (GET /v1/attempts/{id}), or null when its
     * final outcome is not a refusal. */
    S.noticeFor = function (a) {
        if (S.finalOutcome(a) !== 'refuse') return null;
        const p = a.presentation || {};
        const t = p.traveller || {};
        const d = a.decision || {};
        const res = a.resolution;
        const docs = (p.documents || []).map((x) => {
            const facts = x.mrz ? S.mrzFacts(x.mrz) : null;
            return { kind: x.kind, facts, number: facts ? facts.number : x.number };
        });
        const named = docs.find((x) => x.facts);
        const what = p.direction === 'exit' ? 'exit from Pakistan' : 'entry into Pakistan';
        const box = S.el('article', { class: 'notice-page', 'data-attempt': String(a.id) });
        box.append(
            S.el('h2', {}, 'Notice of refusal of ' + what),
            S.el('p', { class: 'notice-post' }, crossingName(p.crossing) + ' crossing · post ' + (a.post || '') +
                (a.counter ? ' · counter ' + a.counter : '')),
            pairs([['Reference', 'attempt ' + a.id], ['Date and time', S.fmtTime(p.time)],
                ['Direction', p.direction]]),
            S.el('h3', {}, 'The person'),
            pairs([['Name', named ? named.facts.name : ''], ['Nationality', t.nationality ||
                (named && named.facts.nationality)], ['Sex', t.sex], ['Birth date', t.birth_date ||
                (named && named.facts.birth_date)],
            ['Documents presented', docs.map((x) => x.kind + (x.number ? ' ' + x.number : '')).join(', ') ||
                'none']]));
        box.append(S.el('h3', {}, 'Grounds'));
        if (res) {
            box.append(S.el('p', { class: 'grounds' }, 'Refused on review by supervisor ' + res.by + ' (' +
                S.fmtTime(res.at) + '): ' + res.reason));
        } else {
            const list = S.el('ol', { class: 'grounds' });
            for (const r of d.reasons || []) list.append(S.el('li', {}, r.message));
            box.append(list, S.el('p', {}, 'Under rule "' + (d.rule || '') + '" of policy "' +
                ((d.policy || {}).name || '') + '" version ' + ((d.policy || {}).version ?? '') + '.'));
        }
        const f = d.flags || {};
        if (f.overstay_days > 0) {
            box.append(S.el('p', { class: 'overstay' }, 'Overstay on record: ' + f.overstay_days + ' days' +
                (f.fine_usd > 0 ? '; fine due: US$ ' + f.fine_usd : '') + '.'));
        }
        box.append(S.el('div', {},
            S.el('h3', {}, 'The record'),
            recordLine('Decided by officer ' + a.officer + ': recorded as', a.audit),
            res ? recordLine('Reviewed: recorded as', res.audit) : null,
            S.el('p', {}, 'Quote the reference above in any request about this decision. The supervisor on duty ' +
                'at this post can review it.'),
            S.el('div', { class: 'signatures' },
                S.el('p', {}, 'Officer: ____________________'),
                S.el('p', {}, 'Received by the traveller: ____________________')),
            S.el('p', { class: 'printed muted' }, 'Printed by ' + (S.state.user || '') + ', ' +
                S.fmtTime(S.nowAtPost()) + '.')));
        return box;
    };

    /* A "Print refusal notice" button for attempt id, with the place
     * where it says why it cannot (elementId names the button). */
    S.noticeButton = function (id, elementId) {
        const why = S.el('span', { class: 'bad', role: 'status' });
        return S.el('span', { class: 'notice-line' },
            S.el('button', { type: 'button', id: elementId, class: 'secondary',
                onclick: () => S.printNotice(id, why) }, 'Print refusal notice'), ' ', why);
    };

    /* Read attempt id and print its notice; says why in status when it
     * cannot. */
    S.printNotice = async function (id, status) {
        if (status) status.textContent = '';
        const r = await S.api('GET', '/v1/attempts/' + encodeURIComponent(id));
        const page = r.ok ? S.noticeFor(r.data) : null;
        if (!page) {
            if (status) {
                status.textContent = !r.ok ? (r.data.message || 'The attempt cannot be read.')
                    : 'Attempt ' + id + ' is not a refusal; there is no notice to print.';
            }
            return false;
        }
        S.clear($('notice')).append(page);
        window.print();
        return true;
    };
})();
