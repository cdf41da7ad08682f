/*
 * admin.js - the administrator's pages: accounts (list, add with role and
 * post, disable, enable) and policy publication.  A policy is checked (lint)
 * before it can be published, and the publish button only works for the
 * exact text that passed the check; the server checks it again anyway.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    const NEEDS_POST = new Set(['officer', 'supervisor']);
    let checkedText = null; // the policy text that passed the last check

    /* ---- accounts ---------------------------------------------------- */

    async function loadUsers() {
        const r = await S.api('GET', '/v1/users');
        const body = S.clear($('users-table').tBodies[0]);
        if (!r.ok) { $('users-status').textContent = r.data.message || 'The accounts cannot be read.'; return; }
        for (const u of r.data.users || []) {
            const action = u.disabled
                ? S.el('button', { type: 'button', class: 'secondary', 'aria-label': 'Enable ' + u.username,
                    onclick: () => enable(u.username) }, 'Enable')
                : S.el('button', { type: 'button', class: 'danger', 'aria-label': 'Disable ' + u.username,
                    onclick: () => disable(u.username) }, 'Disable');
            body.append(S.el('tr', { 'data-user': u.username },
                S.el('td', {}, u.username), S.el('td', {}, u.role), S.el('td', {}, u.post || '—'),
                S.el('td', { class: u.disabled ? 'bad' : 'ok' }, u.disabled ? 'disabled' : 'active'),
                S.el('td', {}, S.fmtTime(u.created)), S.el('td', {}, action)));
        }
    }

    async function disable(name) {
        if (!window.confirm('Disable the account ' + name + '? Its sessions end at once.')) return;
        const r = await S.api('POST', '/v1/users/' + encodeURIComponent(name) + '/disable');
        $('users-status').textContent = r.ok ? 'Account ' + name + ' disabled.' : (r.data.message || 'Not disabled.');
        await loadUsers();
    }

    async function enable(name) {
        const r = await S.api('POST', '/v1/users/' + encodeURIComponent(name) + '/enable');
        $('users-status').textContent = r.ok ? 'Account ' + name + ' enabled again, with its password.'
            : (r.data.message || 'Not enabled.');
        await loadUsers();
    }

    function syncPost() {
        const needs = NEEDS_POST.has($('u-role').value);
        $('u-post').disabled = !needs;
        if (!needs) $('u-post').value = '';
        else if (!$('u-post').value) $('u-post').value = S.state.post || S.serverPost || '';
    }

    async function addUser(ev) {
        ev.preventDefault();
        const form = $('user-form');
        S.clearErrors(form);
        const body = { username: $('u-username').value.trim(), role: $('u-role').value,
            password: $('u-password').value };
        const post = $('u-post').value.trim().toUpperCase();
        if (post) body.post = post;
        if (!body.username) return S.showError(form, { field: 'username', message: 'Enter a user name.' }, S.byName(form));
        const r = await S.api('POST', '/v1/users', body);
        if (!r.ok) return S.showError(form, r.data, S.byName(form));
        form.reset();
        syncPost();
        $('users-status').textContent = 'Account ' + body.username + ' added as ' + body.role + '.';
        await loadUsers();
        $('u-username').focus();
    }

    /* ---- policies ---------------------------------------------------- */

    async function loadPolicies() {
        const r = await S.api('GET', '/v1/policies');
        const body = S.clear($('pol-table').tBodies[0]);
        if (!r.ok) return;
        for (const p of r.data.policies || []) {
            body.append(S.el('tr', {},
                S.el('td', { class: 'num' }, String(p.number)), S.el('td', {}, p.name),
                S.el('td', { class: 'num' }, String(p.version)), S.el('td', {}, p.filename),
                S.el('td', {}, S.fmtTime(p.published_at)), S.el('td', {}, p.published_by),
                S.el('td', { class: 'mono', title: p.sha256 }, (p.sha256 || '').slice(0, 12) + '…'),
                S.el('td', { class: p.current ? 'ok' : 'muted' }, p.current ? 'in force' : 'earlier')));
        }
    }

    async function checkPolicy() {
        const form = $('pub-form');
        S.clearErrors(form);
        checkedText = null;
        $('pub-submit').disabled = true;
        const text = $('pub-text').value;
        const filename = $('pub-filename').value.trim();
        if (!text.trim()) return S.showError(form, { field: 'text', message: 'Paste or choose a policy first.' }, S.byName(form));
        const body = { text };
        if (filename) body.filename = filename;
        const r = await S.api('POST', '/v1/policies/lint', body);
        if (!r.ok) return S.showError(form, r.data, S.byName(form));
        S.renderLint($('pub-result'), filename, r.data);
        if (r.data.ok) {
            checkedText = text;
            $('pub-submit').disabled = false;
            $('pub-submit').focus();
        }
    }

    async function publish(ev) {
        ev.preventDefault();
        const form = $('pub-form');
        S.clearErrors(form);
        const text = $('pub-text').value;
        if (text !== checkedText) return S.showError(form, { message: 'Check the policy before publishing it.' });
        const filename = $('pub-filename').value.trim();
        const body = { text };
        if (filename) body.filename = filename;
        const r = await S.api('POST', '/v1/policies', body);
        checkedText = null;
        $('pub-submit').disabled = true;
        if (!r.ok) {
            if (r.data.compile_error || r.data.issues) S.renderLint($('pub-result'), filename, { ok: false, ...r.data });
            return S.showError(form, r.data, S.byName(form));
        }
        S.clear($('pub-result')).append(S.el('p', { class: 'ok' }, 'Published ' + r.data.policy.name +
            ' version ' + r.data.policy.version + ' as publication #' + r.data.policy.number + '.'));
        await loadPolicies();
    }

    function readFile() {
        const f = $('pub-file').files[0];
        if (!f) return;
        if (!$('pub-filename').value) $('pub-filename').value = f.name;
        const reader = new FileReader();
        reader.onload = () => { $('pub-text').value = String(reader.result); onTextChange(); };
        reader.readAsText(f);
    }

    function onTextChange() {
        if ($('pub-text').value !== checkedText) {
            $('pub-submit').disabled = true;
            S.clear($('pub-result'));
        }
    }

    S.section('users', { show() { syncPost(); loadUsers(); } });
    S.section('policies', { show: loadPolicies });
    document.addEventListener('DOMContentLoaded', () => {
        $('user-form').addEventListener('submit', addUser);
        $('u-role').addEventListener('change', syncPost);
        $('pub-form').addEventListener('submit', publish);
        $('pub-lint').addEventListener('click', checkPolicy);
        $('pub-file').addEventListener('change', readFile);
        $('pub-text').addEventListener('input', onTextChange);
    });
})();
