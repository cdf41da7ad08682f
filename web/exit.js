/*
 * exit.js - the return details an officer records on an exit (the
 * presentation's "movement" block): the movement (a regular exit, a
 * spontaneous or assisted return, a deportation), the household and its
 * size, vehicles, intended stay, the person's vulnerabilities, and for a
 * returnee handed over from detention where and when they were arrested.
 * Shown only while the direction is "exit".  After a decision the
 * household's details stay for its next member; what is the person's own
 * (vulnerabilities) or counted once per household (vehicles) is cleared.
 */
'use strict';

(function () {
    const S = window.Sarhad;
    const $ = S.$;
    /* The block's keys and their inputs; numbers are sent as numbers. */
    const FIELDS = [['category', 'c-m-category'], ['household', 'c-m-household'],
        ['household_size', 'c-m-household-size', 'number'], ['vehicles', 'c-m-vehicles', 'number'],
        ['intended_stay', 'c-m-intended-stay'], ['arrest_province', 'c-m-arrest-province'],
        ['arrested_on', 'c-m-arrested-on']];
    const PER_PERSON = ['c-m-vehicles'];

    const isExit = () => $('c-direction').value === 'exit';
    const vulnerabilityBoxes = () => $('c-m-vulnerabilities').querySelectorAll('input[type=checkbox]');

    /* Add the movement block to presentation p (exits only, and only what
     * was entered), naming in fieldMap the input behind each of its
     * fields so an API error lands beside it. */
    function add(p, fieldMap) {
        if (!isExit()) return;
        const m = {};
        for (const [key, id, type] of FIELDS) {
            const v = $(id).value.trim();
            fieldMap['movement.' + key] = $(id);
            if (v) m[key] = type === 'number' && /^\d+$/.test(v) ? Number(v) : v;
        }
        const vulns = [...vulnerabilityBoxes()].filter((b) => b.checked).map((b) => b.value);
        fieldMap['movement.vulnerabilities'] = vulnerabilityBoxes()[0];
        if (vulns.length) m.vulnerabilities = vulns;
        fieldMap.movement = $('c-m-category');
        if (Object.keys(m).length) p.movement = m;
    }

    /* The next member of the household: the person's own details go. */
    function next() {
        for (const id of PER_PERSON) $(id).value = '';
        for (const b of vulnerabilityBoxes()) b.checked = false;
    }

    /* Every detail goes: a new household, or the direction turned to
     * entry. */
    function clear() {
        for (const [, id] of FIELDS) $(id).value = '';
        next();
    }

    function showForDirection() {
        $('c-exit').hidden = !isExit();
        if (!isExit()) clear();
    }

    S.exitDetails = { add, next, clear };
    document.addEventListener('DOMContentLoaded', () => {
        $('c-direction').addEventListener('change', showForDirection);
        $('c-m-new-household').addEventListener('click', () => { clear(); $('c-m-category').focus(); });
        showForDirection();
    });
})();
