/* Portal Pegawai: Upload Foto in the browser (akun_foto.html).
 *
 * When a file is chosen:
 *   - it is drawn on the page's canvas with the 3:4 frame of the profile
 *     over it (the profile shows the photo cropped to 3:4). A canvas,
 *     not an <img> of a blob: URL, because the Content-Security-Policy
 *     allows images from the portal only (img-src 'self'), and drawing
 *     on a canvas is not an image load;
 *   - the rules the page states are checked, as mod_pegawai/pgw_image.c
 *     checks them and in its order, with its messages: the type from the
 *     file's first bytes, the size, then the pixel dimensions of the
 *     decoded image (EXIF orientation applied, as the server does);
 *   - SIMPAN is held back while one of those rules is broken.
 *
 * The rules come from the form's data-aturan-* attributes, the texts
 * the page shows ("2.0 MB", "300x400", "3:4 atau 2:3"), and the types
 * from the file input's accept list. The aspect tolerance is not on the
 * page: the default of PegawaiPhotoAspect (5%) is assumed, so a wrong
 * aspect is only a warning here and never holds SIMPAN back.
 *
 * Everything works without this file: the form is a plain multipart
 * POST and the server checks every rule again, with the same messages.
 */
(function () {
    'use strict';

    var ASPECT_TOLERANCE = 5; /* percent, PegawaiPhotoAspect's default */

    /* The page shows the size limit rounded to 0.1 MB ("%.1f MB"):
     * only a file clearly over it is refused here. */
    var MB = 1024 * 1024;
    var SIZE_SLACK = 0.05 * MB;

    /* Preview canvas, in device pixels: enough for 15rem at 2x. */
    var PREVIEW_MAX_W = 480;
    var PREVIEW_MAX_H = 640;

    function byId(id) {
        return document.getElementById(id);
    }

    /* ------------------------------------------------------------ rules */

    function readRules(form, input) {
        var accept = (input.getAttribute('accept') || '').toLowerCase();
        var size = /([0-9]+(?:\.[0-9]+)?)\s*MB/.exec(
            form.getAttribute('data-aturan-ukuran') || '');
        var pixels = /([0-9]+)\s*x\s*([0-9]+)/.exec(
            form.getAttribute('data-aturan-piksel') || '');
        var ratio = /([0-9]+):([0-9]+)/g;
        var ratios = form.getAttribute('data-aturan-rasio') || '';
        var rules = {
            jpeg: accept === '' || accept.indexOf('image/jpeg') >= 0,
            png: accept === '' || accept.indexOf('image/png') >= 0,
            typesText: form.getAttribute('data-aturan-jenis') ||
                    'JPEG atau PNG',
            maxBytes: size ? parseFloat(size[1]) * MB : 0,
            sizeText: size ? size[0] : '',
            minWidth: pixels ? parseInt(pixels[1], 10) : 0,
            minHeight: pixels ? parseInt(pixels[2], 10) : 0,
            portrait: !!form.getAttribute('data-aturan-tegak'),
            aspects: [],
            aspectsText: ratios
        };
        var m;

        while ((m = ratio.exec(ratios)) !== null) {
            rules.aspects.push([parseInt(m[1], 10), parseInt(m[2], 10)]);
        }
        return rules;
    }

    function startsWith(bytes, signature) {
        var i;

        if (bytes.length < signature.length) {
            return false;
        }
        for (i = 0; i < signature.length; i++) {
            if (bytes[i] !== signature[i]) {
                return false;
            }
        }
        return true;
    }

    function ascii(s) {
        return Array.from(s, function (c) {
            return c.charCodeAt(0);
        });
    }

    /* pgw_image_type(): a JPEG starts with SOI and a marker, a PNG with
     * its signature; other_type_name() names what people try instead. */
    function sniff(bytes) {
        if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
            return 'JPEG';
        }
        if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a,
                               0x0a])) {
            return 'PNG';
        }
        if (startsWith(bytes, ascii('GIF87a')) ||
                startsWith(bytes, ascii('GIF89a'))) {
            return 'GIF';
        }
        if (startsWith(bytes, ascii('RIFF')) &&
                startsWith(bytes.slice(8), ascii('WEBP'))) {
            return 'WebP';
        }
        if (startsWith(bytes.slice(4), ascii('ftyp'))) {
            return 'HEIC/HEIF';
        }
        if (startsWith(bytes, ascii('II*\u0000')) ||
                startsWith(bytes, ascii('MM\u0000*'))) {
            return 'TIFF';
        }
        if (startsWith(bytes, ascii('BM'))) {
            return 'BMP';
        }
        if (startsWith(bytes, ascii('%PDF'))) {
            return 'PDF';
        }
        return null;
    }

    function fileSize(n) {
        return n < MB ? Math.ceil(n / 1024) + ' KB'
            : (n / MB).toFixed(1) + ' MB';
    }

    function ok(text) {
        return {kind: 'ok', text: text};
    }

    function broken(text) {
        return {kind: 'galat', text: text};
    }

    function warning(text) {
        return {kind: 'peringatan', text: text};
    }

    function checkType(rules, bytes) {
        var type = sniff(bytes);

        if ((type === 'JPEG' && rules.jpeg) || (type === 'PNG' &&
                rules.png)) {
            return ok('Jenis file ' + type);
        }
        if (type === null) {
            return broken('berkas bukan foto ' + rules.typesText);
        }
        return broken('jenis berkas ' + type + ' tidak diterima, hanya ' +
                rules.typesText);
    }

    function checkSize(rules, bytes) {
        if (rules.maxBytes && bytes > rules.maxBytes + SIZE_SLACK) {
            return broken('ukuran berkas ' + fileSize(bytes) +
                    ', maksimal ' + rules.sizeText);
        }
        return ok('Ukuran file ' + fileSize(bytes));
    }

    /* aspect_ok(): within the tolerance of one of the ratios. */
    function aspectOk(rules, w, h) {
        return rules.aspects.length === 0 || rules.aspects.some(function (a) {
            return Math.abs(w * a[1] - h * a[0]) * 100 <=
                    a[0] * h * ASPECT_TOLERANCE;
        });
    }

    /* check_rules(), in its order. */
    function checkPixels(rules, w, h) {
        var found = [];
        var dims = w + 'x' + h;

        if (w < rules.minWidth || h < rules.minHeight) {
            return [broken('foto ' + dims + ' piksel, minimal ' +
                    rules.minWidth + 'x' + rules.minHeight)];
        }
        found.push(ok('Ukuran foto ' + dims + ' piksel'));
        if (rules.portrait) {
            if (h <= w) {
                found.push(broken('foto ' + dims + ' piksel tidak tegak ' +
                        '(potret): tinggi harus lebih besar dari lebar'));
                return found;
            }
            found.push(ok('Tegak (potret)'));
        }
        if (rules.aspects.length) {
            found.push(aspectOk(rules, w, h)
                ? ok('Perbandingan sisi mendekati ' + rules.aspectsText)
                : warning('perbandingan sisi foto ' + dims + ' piksel ' +
                        'tidak mendekati ' + rules.aspectsText +
                        '; foto kemungkinan ditolak saat disimpan'));
        }
        return found;
    }

    /* ------------------------------------------------------------ image */

    /* The decoded image, turned as its EXIF orientation says (the
     * server applies it before checking). Browsers that do not know the
     * option refuse it with a TypeError; their default is tried then. */
    function decode(file) {
        return createImageBitmap(file, {imageOrientation: 'from-image'})
            .catch(function (e) {
                if (e && e.name === 'TypeError') {
                    return createImageBitmap(file);
                }
                throw e;
            });
    }

    /* The largest 3:4 rectangle centred in w x h. */
    function frame34(w, h) {
        var fw = w;
        var fh = w * 4 / 3;

        if (fh > h) {
            fh = h;
            fw = h * 3 / 4;
        }
        return {x: (w - fw) / 2, y: (h - fh) / 2, w: fw, h: fh};
    }

    function draw(canvas, bitmap) {
        var scale = Math.min(1, PREVIEW_MAX_W / bitmap.width,
                             PREVIEW_MAX_H / bitmap.height);
        var w = Math.max(1, Math.round(bitmap.width * scale));
        var h = Math.max(1, Math.round(bitmap.height * scale));
        var ctx;
        var f;
        var line = Math.max(2, Math.round(w / 160));

        canvas.width = w;
        canvas.height = h;
        ctx = canvas.getContext('2d');
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(bitmap, 0, 0, w, h);

        /* Outside the frame dimmed; the frame drawn dark and light, so
         * that it shows on any photo, also when it is the whole photo. */
        f = frame34(w, h);
        ctx.fillStyle = 'rgba(7, 40, 83, 0.6)';
        ctx.beginPath();
        ctx.rect(0, 0, w, h);
        ctx.rect(f.x, f.y, f.w, f.h);
        ctx.fill('evenodd');
        ctx.lineWidth = line;
        ctx.strokeStyle = 'rgba(7, 40, 83, 0.8)';
        ctx.strokeRect(f.x + line / 2, f.y + line / 2, f.w - line,
                       f.h - line);
        ctx.strokeStyle = '#ffffff';
        ctx.strokeRect(f.x + line * 1.5, f.y + line * 1.5, f.w - line * 3,
                       f.h - line * 3);
    }

    /* ------------------------------------------------------------ page */

    var STATUS_WORD = {ok: 'Sesuai: ', galat: 'Tidak sesuai: ',
                       peringatan: 'Perhatian: ', tunggu: ''};

    function showChecks(list, checks) {
        list.textContent = '';
        checks.forEach(function (c) {
            var li = document.createElement('li');
            var word = document.createElement('span');

            li.className = 'periksa-' + c.kind;
            word.className = 'visually-hidden';
            word.textContent = STATUS_WORD[c.kind];
            li.appendChild(word);
            /* A line of its own: the server's clause starts a sentence. */
            li.appendChild(document.createTextNode(
                c.text.charAt(0).toUpperCase() + c.text.slice(1)));
            list.appendChild(li);
        });
    }

    function firstBroken(checks) {
        var i;

        for (i = 0; i < checks.length; i++) {
            if (checks[i].kind === 'galat') {
                return checks[i];
            }
        }
        return null;
    }

    /* The checks of one file, in pgw_image.c's order; stops at the
     * first broken rule as the server does. */
    function examine(file, rules, canvas) {
        var checks = [];

        return file.slice(0, 16).arrayBuffer().then(function (head) {
            checks.push(checkType(rules, new Uint8Array(head)));
            checks.push(checkSize(rules, file.size));
            if (firstBroken(checks)) {
                return {checks: checks, drawn: false};
            }
            return decode(file).then(function (bitmap) {
                draw(canvas, bitmap);
                checks = checks.concat(checkPixels(rules, bitmap.width,
                                                   bitmap.height));
                canvas.setAttribute('aria-label', 'Pratinjau foto yang ' +
                        'dipilih, ' + bitmap.width + 'x' + bitmap.height +
                        ' piksel, dengan bingkai 3:4');
                if (bitmap.close) {
                    bitmap.close();
                }
                return {checks: checks, drawn: true};
            }, function () {
                /* The server's decoder is the one that counts. */
                checks.push(warning('peramban tidak dapat membaca isi ' +
                        'foto ini; server akan memeriksanya saat ' +
                        'disimpan'));
                return {checks: checks, drawn: false};
            });
        });
    }

    function init() {
        var form = byId('form-foto');
        var input = form && form.querySelector('input[type="file"]');
        var box = byId('pratinjau');
        var canvas = byId('pratinjau-kanvas');
        var list = byId('periksa');
        var summary = byId('ringkasan-periksa');
        var serverError = byId('ringkasan-galat');
        var rules;
        var current = null; /* the checks of the chosen file, once known */
        var generation = 0;

        if (!form || !input || !box || !canvas || !list ||
                !window.createImageBitmap || !canvas.getContext) {
            return;
        }
        rules = readRules(form, input);

        input.addEventListener('change', function () {
            var file = input.files && input.files[0];
            var mine = ++generation;

            current = null;
            if (summary) {
                summary.hidden = true;
            }
            if (!file) {
                box.hidden = true;
                return;
            }
            /* The server's message was about the previous file. */
            if (serverError) {
                serverError.hidden = true;
            }
            box.hidden = false;
            canvas.hidden = true;
            showChecks(list, [{kind: 'tunggu', text: 'Memeriksa foto...'}]);
            examine(file, rules, canvas).then(function (result) {
                if (mine !== generation) {
                    return;
                }
                current = result.checks;
                canvas.hidden = !result.drawn;
                box.classList.toggle('pratinjau-tanpa-gambar',
                                     !result.drawn);
                showChecks(list, current);
            });
        });

        form.addEventListener('submit', function (event) {
            var wrong = current && firstBroken(current);

            if (!wrong) {
                return; /* also while a file is still being read */
            }
            event.preventDefault();
            if (summary) {
                summary.firstElementChild.textContent = 'Foto belum ' +
                        'dikirim: ' + wrong.text + '. Pilih foto lain ' +
                        'yang memenuhi syarat.';
                summary.hidden = false;
                summary.scrollIntoView({block: 'center'});
            }
            input.focus();
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    }
    else {
        init();
    }
}());
