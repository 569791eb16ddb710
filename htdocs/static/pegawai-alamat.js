/* Portal Pegawai: Riwayat Alamat in the browser.
 *
 * On the address form (alamat_form.html):
 *   - the region selects fill as the employee chooses: a change clears
 *     the selects below it and fetches the children of the choice from
 *     the form's data-wilayah-url (GET ?induk=CODE, answered with
 *     {"wilayah": [{"kode": ..., "nama": ...}]});
 *   - the KTP block is hidden while "Alamat KTP sesuai dengan alamat
 *     tempat tinggal" is ticked;
 *   - RT, RW, kode pos and the required fields are checked before SIMPAN,
 *     with the rules and messages of mod_pegawai/pgw_alamat.c.
 * On the list (riwayat_alamat.html), Hapus asks first.
 *
 * Everything works without this file: the server fills the selects in
 * steps ("Perbarui pilihan wilayah"), ignores the KTP block when the box
 * is ticked, checks every field again, and Hapus posts at once. When a
 * rule changes in pgw_alamat.c, it changes here too.
 */
(function () {
    'use strict';

    /* ------------------------------------------------------------ rules */

    /* White space as pgw_alamat.c's space_len(): ASCII blanks and
     * U+00A0. */
    var BLANKS = '\t\n\u000b\f\r \u00a0';

    function trim(s) {
        var from = 0;
        var to = s.length;

        while (from < to && BLANKS.indexOf(s.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && BLANKS.indexOf(s.charAt(to - 1)) >= 0) {
            to--;
        }
        return s.slice(from, to);
    }

    function utf8Length(s) {
        return new TextEncoder().encode(s).length;
    }

    /* A dash or dots alone: the paper form's "tidak ada". */
    function meansEmpty(s) {
        return /^[-. ]*$/.test(s);
    }

    function ok(value) {
        return {value: value};
    }

    function error(message) {
        return {error: message};
    }

    /* Letters and digits as pgw_alamat.c's is_letter_cp(): roughly,
     * as against punctuation, symbols and emoji. */
    var LETTER = new RegExp('[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6' +
            '\u00f8-\u024f\u0370-\u1fff\u3040-\u9fff\uac00-\ud7a3]');

    /* check_text(): at least one letter or digit and min to 200
     * characters once ZERO WIDTH SPACE and the byte order mark are
     * dropped and the white space collapsed. The server's refusal of
     * control and bidirectional characters is left to it. */
    function checkText(min) {
        return function (s, f) {
            var text = s.replace(/[\u200b\ufeff]/g, '').replace(/\s+/g, ' ')
                .trim();

            if (!LETTER.test(text)) {
                return error(f.label + ' harus berisi huruf atau angka');
            }
            if (Array.from(text).length < min ||
                    Array.from(text).length > 200) {
                return error(f.label + ' harus ' + min + ' sampai 200 ' +
                        'karakter');
            }
            return ok(text);
        };
    }

    /* check_rt_rw(): "5", "005", "RT 5", "rw.03"; stored as 3 digits. */
    function checkRtRw(s, f) {
        var digits = s;

        if (digits.substr(0, 2).toUpperCase() === f.label.substr(0, 2)) {
            digits = digits.slice(2).replace(/^[.: ]*/, '');
        }
        if (!/^[0-9]{1,3}$/.test(digits)) {
            return error(f.label + ' harus 1 sampai 3 digit angka');
        }
        return ok(('00' + parseInt(digits, 10)).slice(-3));
    }

    /* check_kode_pos(): five digits, Indonesian codes run from 10110. */
    function checkKodePos(s, f) {
        if (!/^[0-9]{5}$/.test(s)) {
            return error(f.label + ' harus 5 digit angka');
        }
        if (s.charAt(0) === '0') {
            return error(f.label + ' di Indonesia tidak diawali angka 0');
        }
        return ok(s);
    }

    /* A select's value comes from the list; empty is all there is to
     * check here (the server checks the code and its parent). */
    function checkChoice(s) {
        return ok(s);
    }

    /* PGW_ALAMAT_FIELDS of pgw_alamat.h that the page checks: name,
     * label (as the server's messages name the field), required, the
     * longest text accepted (bytes), the check. The KTP twins are made
     * below. */
    var ADDRESS_FIELDS = [
        ['alamat', 'Alamat', true, 1000, checkText(3)],
        ['rt', 'RT', true, 16, checkRtRw],
        ['rw', 'RW', true, 16, checkRtRw],
        ['provinsi', 'Provinsi', true, 16, checkChoice],
        ['kota', 'Kota/Kabupaten', true, 16, checkChoice],
        ['kecamatan', 'Kecamatan', true, 16, checkChoice],
        ['kelurahan', 'Kelurahan/Desa', true, 24, checkChoice],
        ['kode_pos', 'Kode Pos', true, 16, checkKodePos]
    ];

    function fieldRule(row, ktp) {
        var label = row[1];

        if (ktp) {
            label = row[0] === 'alamat' ? 'Alamat KTP' : label + ' (KTP)';
        }
        return {name: row[0] + (ktp ? '_ktp' : ''), label: label,
                /* The KTP does not print a postal code. */
                required: row[2] && !(ktp && row[0] === 'kode_pos'),
                max: row[3], check: row[4], ktp: ktp};
    }

    var FIELDS = ADDRESS_FIELDS.map(function (row) {
        return fieldRule(row, false);
    }).concat(ADDRESS_FIELDS.map(function (row) {
        return fieldRule(row, true);
    })).concat([
        {name: 'keterangan', label: 'Keterangan', required: false,
         max: 1000, check: checkText(1), ktp: false}
    ]);

    /* pgw_alamat.c's validate(): the bound, the outer white space, the
     * empty field. */
    function validate(f, raw) {
        var s;

        raw = raw || '';
        if (utf8Length(raw) > f.max) {
            return error(f.label + ' terlalu panjang (maksimal ' + f.max +
                    ' karakter)');
        }
        s = trim(raw);
        if (!meansEmpty(s)) {
            return f.check(s, f);
        }
        return f.required ? error(f.label + ' wajib diisi') : ok(null);
    }

    /* Node (a comparison with the C validators) takes the rules only. */
    if (typeof module === 'object' && module.exports) {
        module.exports = {fields: FIELDS, validate: validate};
        return;
    }

    /* ------------------------------------------------------------ page */

    function byId(id) {
        return document.getElementById(id);
    }

    function each(list, fn) {
        Array.prototype.forEach.call(list, fn);
    }

    /* --------------------------------------------------------- regions */

    var LEVELS = ['provinsi', 'kota', 'kecamatan', 'kelurahan'];

    /* The no-script steps ("Perbarui pilihan wilayah") leave the form
     * while the lists fill by themselves; they come back when a list
     * cannot be fetched. Removed, not hidden: a hidden submit button
     * before SIMPAN would still be the one Enter presses. */
    function stepButtons(form) {
        var steps = [];

        each(form.querySelectorAll('[data-wilayah-langkah]'), function (el) {
            steps.push({el: el, parent: el.parentNode,
                        next: el.nextSibling});
        });
        steps.forEach(function (s) {
            s.parent.removeChild(s.el);
        });
        return function restore() {
            steps.forEach(function (s) {
                if (!s.el.parentNode) {
                    s.parent.insertBefore(s.el, s.next);
                }
            });
        };
    }

    /* Back to its first option, "Pilih ...". */
    function clearSelect(select) {
        while (select.options.length > 1) {
            select.remove(1);
        }
        select.value = '';
    }

    function fillSelect(select, regions) {
        regions.forEach(function (w) {
            var o = document.createElement('option');

            o.value = w.kode;
            o.textContent = w.nama;
            select.appendChild(o);
        });
    }

    function startRegions(form, block, restoreSteps) {
        var suffix = block.getAttribute('data-alamat') || '';
        var url = form.getAttribute('data-wilayah-url');
        var selects = LEVELS.map(function (name) {
            return form.elements.namedItem(name + suffix);
        });
        /* The latest request of each level: an older answer that
         * arrives late is dropped. */
        var latest = [0, 0, 0, 0];

        if (!url || selects.some(function (s) {
            return !s || !s.options;
        })) {
            return;
        }

        function message(select, text) {
            var p = byId(select.id + '-galat');

            if (p) {
                p.textContent = text;
            }
        }

        function load(level, code) {
            var select = selects[level];
            var placeholder = select.options[0];
            var label = placeholder.textContent;
            var ticket = ++latest[level];

            select.setAttribute('aria-busy', 'true');
            placeholder.textContent = 'Memuat daftar...';
            fetch(url + '?induk=' + encodeURIComponent(code), {
                credentials: 'same-origin',
                headers: {Accept: 'application/json'}
            }).then(function (r) {
                if (!r.ok) {
                    throw new Error('HTTP ' + r.status);
                }
                return r.json();
            }).then(function (answer) {
                if (ticket !== latest[level]) {
                    return;
                }
                clearSelect(select);
                fillSelect(select, answer.wilayah || []);
                select.disabled = select.options.length < 2;
                message(select, '');
            }).catch(function () {
                if (ticket !== latest[level]) {
                    return;
                }
                message(select, 'Daftar wilayah tidak dapat dimuat. ' +
                        'Periksa koneksi lalu pilih lagi, atau tekan ' +
                        'Perbarui pilihan wilayah.');
                restoreSteps();
            }).then(function () {
                if (ticket === latest[level]) {
                    placeholder.textContent = label;
                    select.removeAttribute('aria-busy');
                }
            });
        }

        selects.forEach(function (select, level) {
            select.addEventListener('change', function () {
                var below;

                for (below = level + 1; below < selects.length; below++) {
                    latest[below]++;
                    clearSelect(selects[below]);
                    selects[below].disabled = true;
                    selects[below].removeAttribute('aria-busy');
                }
                if (select.value !== '' && level + 1 < selects.length) {
                    load(level + 1, select.value);
                }
            });
            /* A list with nothing to choose waits for the one above. */
            if (level > 0 && select.options.length < 2) {
                select.disabled = true;
            }
        });
    }

    /* ------------------------------------------------------- KTP block */

    function startKtpBlock(form) {
        var box = form.elements.namedItem('ktp_sama');
        var block = byId('blok-ktp');

        function sync() {
            block.hidden = box.checked;
        }

        if (!box || !block) {
            return function () {
                return false;
            };
        }
        box.addEventListener('change', sync);
        sync();
        return function hidden() {
            return box.checked;
        };
    }

    /* ---------------------------------------------------------- checks */

    function showError(field, message) {
        var p = byId(field.rule.name + '-galat');

        if (p) {
            p.textContent = message || '';
        }
        if (message) {
            field.control.setAttribute('aria-invalid', 'true');
        }
        else {
            field.control.removeAttribute('aria-invalid');
        }
    }

    /* A field left by pressing the mouse on something else (SIMPAN, the
     * checkbox) shows its message only once that click has landed: a
     * message appearing between press and release moves what is below
     * it, and the click would miss. */
    var pressed = false;
    var waiting = [];

    function released() {
        var jobs = waiting;

        pressed = false;
        waiting = [];
        if (jobs.length > 0) {
            setTimeout(function () {
                jobs.forEach(function (job) {
                    job();
                });
            }, 0);
        }
    }

    function afterClick(job) {
        if (pressed) {
            waiting.push(job);
        }
        else {
            job();
        }
    }

    function startChecks(form, ktpHidden) {
        var summary = byId('ringkasan-periksa');
        var fields = [];

        FIELDS.forEach(function (rule) {
            var control = form.elements.namedItem(rule.name);
            var p = byId(rule.name + '-galat');

            /* One control per name: an input or a select. */
            if (!control || (control.length !== undefined &&
                    !control.options)) {
                return;
            }
            /* A message from the server: follow the typing from now on. */
            fields.push({rule: rule, control: control,
                         touched: !!(p && p.textContent)});
        });

        function active(field) {
            return !(field.rule.ktp && ktpHidden());
        }

        function check(field) {
            var r = active(field) ? validate(field.rule, field.control.value)
                : ok(null);

            field.result = r;
            if (field.touched) {
                showError(field, r.error);
            }
            return r;
        }

        /* The summary counts what is still wrong: it shrinks as the
         * employee corrects the fields and goes when none is left. */
        function showSummary() {
            var wrong = fields.filter(function (field) {
                return field.result && field.result.error;
            });

            if (!summary) {
                return wrong;
            }
            if (wrong.length === 0) {
                summary.hidden = true;
                return wrong;
            }
            summary.firstElementChild.textContent = 'Alamat belum ' +
                    'dikirim: ' + wrong.length + ' isian perlu ' +
                    'diperbaiki. Pesannya ada di bawah setiap isian ' +
                    'tersebut.';
            summary.hidden = false;
            return wrong;
        }

        function recheck(field) {
            check(field);
            if (summary && !summary.hidden) {
                showSummary();
            }
        }

        fields.forEach(function (field) {
            var c = field.control;

            if (c.tagName === 'SELECT') {
                c.addEventListener('change', function () {
                    field.touched = true;
                    recheck(field);
                });
                return;
            }
            c.addEventListener('input', function () {
                field.edited = true;
                if (field.touched) {
                    recheck(field);
                }
            });
            /* Tabbing through an empty field is no mistake yet: wajib
             * diisi waits for SIMPAN. */
            c.addEventListener('blur', function () {
                field.touched = field.touched || field.edited ||
                        c.value !== '';
                afterClick(function () {
                    recheck(field);
                });
            });
        });

        form.addEventListener('submit', function (event) {
            var wrong;

            fields.forEach(function (field) {
                field.touched = true;
                check(field);
            });
            wrong = showSummary();
            if (wrong.length === 0) {
                return;
            }
            event.preventDefault();
            wrong[0].control.focus();
        });

        document.addEventListener('pointerdown', function () {
            pressed = true;
        }, true);
        document.addEventListener('pointerup', released, true);
        document.addEventListener('pointercancel', released, true);

        /* The browser's own bubbles would say it differently, and would
         * insist on fields of a hidden block. */
        form.noValidate = true;
    }

    /* The date picker offers no day after today (the employee's). */
    function startDate(form) {
        var input = form.elements.namedItem('tanggal_mulai');
        var now = new Date();

        function two(n) {
            return (n < 10 ? '0' : '') + n;
        }

        if (input && input.type === 'date') {
            input.max = now.getFullYear() + '-' + two(now.getMonth() + 1) +
                    '-' + two(now.getDate());
        }
    }

    function startForm(form) {
        var restoreSteps = stepButtons(form);
        var ktpHidden = startKtpBlock(form);

        each(form.querySelectorAll('[data-alamat]'), function (block) {
            startRegions(form, block, restoreSteps);
        });
        startDate(form);
        startChecks(form, ktpHidden);
    }

    /* ------------------------------------------------------------ list */

    function startDeletes() {
        each(document.querySelectorAll('form.form-hapus'), function (form) {
            form.addEventListener('submit', function (event) {
                var alamat = form.getAttribute('data-alamat') || '';
                var question = 'Hapus alamat ' +
                        (alamat ? '"' + alamat + '" ' : 'ini ') +
                        'dari riwayat Anda? Gunakan Hapus hanya untuk ' +
                        'alamat yang keliru ditambahkan. Penghapusan ' +
                        'tetap tercatat.';

                if (!window.confirm(question)) {
                    event.preventDefault();
                }
            });
        });
    }

    var form = byId('form-alamat');

    if (form) {
        startForm(form);
    }
    startDeletes();
}());
