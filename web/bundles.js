/*
 * bundles.js - the ministry's signed bundles: the key the post trusts and
 * the bundles it applied (admin and auditor), trusting the key once and
 * applying a bundle file (admin).  The file is sent as it is; the server
 * checks its signature, serial and content and says which field failed.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;

    async function load() {
        const admin = S.state.role === 'admin';
        const r = await S.api('GET', '/v1/bundles');
        const body = S.clear($('bun-table').tBodies[0]);
        if (!r.ok) { $('bun-key').textContent = r.data.message || 'The bundles cannot be read.'; return; }
        const key = r.data.trusted_key;
        $('bun-key').textContent = key
            ? 'This post trusts the ministry key ' + key + ': policies and watchlists come only as bundles signed by it.'
            : 'This post trusts no ministry key: its policies and watchlists are published here.';
        $('trust-form').hidden = !admin || Boolean(key);
        $('apply-form').hidden = !admin || !key;
        for (const b of r.data.bundles || []) {
            body.append(S.el('tr', {},
                S.el('td', {}, b.kind), S.el('td', { class: 'num' }, String(b.serial)),
                S.el('td', {}, b.name), S.el('td', {}, S.fmtTime(b.issued)),
                S.el('td', { class: 'mono' }, b.issuer), S.el('td', {}, S.fmtTime(b.applied_at)),
                S.el('td', {}, b.applied_by), S.el('td', {}, b.result)));
        }
        if (!body.rows.length)
            body.append(S.el('tr', {}, S.el('td', { colspan: '8', class: 'muted' }, 'No bundle applied yet.')));
    }

    async function trust(ev) {
        ev.preventDefault();
        const form = $('trust-form');
        S.clearErrors(form);
        const hex = $('trust-key').value.trim();
        if (!/^[0-9a-fA-F]{64}$/.test(hex))
            return S.showError(form, { field: 'public_key', message: 'A public key is 64 hex digits.' }, S.byName(form));
        if (!window.confirm('Trust key ' + hex.slice(0, 16) + '…? From then on only bundles it signed are taken.')) return;
        const r = await S.api('POST', '/v1/bundles/key', { public_key: hex });
        if (!r.ok) return S.showError(form, r.data, S.byName(form));
        form.reset();
        await load();
    }

    function readText(file) {
        return new Promise((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => resolve(String(reader.result));
            reader.onerror = () => reject(reader.error);
            reader.readAsText(file);
        });
    }

    async function apply(ev) {
        ev.preventDefault();
        const form = $('apply-form');
        S.clearErrors(form);
        S.clear($('apply-result'));
        const file = $('apply-file').files[0];
        if (!file) return S.showError(form, { field: 'bundle', message: 'Choose a bundle file first.' }, S.byName(form));
        const r = await S.api('POST', '/v1/bundles', { bundle: await readText(file) });
        if (!r.ok) {
            const where = r.data.line ? ' (line ' + r.data.line + ', column ' + r.data.col + ')' : '';
            return S.showError(form, { field: 'bundle', message: (r.data.field ? r.data.field + ': ' : '') +
                (r.data.message || 'Not applied.') + where }, S.byName(form));
        }
        const b = r.data.bundle;
        $('apply-result').append(S.el('p', { class: 'ok' }, 'Applied ' + b.kind + ' bundle ' + b.serial +
            ' (' + b.name + ') from key ' + b.issuer + ': ' + b.result + '.'));
        form.reset();
        await load();
    }

    S.section('bundles', { show: load });
    document.addEventListener('DOMContentLoaded', () => {
        $('trust-form').addEventListener('submit', trust);
        $('apply-form').addEventListener('submit', apply);
    });
})();
