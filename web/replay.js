/*
 * replay.js - an analyst's what-if: the policy being checked, replayed over
 * the post's record (POST /v1/replays), followed until it ends (GET
 * /v1/replays/{id}), then how the decisions would have moved and each
 * attempt decided otherwise.  The server runs one replay at a time and
 * keeps each one that ended, so the list below the result shows every
 * replay run at the post (who, which draft, which days, how it ended), and
 * any of them opens again.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    const POLL_MS = 500;
    let running = null; // the replay's id while it is being followed

    function showResult(r) {
        const moved = S.clear($('replay-moved').tBodies[0]);
        for (const m of r.result.moved) {
            moved.append(S.el('tr', { class: m.recorded === m.replayed ? '' : 'changed' },
                S.el('td', {}, m.recorded), S.el('td', {}, m.replayed),
                S.el('td', { class: 'num' }, String(m.count))));
        }
        const changes = S.clear($('replay-changes').tBodies[0]);
        for (const c of r.changes) {
            changes.append(S.el('tr', {},
                S.el('td', { class: 'num' }, String(c.attempt)), S.el('td', {}, c.day),
                S.el('td', {}, c.crossing),
                S.el('td', {}, c.recorded.decision + ' (' + c.recorded.rule + ')'),
                S.el('td', {}, c.replayed.decision + ' (' + c.replayed.rule + ')')));
        }
        if (!r.changes.length)
            changes.append(S.el('tr', {}, S.el('td', { colspan: '5', class: 'muted' }, 'None.')));
        $('replay-status').textContent = r.draft.policy + ' version ' + r.draft.version + ': ' +
            r.result.changed + ' of ' + r.result.counted + ' attempts decided otherwise (a decision or its rule)' +
            (r.result.not_replayable ? '; ' + r.result.not_replayable + ' could not be decided again from the record' : '') +
            (r.result.changed > r.changes.length ? '; the first ' + r.changes.length + ' are listed' : '') + '.';
        $('replay-result').hidden = false;
    }

    /* The list of replays run, newest first; `before` pages on. */
    async function loadList(before) {
        const body = $('replay-list').tBodies[0];
        if (!before) S.clear(body);
        const r = await S.api('GET', '/v1/replays' + (before ? '?before=' + before : ''));
        if (!r.ok) {
            body.append(S.el('tr', {}, S.el('td', { colspan: '6', class: 'bad' },
                r.data.message || 'The replays cannot be listed.')));
            return;
        }
        for (const x of r.data.replays) {
            const days = (x.from || 'the first day') + ' to ' + (x.to || 'the last');
            const outcome = x.state === 'done'
                ? x.result.changed + ' of ' + x.result.counted + ' decided otherwise'
                : x.state === 'failed' || x.state === 'stopped'
                    ? x.state + ': ' + x.error.message : 'running';
            const open = x.state === 'done'
                ? S.el('button', { type: 'button', class: 'secondary', 'data-id': String(x.id),
                    onclick: () => openReplay(x.id) }, 'Show')
                : '';
            body.append(S.el('tr', {}, S.el('td', {}, x.started), S.el('td', {}, x.by),
                S.el('td', {}, x.draft.policy + ' version ' + x.draft.version),
                S.el('td', {}, days), S.el('td', {}, outcome), S.el('td', {}, open)));
        }
        if (!body.rows.length)
            body.append(S.el('tr', {}, S.el('td', { colspan: '6', class: 'muted' }, 'None yet.')));
        const more = $('replay-more');
        more.hidden = !r.data.next;
        more.onclick = () => loadList(r.data.next);
    }

    async function openReplay(id) {
        const r = await S.api('GET', '/v1/replays/' + id);
        if (!r.ok) {
            $('replay-status').textContent = r.data.message || 'The replay cannot be read.';
            return;
        }
        showResult(r.data);
        $('replay-result').scrollIntoView({ block: 'start' });
    }

    async function follow(id) {
        running = id;
        for (;;) {
            await new Promise((done) => setTimeout(done, POLL_MS));
            if (running !== id) return;
            const r = await S.api('GET', '/v1/replays/' + id);
            if (!r.ok) {
                $('replay-status').textContent = r.data.message || 'The replay cannot be followed.';
                break;
            }
            if (r.data.state === 'done') { showResult(r.data); break; }
            if (r.data.state === 'failed' || r.data.state === 'stopped') {
                $('replay-status').textContent = 'The replay ' + r.data.state + ': ' +
                    r.data.error.message;
                break;
            }
            $('replay-status').textContent = 'Replaying… ' + r.data.read + ' attempts read.';
        }
        running = null;
        $('replay-submit').disabled = false;
        loadList();
    }

    async function start(ev) {
        ev.preventDefault();
        const form = $('replay-form');
        S.clearErrors(form);
        $('replay-result').hidden = true;
        const text = $('lint-text').value;
        if (!text.trim()) return S.showError(form, { message: 'Paste the draft policy above first.' });
        const body = { text };
        const filename = $('lint-filename').value.trim();
        if (filename) body.filename = filename;
        if ($('replay-from').value) body.from = $('replay-from').value;
        if ($('replay-to').value) body.to = $('replay-to').value;
        const r = await S.api('POST', '/v1/replays', body);
        if (!r.ok) {
            if (r.data.compile_error || r.data.issues) {
                S.renderLint($('lint-result'), filename, { ok: false, ...r.data });
                $('lint-result').hidden = false;
            }
            return S.showError(form, r.data, S.byName(form));
        }
        $('replay-submit').disabled = true;
        $('replay-status').textContent = 'Replaying…';
        follow(r.data.id);
    }

    S.replays = { load: () => loadList() };
    document.addEventListener('DOMContentLoaded', () => {
        $('replay-form').addEventListener('submit', start);
    });
})();
