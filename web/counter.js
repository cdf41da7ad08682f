/*
 * counter.js - the officer's counter: enter a presentation, send it to
 * POST /v1/decisions and show the decision big and clear.
 *
 * Keyboard first.  A keyboard-wedge MRZ reader types a line, Enter, the
 * next line, Enter.  In an MRZ box an Enter that ends an incomplete MRZ is
 * a line break; an Enter after a complete MRZ moves on (passport -> visa)
 * or decides (visa, or an empty visa box).  Enter in any other input
 * decides, Ctrl+Enter decides from anywhere, Escape starts the next
 * traveller.  After a decision the form is cleared for the next traveller
 * (crossing and direction stay) and the focus is back in the passport box.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    const CROSSINGS = S.CROSSINGS;
    const OTHER_KINDS = [
        ['tazkira', 'Tazkira'], ['cnic', 'CNIC'], ['por', 'PoR card'], ['acc', 'ACC card'],
        ['rahdari', 'Rahdari pass'], ['medical_letter', 'Medical letter'],
        ['cancer_card', 'Cancer card'], ['exit_permit', 'Exit permit'], ['token', 'Token']];
    const OTHER_FIELDS = [
        ['number', 'Number', 'text'], ['issued', 'Issued', 'date'], ['expiry', 'Expiry', 'date'],
        ['district', 'District', 'text'], ['tribe', 'Tribe', 'text'], ['issuer', 'Issuer', 'text']];
    const MAX_OTHERS = 6; // the API takes 8 documents; passport and visa have their boxes
    const TRAVELLER = [['nationality', 'c-nationality'], ['sex', 'c-sex'], ['birth_date', 'c-birth'],
        ['residence', 'c-residence'], ['tribe', 'c-tribe'], ['occupation', 'c-occupation'],
        ['purpose', 'c-purpose']];

    let timeTouched = false;
    let otherSeq = 0;
    let fieldMap = {};

    /* ---- MRZ ------------------------------------------------------- */

    /* The lines of an MRZ as typed or scanned: upper case, no blanks, and a
     * reader's single run of 88, 72 or 90 characters cut into its lines. */
    function mrzLines(text) {
        let lines = text.toUpperCase().split(/\r\n|\r|\n/)
            .map((l) => l.replace(/\s+/g, '')).filter((l) => l.length);
        if (lines.length === 1) {
            const l = lines[0];
            if (l.length === 88) lines = [l.slice(0, 44), l.slice(44)];
            else if (l.length === 72) lines = [l.slice(0, 36), l.slice(36)];
            else if (l.length === 90) lines = [l.slice(0, 30), l.slice(30, 60), l.slice(60)];
        }
        return lines;
    }
    function mrzComplete(lines) {
        const same = (n) => lines.every((l) => l.length === n);
        return (lines.length === 2 && (same(44) || same(36))) || (lines.length === 3 && same(30));
    }
    function mrzState(lines) {
        if (!lines.length) return '';
        if (mrzComplete(lines)) return lines.length + ' lines of ' + lines[0].length + ' read';
        const want = lines[0].length === 30 ? 3 : 2;
        const last = lines[lines.length - 1];
        return 'line ' + lines.length + ' of ' + want + ': ' + last.length + ' characters';
    }

    /* Traveller facts printed in a passport MRZ, to fill empty fields. */
    function mrzFacts(lines) {
        if (!mrzComplete(lines)) return null;
        const l2 = lines[1];
        let nat, birth, sex;
        if (lines.length === 3) { birth = l2.slice(0, 6); sex = l2[7]; nat = l2.slice(15, 18); }
        else { nat = l2.slice(10, 13); birth = l2.slice(13, 19); sex = l2[20]; }
        const facts = {};
        if (/^[A-Z]{3}$/.test(nat)) facts.nationality = nat;
        if (/^[MFX]$/.test(sex)) facts.sex = sex;
        if (/^\d{6}$/.test(birth)) {
            const yy = Number(birth.slice(0, 2));
            const now = new Date().getFullYear() % 100;
            facts.birth_date = (yy > now ? '19' : '20') + birth.slice(0, 2) + '-' +
                birth.slice(2, 4) + '-' + birth.slice(4, 6);
        }
        const l1 = lines[0];
        const names = (lines.length === 3 ? lines[2] : l1.slice(5)).split('<<');
        facts.name = names[0].replace(/</g, ' ').trim() + ', ' + (names[1] || '').replace(/</g, ' ').trim();
        facts.number = (lines.length === 3 ? l1.slice(5, 14) : l2.slice(0, 9)).replace(/</g, '');
        return facts;
    }

    /* What a recorded MRZ says of its holder (name, number, ...), for the
     * pages that show an attempt; null when it is not a whole MRZ. */
    S.mrzFacts = (text) => mrzFacts(mrzLines(text || ''));

    function onMrzInput(box) {
        const lines = mrzLines(box.value);
        $(box.id + '-state').textContent = mrzState(lines);
        if (box.id !== 'c-passport') return;
        const facts = mrzFacts(lines);
        if (!facts) return;
        for (const [key, id] of TRAVELLER) {
            const input = $(id);
            if (facts[key] && (input.value === '' || input.dataset.auto === '1')) {
                input.value = facts[key];
                input.dataset.auto = '1';
            }
        }
    }

    function onMrzKey(ev) {
        if (ev.key !== 'Enter' || ev.shiftKey || ev.altKey || ev.ctrlKey || ev.metaKey) return;
        const box = ev.target;
        const lines = mrzLines(box.value);
        if (lines.length && !mrzComplete(lines)) return; // the reader's line break
        ev.preventDefault();
        if (box.id === 'c-passport') {
            if (!lines.length) return;
            if ($('c-visa').value.trim() === '') { $('c-visa').focus(); return; }
        }
        $('counter-form').requestSubmit();
    }

    /* ---- other documents ------------------------------------------- */

    function addOther() {
        const box = $('c-others');
        if (box.childElementCount >= MAX_OTHERS) return;
        const n = ++otherSeq;
        const kind = S.el('select', { id: 'c-o' + n + '-kind', 'data-key': 'kind' },
            OTHER_KINDS.map(([v, t]) => S.el('option', { value: v }, t)));
        const row = S.el('div', { class: 'other-doc row', 'data-other': String(n) },
            S.el('div', { class: 'field' }, S.el('label', { for: kind.id }, 'Document'), kind));
        for (const [key, label, type] of OTHER_FIELDS) {
            const id = 'c-o' + n + '-' + key;
            row.append(S.el('div', { class: 'field' }, S.el('label', { for: id }, label),
                S.el('input', { id, type, 'data-key': key, maxlength: type === 'text' ? 63 : null,
                    size: type === 'text' ? 12 : null })));
        }
        row.append(S.el('div', { class: 'field end' }, S.el('button', { type: 'button',
            class: 'danger', 'aria-label': 'Remove this document',
            onclick: () => { row.remove(); $('c-add-doc').focus(); } }, 'Remove')));
        box.append(row);
        kind.focus();
    }

    /* ---- the presentation ------------------------------------------ */

    function pad(n) { return String(n).padStart(2, '0'); }
    function localInputValue(d) {
        return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' +
            pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
    }
    /* The post's UTC offset in minutes (from /v1/health), or null when the
     * server did not say: then this machine's offset stands in. */
    function postOffset() {
        const m = /^([+-])(\d\d):(\d\d)$/.exec(S.postUtcOffset || '');
        return m ? (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]) : null;
    }
    /* Now, as the post's clocks show it (the default time of a new
     * presentation): an officer at Torkham sees Pakistan time even on a
     * laptop left on another zone. */
    function nowAtPost() {
        const off = postOffset();
        if (off === null) return localInputValue(new Date());
        const t = new Date(Date.now() + off * 60000);
        return t.getUTCFullYear() + '-' + pad(t.getUTCMonth() + 1) + '-' + pad(t.getUTCDate()) +
            'T' + pad(t.getUTCHours()) + ':' + pad(t.getUTCMinutes()) + ':' + pad(t.getUTCSeconds());
    }
    /* Now at the post, as RFC 3339 with its offset (what a printed notice
     * is dated). */
    S.nowAtPost = () => rfc3339(nowAtPost());
    /* datetime-local value -> RFC 3339 with the post's UTC offset. */
    function rfc3339(value) {
        const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(value);
        if (!m) return value;
        const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
        const post = postOffset();
        const off = post !== null ? post : -d.getTimezoneOffset();
        const sign = off >= 0 ? '+' : '-';
        return m[1] + '-' + m[2] + '-' + m[3] + 'T' + m[4] + ':' + m[5] + ':' + (m[6] || '00') +
            sign + pad(Math.floor(Math.abs(off) / 60)) + ':' + pad(Math.abs(off) % 60);
    }

    function build() {
        fieldMap = { crossing: $('c-crossing'), direction: $('c-direction'), time: $('c-time'),
            traveller: $('c-nationality'), documents: $('c-passport') };
        if (!timeTouched) $('c-time').value = nowAtPost();
        const p = { crossing: $('c-crossing').value, direction: $('c-direction').value,
            time: rfc3339($('c-time').value), traveller: {}, documents: [] };
        for (const [key, id] of TRAVELLER) {
            const v = $(id).value.trim();
            fieldMap['traveller.' + key] = $(id);
            if (v) p.traveller[key] = key === 'nationality' ? v.toUpperCase() : v;
        }
        S.exitDetails.add(p, fieldMap);
        const doc = (d, first) => {
            const i = p.documents.length;
            p.documents.push(d);
            fieldMap['documents[' + i + ']'] = first;
            return i;
        };
        const passport = mrzLines($('c-passport').value);
        if (passport.length) {
            const i = doc({ kind: 'passport', mrz: passport.join('\n') }, $('c-passport'));
            fieldMap['documents[' + i + '].mrz'] = $('c-passport');
        }
        const visa = mrzLines($('c-visa').value);
        if (visa.length) {
            const v = { kind: 'visa', mrz: visa.join('\n') };
            const cat = $('c-visa-category').value.trim();
            const entries = $('c-visa-entries').value;
            const stay = $('c-visa-stay').value.trim();
            if (cat) v.category = cat;
            if (entries) v.entries = entries;
            if (stay) v.stay_days = /^\d+$/.test(stay) ? Number(stay) : stay;
            const i = doc(v, $('c-visa'));
            fieldMap['documents[' + i + '].mrz'] = $('c-visa');
            fieldMap['documents[' + i + '].category'] = $('c-visa-category');
            fieldMap['documents[' + i + '].entries'] = $('c-visa-entries');
            fieldMap['documents[' + i + '].stay_days'] = $('c-visa-stay');
        }
        for (const row of $('c-others').children) {
            const d = {};
            const inputs = {};
            row.querySelectorAll('[data-key]').forEach((el) => {
                inputs[el.dataset.key] = el;
                if (el.value.trim()) d[el.dataset.key] = el.value.trim();
            });
            const i = doc(d, inputs.kind);
            for (const [k, el] of Object.entries(inputs)) fieldMap['documents[' + i + '].' + k] = el;
        }
        return { p, passport };
    }

    /* The input an API error names: the longest known prefix of its path. */
    function fieldFor(field) {
        let f = field;
        while (f) {
            if (fieldMap[f]) return fieldMap[f];
            const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            if (cut <= 0) break;
            f = f.slice(0, cut);
        }
        return null;
    }

    function nextTraveller() {
        const form = $('counter-form');
        S.clearErrors(form);
        for (const id of ['c-passport', 'c-visa', 'c-visa-category', 'c-visa-entries', 'c-visa-stay']) $(id).value = '';
        for (const [, id] of TRAVELLER) { $(id).value = ''; delete $(id).dataset.auto; }
        S.clear($('c-others'));
        S.exitDetails.next();
        $('c-passport-state').textContent = '';
        $('c-visa-state').textContent = '';
        timeTouched = false;
        $('c-time').value = nowAtPost();
        $('c-passport').focus();
    }

    let busy = false;
    async function decide(ev) {
        ev.preventDefault();
        if (busy) return;
        const form = $('counter-form');
        S.clearErrors(form);
        const { p, passport } = build();
        busy = true;
        $('c-decide').disabled = true;
        const r = await S.api('POST', '/v1/decisions', p);
        busy = false;
        $('c-decide').disabled = false;
        const panel = $('decision');
        panel.classList.remove('stale');
        delete form.dataset.decided;
        if (r.status !== 201) {
            S.clear(panel).append(S.el('p', { class: 'bad' }, 'Not decided: correct the marked entry.'));
            S.showError(form, r.data, fieldFor);
            return;
        }
        S.renderDecision(panel, r.data, r.data.attempt_id);
        if (r.data.decision === 'refuse') panel.append(S.el('p', {}, S.noticeButton(r.data.attempt_id, 'c-notice')));
        const facts = mrzFacts(passport);
        if (facts) {
            panel.insertBefore(S.el('p', { class: 'muted traveller-line' },
                'Traveller: ' + facts.name + ' · passport ' + facts.number), panel.firstChild);
        }
        nextTraveller();
        form.dataset.decided = '1';
    }

    /* The decision on show belongs to the last traveller as soon as the
     * next one's documents are typed. */
    function markStale() {
        const panel = $('decision');
        delete $('counter-form').dataset.decided;
        panel.classList.add('stale');
        panel.insertBefore(S.el('p', { class: 'muted stale-note' }, 'Previous traveller:'), panel.firstChild);
    }

    function setup() {
        const form = $('counter-form');
        const sel = $('c-crossing');
        for (const c of CROSSINGS) sel.append(S.el('option', { value: c }, c.replace('_', ' ')));
        form.addEventListener('submit', decide);
        for (const id of ['c-passport', 'c-visa']) {
            $(id).addEventListener('keydown', onMrzKey);
            $(id).addEventListener('input', () => onMrzInput($(id)));
        }
        for (const [, id] of TRAVELLER) $(id).addEventListener('input', () => delete $(id).dataset.auto);
        $('c-time').addEventListener('input', () => { timeTouched = true; });
        $('c-add-doc').addEventListener('click', addOther);
        $('c-clear').addEventListener('click', nextTraveller);
        form.addEventListener('input', () => { if (form.dataset.decided) markStale(); });
        form.addEventListener('keydown', (ev) => {
            if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
            else if (ev.key === 'Escape') { ev.preventDefault(); nextTraveller(); }
        });
    }

    S.section('counter', {
        show() {
            if (CROSSINGS.includes(S.state.post)) $('c-crossing').value = S.state.post;
            if (!timeTouched) $('c-time').value = nowAtPost();
            $('c-passport').focus();
        },
    });

    document.addEventListener('DOMContentLoaded', setup);
})();
