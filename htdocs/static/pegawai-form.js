/* Portal Pegawai: the checks of Form Isi Data Pegawai, in the browser.
 *
 * The rules and the messages are those of mod_pegawai/pgw_validate.c and
 * pgw_nip.c, rule for rule, so that what the employee reads before SIMPAN
 * is what the server would answer. The server stays the authority: it
 * checks everything again, and the form works without this file. When a
 * rule changes there, it changes here too.
 *
 * A field is checked when the employee leaves it (or picks a choice) and
 * then again at every keystroke until it is right; SIMPAN is held back
 * only for errors, never for the cross-check warnings (NIK and jenis
 * kelamin against the NIP, NPWP against the NIK), which the server asks
 * the employee to confirm.
 */
(function () {
    'use strict';

    /* ------------------------------------------------------ characters */

    /* White space as pgw_validate.c's space_len(): the ASCII blanks
     * \t to \r and space, and U+00A0 NO-BREAK SPACE. Not \s, which
     * matches far more. */
    var BLANKS = '\t\n\u000b\f\r \u00a0';

    function isBlank(c) {
        return c.length === 1 && BLANKS.indexOf(c) >= 0;
    }

    /* The server bounds what it reads in bytes of UTF-8, as sent. */
    function utf8Length(s) {
        return new TextEncoder().encode(s).length;
    }

    function trim(s) {
        var from = 0;
        var to = s.length;

        while (from < to && isBlank(s.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(s.charAt(to - 1))) {
            to--;
        }
        return s.slice(from, to);
    }

    /* Without white space and without the characters of drop. */
    function compact(s, drop) {
        var out = '';
        var i;
        var c;

        for (i = 0; i < s.length; i++) {
            c = s.charAt(i);
            if (!isBlank(c) && drop.indexOf(c) < 0) {
                out += c;
            }
        }
        return out;
    }

    var NUMBER_SEPARATORS = '.-';
    var PHONE_SEPARATORS = '.-()';

    function digitsBetween(s, min, max) {
        return /^[0-9]*$/.test(s) && s.length >= min && s.length <= max;
    }

    function isAlnum(c) {
        return /^[0-9A-Za-z]$/.test(c);
    }

    /* ASCII only, as the C code: "ı" or "ß" must not turn into letters
     * the server refuses. */
    function upper(s) {
        return s.replace(/[a-z]/g, function (c) {
            return c.toUpperCase();
        });
    }

    function lower(s) {
        return s.replace(/[A-Z]/g, function (c) {
            return c.toLowerCase();
        });
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

    /* -------------------------------------------------- codes, choices */

    function checkCode(min, max) {
        return function (s, f) {
            return digitsBetween(s, min, max)
                ? ok(s)
                : error('Pilih ' + f.label + ' dari daftar');
        };
    }

    function checkJenisKelamin(s) {
        var c = upper(s);

        if (c !== 'L' && c !== 'P') {
            return error('Jenis kelamin harus L (Laki-laki) atau ' +
                    'P (Perempuan)');
        }
        return ok(c);
    }

    function checkGolDarah(s) {
        var c = upper(s);

        if (['O', 'A', 'B', 'AB'].indexOf(c) < 0) {
            return error('Golongan darah harus O, A, B, atau AB');
        }
        return ok(c);
    }

    /* ------------------------------------------------------ dates, NIK */

    function leapYear(y) {
        return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    }

    function dateValid(y, m, d) {
        var days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

        if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) {
            return false;
        }
        if (m === 2 && leapYear(y)) {
            return d <= 29;
        }
        return d <= days[m - 1];
    }

    function num(s, from, length) {
        return parseInt(s.substr(from, length), 10);
    }

    /* NIK (Permendagri 72/2019): region (6), DDMMYY with 40 added to a
     * woman's day, sequence from 0001. DDMMYY names no century, so the
     * date has to exist in 19YY or in 20YY. */
    function parseNik(s) {
        var dd;
        var n;

        if (!/^[0-9]{16}$/.test(s)) {
            return error('NIK harus 16 digit angka');
        }
        dd = num(s, 6, 2);
        n = {
            gender: dd > 40 ? 'P' : 'L',
            day: dd > 40 ? dd - 40 : dd,
            month: num(s, 8, 2),
            year2: num(s, 10, 2),
            sequence: num(s, 12, 4)
        };
        if (!dateValid(1900 + n.year2, n.month, n.day) &&
                !dateValid(2000 + n.year2, n.month, n.day)) {
            return error('Tanggal lahir pada NIK (digit 7-12) tidak valid');
        }
        if (n.sequence === 0) {
            return error('Nomor urut pada NIK (digit 13-16) tidak boleh ' +
                    '0000');
        }
        return n;
    }

    /* NIP: YYYYMMDD birth, YYYYMM CPNS appointment (not before the
     * birth), gender digit 1 or 2, sequence from 001. */
    function parseNip(s) {
        var n;

        if (!/^[0-9]{18}$/.test(s)) {
            return error('NIP harus 18 digit angka');
        }
        n = {
            year: num(s, 0, 4),
            month: num(s, 4, 2),
            day: num(s, 6, 2),
            tmtYear: num(s, 8, 4),
            tmtMonth: num(s, 12, 2),
            sequence: num(s, 15, 3)
        };
        if (!dateValid(n.year, n.month, n.day)) {
            return error('Tanggal lahir pada NIP (digit 1-8) tidak valid');
        }
        if (n.tmtMonth < 1 || n.tmtMonth > 12 ||
                n.tmtYear * 12 + n.tmtMonth < n.year * 12 + n.month) {
            return error('TMT CPNS pada NIP (digit 9-14) tidak valid');
        }
        if (s.charAt(14) !== '1' && s.charAt(14) !== '2') {
            return error('Digit jenis kelamin pada NIP (digit 15) harus ' +
                    '1 atau 2');
        }
        n.gender = s.charAt(14) === '1' ? 'L' : 'P';
        if (n.sequence === 0) {
            return error('Nomor urut pada NIP (digit 16-18) tidak boleh 000');
        }
        return n;
    }

    /* The Kemendagri province codes pgw_validate.c knows. */
    var PROVINCES = ('11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 ' +
            '51 52 53 61 62 63 64 65 71 72 73 74 75 76 81 82 91 92 93 94 ' +
            '95 96').split(' ');

    /* Province, regency and district, none of them 00. */
    function districtCodeValid(s) {
        return PROVINCES.indexOf(s.substr(0, 2)) >= 0 &&
                s.substr(2, 2) !== '00' && s.substr(4, 2) !== '00';
    }

    function checkNik(s) {
        var nik = compact(s, NUMBER_SEPARATORS);
        var parsed = parseNik(nik);

        if (parsed.error) {
            return parsed;
        }
        if (!districtCodeValid(nik)) {
            return error('Kode wilayah pada NIK (digit 1-6) tidak dikenal');
        }
        return ok(nik);
    }

    function checkNoKk(s) {
        var kk = compact(s, NUMBER_SEPARATORS);

        if (!digitsBetween(kk, 16, 16)) {
            return error('No. Kartu Keluarga harus 16 digit angka');
        }
        if (!districtCodeValid(kk)) {
            return error('Kode wilayah pada No. Kartu Keluarga (digit 1-6) ' +
                    'tidak dikenal');
        }
        return ok(kk);
    }

    /* ------------------------------------------------------------ NPWP */

    /* Luhn (ISO/IEC 7812-1): the last of the n digits is the check
     * digit. */
    function luhnValid(s, n) {
        var sum = 0;
        var i;
        var v;

        for (i = 0; i < n; i++) {
            v = s.charCodeAt(n - 1 - i) - 48;
            if (i % 2 === 1) {
                v = v * 2 > 9 ? v * 2 - 9 : v * 2;
            }
            sum += v;
        }
        return sum % 10 === 0;
    }

    /* 99.999.999.9-999.999: digit 9 makes digits 1-9 Luhn-valid, as
     * pgw_validate.c reads PRODUCT.md. */
    function npwp15Error(s) {
        if (s.substr(0, 9) === '000000000') {
            return 'NPWP 00.000.000.0-000.000 bukan NPWP yang sah';
        }
        if (!luhnValid(s, 9)) {
            return 'NPWP tidak valid: digit pemeriksa (digit ke-9 NPWP 15 ' +
                    'digit) tidak cocok, periksa kembali angkanya';
        }
        return null;
    }

    /* 16 digits: an individual's NIK, or 0 and the old 15 digits. */
    function npwp16Error(s) {
        if (s.charAt(0) === '0') {
            return npwp15Error(s.slice(1));
        }
        if (parseNik(s).error || !districtCodeValid(s)) {
            return 'NPWP 16 digit harus sama dengan NIK (orang pribadi) ' +
                    'atau 0 diikuti NPWP 15 digit';
        }
        return null;
    }

    function checkNpwp(s) {
        var npwp = compact(s, NUMBER_SEPARATORS);
        var message;

        if (!digitsBetween(npwp, 15, 16)) {
            return error('NPWP harus 15 digit (99.999.999.9-999.999) atau ' +
                    '16 digit angka');
        }
        message = npwp.length === 15 ? npwp15Error(npwp) : npwp16Error(npwp);
        return message ? error(message) : ok(npwp);
    }

    /* ------------------------------------- numbers and free identifiers */

    function checkNoRek(s) {
        var rek = compact(s, NUMBER_SEPARATORS);

        return digitsBetween(rek, 1, 12)
            ? ok(rek)
            : error('No. Rek Bank DKI harus berupa angka, paling banyak ' +
                    '12 digit');
    }

    function checkNoBpjs(s) {
        var bpjs = compact(s, NUMBER_SEPARATORS);

        return digitsBetween(bpjs, 13, 13)
            ? ok(bpjs)
            : error('No. BPJS Kesehatan harus 13 digit angka');
    }

    function checkIdentifier(max) {
        return function (s, f) {
            var id = compact(s, NUMBER_SEPARATORS);
            var i;

            for (i = 0; i < id.length; i++) {
                if (!isAlnum(id.charAt(i))) {
                    break;
                }
            }
            if (i < id.length || id.length < 1 || id.length > max) {
                return error(f.label + ' hanya boleh berisi huruf dan ' +
                        'angka, paling banyak ' + max + ' karakter');
            }
            return ok(upper(id));
        };
    }

    /* ---------------------------------------------------------- phones */

    /* The number after the trunk prefix 0 or the country code 62 (one
     * 0 after 62 skipped, for "+62 (0)21 ..."), or null. */
    function nationalNumber(s) {
        if (s.charAt(0) === '0') {
            return s.slice(1);
        }
        if (s.charAt(0) === '+') {
            s = s.slice(1);
        }
        if (s.substr(0, 2) !== '62') {
            return null;
        }
        s = s.slice(2);
        return s.charAt(0) === '0' ? s.slice(1) : s;
    }

    function checkNoHp(s) {
        var n = nationalNumber(compact(s, PHONE_SEPARATORS));

        if (n === null || n.charAt(0) !== '8' || !digitsBetween(n, 9, 12)) {
            return error('Nomor HP harus diawali 08 atau +62 8, 10 sampai ' +
                    '13 digit');
        }
        return ok('0' + n);
    }

    function checkNoTelp(s) {
        var n = nationalNumber(compact(s, PHONE_SEPARATORS));

        if (n !== null && n.charAt(0) === '8') {
            return error('No. Telp untuk telepon rumah atau kantor; nomor ' +
                    'HP diisi pada kolom No. HP');
        }
        if (n === null || !/^[2-9]/.test(n) || !digitsBetween(n, 8, 11)) {
            return error('No. Telp harus diawali kode wilayah (misalnya ' +
                    '021) atau +62, 9 sampai 12 digit');
        }
        return ok('0' + n);
    }

    /* ----------------------------------------------------------- email */

    /* Dot-atom local part (RFC 5322 3.2.3) of at most 64 bytes. */
    function emailLocalValid(s) {
        return s.length >= 1 && s.length <= 64 &&
                /^[0-9A-Za-z!#$%&'*+\-\/=?\^_`{|}~]+(\.[0-9A-Za-z!#$%&'*+\-\/=?\^_`{|}~]+)*$/
                    .test(s);
    }

    /* LDH label (RFC 1035 2.3.1) of 1 to 63 characters. */
    function emailLabelValid(s) {
        return s.length >= 1 && s.length <= 63 &&
                /^[0-9A-Za-z-]+$/.test(s) && s.charAt(0) !== '-' &&
                s.charAt(s.length - 1) !== '-';
    }

    /* Alphabetic, 2 letters or more, or an IDN's xn-- form. */
    function emailTldValid(s) {
        return (s.length > 4 && s.substr(0, 4) === 'xn--') ||
                /^[A-Za-z]{2,}$/.test(s);
    }

    function emailDomainValid(s) {
        var labels = s.split('.');

        return labels.length >= 2 && labels.every(emailLabelValid) &&
                emailTldValid(labels[labels.length - 1]);
    }

    function checkEmail(s) {
        var email;
        var at;

        if (utf8Length(s) > 254) {
            return error('Email terlalu panjang (maksimal 254 karakter)');
        }
        email = lower(s);
        at = email.lastIndexOf('@');
        if (at < 0 || !emailLocalValid(email.slice(0, at)) ||
                !emailDomainValid(email.slice(at + 1))) {
            return error('Email tidak valid, contoh yang benar: ' +
                    'nama@jakarta.go.id');
        }
        return ok(email);
    }

    /* ---------------------------------------------------------- fields */

    /* PGW_DATA_FIELDS of pgw_validate.h: name, label, required, the
     * longest text accepted (bytes), the check. */
    var FIELDS = [
        ['agama', 'Agama', true, 16, checkCode(1, 2)],
        ['jenis_kelamin', 'Jenis Kelamin', true, 8, checkJenisKelamin],
        ['no_taspen', 'No. TASPEN', false, 40, checkIdentifier(18)],
        ['nik', 'NIK', true, 40, checkNik],
        ['no_kk', 'No. Kartu Keluarga', true, 40, checkNoKk],
        ['no_rek_bank_dki', 'No. Rek Bank DKI', true, 40, checkNoRek],
        ['npwp', 'NPWP', true, 40, checkNpwp],
        ['gol_darah', 'Gol. Darah', true, 8, checkGolDarah],
        ['no_telp', 'No. Telp', false, 40, checkNoTelp],
        ['no_hp', 'No. HP', true, 40, checkNoHp],
        ['pendidikan_cpns', 'Pendidikan pada waktu diangkat CPNS', true, 16,
            checkCode(4, 4)],
        ['no_karpeg', 'No. KARPEG', false, 40, checkIdentifier(16)],
        ['no_bpjs', 'No. BPJS Kesehatan', false, 40, checkNoBpjs],
        ['no_karis_karsu', 'No. Kartu Suami/Istri', false, 40,
            checkIdentifier(16)],
        ['email', 'Email', false, 300, checkEmail]
    ].map(function (row) {
        return {name: row[0], label: row[1], required: row[2], max: row[3],
                check: row[4]};
    });

    /* pgw_validate.c's validate(): the bound, the outer white space, the
     * empty field. {value} (null: an optional field left empty) or
     * {error}. */
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

    /* ---------------------------------------------------- cross-checks */

    function pad(n, width) {
        var s = String(n);

        while (s.length < width) {
            s = '0' + s;
        }
        return s;
    }

    function genderName(g) {
        return g === 'P' ? 'perempuan' : 'laki-laki';
    }

    /* pgw_crosscheck_data() on normalised values (null when empty or
     * wrong); the warnings by the field they are shown at. */
    function crossCheck(values, nip) {
        var w = {nik: [], jenis_kelamin: [], npwp: []};
        var n = nip ? parseNip(nip) : null;
        var k = values.nik ? parseNik(values.nik) : null;
        var npwp = values.npwp;

        if (n && !n.error && k && !k.error) {
            if (k.day !== n.day || k.month !== n.month ||
                    k.year2 !== n.year % 100) {
                w.nik.push('Tanggal lahir pada NIK (' + pad(k.day, 2) + '-' +
                        pad(k.month, 2) + '-' + pad(k.year2, 2) + ') tidak ' +
                        'sama dengan tanggal lahir pada NIP (' +
                        pad(n.day, 2) + '-' + pad(n.month, 2) + '-' +
                        pad(n.year, 4) + ')');
            }
            if (k.gender !== n.gender) {
                w.nik.push('Jenis kelamin pada NIK (' +
                        genderName(k.gender) + ') tidak sama dengan NIP (' +
                        genderName(n.gender) + '); pada NIK perempuan, ' +
                        'tanggal lahir ditambah 40');
            }
        }
        if (n && !n.error && values.jenis_kelamin &&
                values.jenis_kelamin !== n.gender) {
            w.jenis_kelamin.push('Jenis kelamin yang dipilih (' +
                    genderName(values.jenis_kelamin) + ') tidak sama ' +
                    'dengan NIP (' + genderName(n.gender) + ')');
        }
        if (npwp && values.nik && npwp.length === 16 &&
                npwp.charAt(0) !== '0' && npwp !== values.nik) {
            w.npwp.push('NPWP 16 digit orang pribadi sama dengan NIK, ' +
                    'tetapi NPWP yang diisi berbeda dari NIK; periksa ' +
                    'kembali keduanya');
        }
        return w;
    }

    /* Node (the comparison with the C validators) takes the rules only. */
    if (typeof module === 'object' && module.exports) {
        module.exports = {fields: FIELDS, validate: validate,
                          crossCheck: crossCheck};
        return;
    }

    /* ------------------------------------------------------------ form */

    function byId(id) {
        return document.getElementById(id);
    }

    /* The controls of a field: one input or select, or its radios. */
    function controlsOf(form, name) {
        var c = form.elements.namedItem(name);

        if (!c) {
            return [];
        }
        return c.length !== undefined && !c.options
            ? Array.prototype.slice.call(c)
            : [c];
    }

    function valueOf(controls) {
        var i;

        for (i = 0; i < controls.length; i++) {
            if (controls[i].type !== 'radio' || controls[i].checked) {
                return controls[i].value;
            }
        }
        return '';
    }

    function isTyped(control) {
        return control.tagName === 'INPUT' && control.type !== 'radio';
    }

    /* A warning paragraph under the field's error, created once: a live
     * region must exist before its text changes to be announced. */
    function warningElement(field) {
        var id = field.name + '-peringatan';
        var p = byId(id);
        var after = byId(field.name + '-galat');

        if (p || !after) {
            return p;
        }
        p = document.createElement('p');
        p.id = id;
        p.className = 'field-warning';
        p.setAttribute('aria-live', 'polite');
        after.parentNode.insertBefore(p, after.nextSibling);
        field.controls.forEach(function (c) {
            var by = c.getAttribute('aria-describedby');

            c.setAttribute('aria-describedby', by ? by + ' ' + id : id);
        });
        return p;
    }

    function showError(field, message) {
        var p = byId(field.name + '-galat');

        if (p) {
            p.textContent = message || '';
        }
        field.controls.forEach(function (c) {
            if (c.type === 'radio') {
                return;
            }
            if (message) {
                c.setAttribute('aria-invalid', 'true');
            }
            else {
                c.removeAttribute('aria-invalid');
            }
        });
    }

    /* A field left by pressing the mouse on something else (SIMPAN, a
     * radio button below it) shows its message only once that click has
     * been delivered: a message appearing between press and release
     * moves everything below it, and the click would land on nothing. */
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

    function start(form) {
        var fields = [];
        var byName = {};
        var nip = form.getAttribute('data-nip') || '';
        var summary = byId('ringkasan-periksa');

        FIELDS.forEach(function (f) {
            var field = {name: f.name, rule: f,
                         controls: controlsOf(form, f.name)};
            var p = byId(f.name + '-galat');

            if (field.controls.length === 0) {
                return;
            }
            /* A message from the server: follow the typing from now on. */
            field.touched = !!(p && p.textContent);
            fields.push(field);
            byName[f.name] = field;
        });

        function check(field, quiet) {
            var r = validate(field.rule, valueOf(field.controls));

            field.result = r;
            if (field.touched && !quiet) {
                showError(field, r.error);
            }
            return r;
        }

        function updateWarnings() {
            var values = {};
            var w;

            ['nik', 'npwp', 'jenis_kelamin'].forEach(function (name) {
                var field = byName[name];

                values[name] = field && field.result ? field.result.value
                    : null;
            });
            w = crossCheck(values, nip);
            Object.keys(w).forEach(function (name) {
                var p = byName[name] && warningElement(byName[name]);
                var text = w[name].join('. ');

                if (p && p.textContent !== text) {
                    p.textContent = text;
                }
            });
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
            summary.firstElementChild.textContent = 'Data belum ' +
                    'dikirim: ' + wrong.length + ' isian perlu ' +
                    'diperbaiki. Pesannya ada di bawah setiap isian ' +
                    'tersebut.';
            summary.hidden = false;
            return wrong;
        }

        function recheck(field) {
            check(field);
            updateWarnings();
            if (summary && !summary.hidden) {
                showSummary();
            }
        }

        fields.forEach(function (field) {
            field.controls.forEach(function (c) {
                if (isTyped(c)) {
                    c.addEventListener('input', function () {
                        field.edited = true;
                        if (field.touched) {
                            recheck(field);
                        }
                    });
                    /* Tabbing through an empty field is no mistake yet:
                     * wajib diisi waits for SIMPAN. */
                    c.addEventListener('blur', function () {
                        field.touched = field.touched || field.edited ||
                                c.value !== '';
                        afterClick(function () {
                            recheck(field);
                        });
                    });
                }
                else {
                    c.addEventListener('change', function () {
                        field.touched = true;
                        recheck(field);
                    });
                }
            });
            /* Quiet: a message the server wrote stays until the field
             * changes (some, like a code missing from the reference
             * table, only the server can know). */
            check(field, true);
        });
        updateWarnings();

        form.addEventListener('submit', function (event) {
            var wrong;

            fields.forEach(function (field) {
                field.touched = true;
                check(field);
            });
            updateWarnings();
            wrong = showSummary();
            if (wrong.length === 0) {
                return;
            }
            event.preventDefault();
            wrong[0].controls[0].focus();
        });

        document.addEventListener('pointerdown', function () {
            pressed = true;
        }, true);
        document.addEventListener('pointerup', released, true);
        document.addEventListener('pointercancel', released, true);

        /* The browser's own bubbles would say it in another way, in the
         * browser's language; these messages replace them. */
        form.noValidate = true;
    }

    /* ------------------------------------------- the long select filter */

    /* Words compared in one spelling: "D.III", "DIII" and "D3" are the
     * same level, SMA and SMU are SLTA, SMP is SLTP. */
    var SAME_WORD = {DI: 'D1', DII: 'D2', DIII: 'D3', DIV: 'D4',
                     SMA: 'SLTA', SMU: 'SLTA', SMP: 'SLTP'};

    function words(s) {
        return upper(s).replace(/[.\-]/g, '').split(/[\s\/,()]+/)
            .filter(function (w) {
                return w !== '';
            })
            .map(function (w) {
                return SAME_WORD[w] || w;
            });
    }

    /* Every word typed starts a word of the option. */
    function matches(typed, optionWords) {
        return typed.every(function (t) {
            return optionWords.some(function (w) {
                return w.indexOf(t) === 0;
            });
        });
    }

    function startFilter(box) {
        var select = byId(box.getAttribute('data-filter-for'));
        var input = box.querySelector('input');
        var status = box.querySelector('.hint');
        var all;

        if (!select || !input) {
            return;
        }
        /* Every option but the first, "Pilih ...". */
        all = Array.prototype.slice.call(select.options, 1).map(
            function (o) {
                return {option: o, words: words(o.text)};
            });

        function apply() {
            var typed = words(input.value);
            var chosen = select.value;
            var shown = all.filter(function (o) {
                return matches(typed, o.words);
            });

            while (select.options.length > 1) {
                select.remove(1);
            }
            /* The choice made stays, even when it does not match: a
             * filter must never change the value sent. */
            all.forEach(function (o) {
                if (shown.indexOf(o) >= 0 ||
                        (chosen !== '' && o.option.value === chosen)) {
                    select.add(o.option);
                }
            });
            select.value = chosen;
            if (typed.length === 0) {
                status.textContent = '';
            }
            else if (shown.length === 0) {
                status.textContent = 'Tidak ada pilihan yang cocok.';
            }
            else {
                status.textContent = shown.length + ' dari ' + all.length +
                        ' pilihan cocok.';
            }
            return shown;
        }

        input.addEventListener('input', apply);
        input.addEventListener('keydown', function (event) {
            var shown;

            /* Enter would send the form: it takes the first match. */
            if (event.key === 'Enter') {
                event.preventDefault();
                shown = apply();
                if (shown.length > 0) {
                    select.value = shown[0].option.value;
                    select.dispatchEvent(new Event('change'));
                }
                select.focus();
            }
            else if (event.key === 'Escape' && input.value !== '') {
                event.preventDefault();
                input.value = '';
                apply();
            }
        });
        box.hidden = false;
    }

    var form = byId('form-data-pegawai');

    if (form) {
        start(form);
        Array.prototype.forEach.call(
            form.querySelectorAll('[data-filter-for]'), startFilter);
    }
}());
