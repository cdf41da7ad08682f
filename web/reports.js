/*
 * reports.js - the analyst's pages: the published reports (daily,
 * returns, overstays, refusals, flows, tallies, purposes, vulnerabilities,
 * detentions)
 * with from/to filters, of this post or, on the ministry's server, of every
 * post or one (with the posts as the central store knows them), as a table,
 * a CSV download (the API's own CSV, fetched with the session cookie) and a
 * bar chart drawn as inline SVG; and the policy check, which lints a pasted
 * policy and lists its problems as file:line:col.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    /* What each report's chart adds up: the count by this column. */
    const CHART_BY = { daily: 'day', returns: 'documentation', overstays: 'overstay', refusals: 'reason',
        flows: 'age_band', tallies: 'crossing', purposes: 'purpose', vulnerabilities: 'vulnerability',
        detentions: 'province' };
    const NUMERIC = new Set(['count', 'families', 'men', 'children', 'women', 'vehicles', 'vulnerable',
        'cumulative', 'mean_days_held']);

    /* The national view (a server started with --national): every post's
     * figures from the central store, or one post's. */
    const national = () => S.national && $('rep-scope').value === 'national';

    function query() {
        const q = new URLSearchParams();
        if ($('rep-from').value) q.set('from', $('rep-from').value);
        if ($('rep-to').value) q.set('to', $('rep-to').value);
        const post = $('rep-post').value.trim().toUpperCase();
        if (national() && post) q.set('post', post);
        return q;
    }

    function reportPath(kind) {
        return (national() ? '/v1/national/reports/' : '/v1/reports/') + encodeURIComponent(kind);
    }

    function updateCsvLink() {
        const kind = $('rep-kind').value;
        const q = query();
        q.set('format', 'csv');
        const a = $('rep-csv');
        a.href = reportPath(kind) + '?' + q.toString();
        a.download = (national() ? 'national-' : '') + kind + ($('rep-from').value ? '-' + $('rep-from').value : '') +
            ($('rep-to').value ? '-to-' + $('rep-to').value : '') + '.csv';
    }

    /* A post pushes every minute or so while its network is up; one the
     * central has not heard from for longer than the server's setting
     * (--silent-after) is offline, or stopped.  The time since its push is
     * the central's own reckoning, not this machine's clock. */
    function contact(p) {
        if (!p.last_push_at) return 'never pushed';
        if (!p.silent) return 'in touch';
        const hours = Math.floor(p.since_push / 3600);
        return 'silent for ' + (hours >= 1 ? hours + ' h' : Math.floor(p.since_push / 60) + ' min');
    }

    /* Overstays are a post's report: open stays are not pushed. */
    async function scopeChanged() {
        const nat = national();
        $('rep-post-field').hidden = !nat;
        const overstays = $('rep-kind').querySelector('option[value="overstays"]');
        overstays.disabled = nat;
        if (nat && $('rep-kind').value === 'overstays') $('rep-kind').value = 'daily';
        updateCsvLink();
        $('rep-posts').hidden = !nat;
        if (!nat) return;
        const r = await S.api('GET', '/v1/national/posts');
        if (!r.ok) {
            S.fillTable($('rep-posts-table'), ['post'], []);
            return S.showError($('report-form'), r.data, () => null);
        }
        const rows = r.data.posts.map((p) => ({
            post: p.post, contact: contact(p), last_push: p.last_push_at || 'never',
            last_entry: p.last_event_at || '', policy: p.policy || '', policy_bundle: p.policy_bundle || '',
            watchlist_bundle: p.watchlist_bundle || '' }));
        S.fillTable($('rep-posts-table'),
            ['post', 'contact', 'last_push', 'last_entry', 'policy', 'policy_bundle', 'watchlist_bundle'], rows);
    }

    function entered() {
        $('rep-scope-field').hidden = !S.national;
        if (!S.national) $('rep-scope').value = 'post';
        scopeChanged();
        $('rep-kind').focus();
    }

    /* Horizontal bars: one per group, longest first when not by day. */
    function drawChart(box, groups, by) {
        S.clear(box);
        if (!groups.length) return;
        const barH = 20, gap = 6, labelW = 190, width = 860, valueW = 70;
        const max = Math.max(...groups.map((g) => g[1]), 1);
        const height = groups.length * (barH + gap) + gap;
        const svg = S.el('svg:svg', { viewBox: '0 0 ' + width + ' ' + height, width, height,
            role: 'img', 'aria-label': 'Count by ' + by + ', ' + groups.length + ' bars' });
        groups.forEach(([label, value], i) => {
            const y = gap + i * (barH + gap);
            const w = Math.max(1, Math.round((width - labelW - valueW) * value / max));
            svg.append(S.el('svg:text', { x: labelW - 8, y: y + barH * 0.72, 'text-anchor': 'end' }, label));
            svg.append(S.el('svg:rect', { class: 'bar', x: labelW, y, width: w, height: barH },
                S.el('svg:title', {}, label + ': ' + value)));
            svg.append(S.el('svg:text', { class: 'value', x: labelW + w + 6, y: y + barH * 0.72 }, String(value)));
        });
        box.append(svg);
    }

    async function show(ev) {
        if (ev) ev.preventDefault();
        const form = $('report-form');
        S.clearErrors(form);
        updateCsvLink();
        const kind = $('rep-kind').value;
        const r = await S.api('GET', reportPath(kind) + '?' + query().toString());
        if (!r.ok) {
            $('rep-result').hidden = true;
            return S.showError(form, r.data, (f) => (f === 'from' ? $('rep-from') : f === 'to' ? $('rep-to')
                : f === 'post' ? $('rep-post') : null));
        }
        const { columns, rows } = r.data;
        S.fillTable($('rep-table'), columns, rows, (c) => NUMERIC.has(c));
        const by = CHART_BY[kind] || columns[0];
        const sums = new Map();
        for (const row of rows) sums.set(String(row[by]), (sums.get(String(row[by])) || 0) + (Number(row.count) || 0));
        let groups = Array.from(sums.entries());
        if (by === 'day') groups.sort((a, b) => (a[0] < b[0] ? -1 : 1));
        else groups.sort((a, b) => b[1] - a[1]);
        groups = groups.slice(0, 40);
        const total = rows.reduce((n, row) => n + (Number(row.count) || 0), 0);
        $('rep-chart-h').textContent = $('rep-kind').selectedOptions[0].textContent + ': count by ' + by;
        drawChart($('rep-chart'), groups, by);
        $('rep-summary').textContent = rows.length === 0 ? 'No rows for this period.'
            : rows.length + ' rows, ' + total + ' in all.';
        $('rep-result').hidden = false;
    }

    /* ---- policy check ----------------------------------------------- */

    /* Render a lint answer {ok, compile_error, issues} as file:line:col. */
    S.renderLint = function (box, filename, data) {
        S.clear(box);
        const name = filename || 'policy';
        box.classList.toggle('result-ok', !!data.ok);
        box.classList.toggle('result-bad', !data.ok);
        if (data.compile_error) {
            const e = data.compile_error;
            box.append(S.el('p', { class: 'bad' }, 'The policy does not compile.'));
            const text = /^[^:\s]+:\d+:\d+:/.test(e.message) ? e.message : name + ':' + e.line + ':' + e.col + ': ' + e.message;
            box.append(S.el('ul', { class: 'lint' }, S.el('li', { class: 'lint-error' }, text)));
            return;
        }
        box.append(S.el('p', { class: data.ok ? 'ok' : 'bad' }, data.ok
            ? 'No errors' + (data.name ? ': ' + data.name + ' version ' + data.version + ', ' + data.rules + ' rules' : '') + '.'
            : 'The policy has errors.'));
        if ((data.issues || []).length) {
            box.append(S.el('ul', { class: 'lint' }, data.issues.map((i) => S.el('li',
                { class: i.severity === 'error' ? 'lint-error' : 'lint-warning' },
                name + ':' + i.line + ':' + i.col + ': ' + i.severity + ': ' + i.message + ' [' + i.code + ']'))));
        }
    };

    async function lint(ev) {
        ev.preventDefault();
        const form = $('lint-form');
        S.clearErrors(form);
        const filename = $('lint-filename').value.trim();
        const body = { text: $('lint-text').value };
        if (filename) body.filename = filename;
        const r = await S.api('POST', '/v1/policies/lint', body);
        if (!r.ok) return S.showError(form, r.data, S.byName(form));
        S.renderLint($('lint-result'), filename, r.data);
        $('lint-result').hidden = false;
    }

    S.section('reports', { show: entered });
    S.section('lint', { show() { $('lint-text').focus(); S.replays.load(); } });
    document.addEventListener('DOMContentLoaded', () => {
        $('report-form').addEventListener('submit', show);
        for (const id of ['rep-kind', 'rep-from', 'rep-to', 'rep-post']) $(id).addEventListener('change', updateCsvLink);
        $('rep-scope').addEventListener('change', scopeChanged);
        $('lint-form').addEventListener('submit', lint);
    });
})();
