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
 *   - a file over the size limit that is otherwise good (a phone's
 *     12-megapixel photo is 3 to 6 MB) is drawn again at a smaller size
 *     and encoded as a new JPEG in the browser, which then takes the
 *     chosen file's place in the form; the server checks that one as it
 *     checks any other;
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

    /* A photo over the size limit is drawn again with at most this many
     * pixels (1200x1600 at 3:4: twice the stored photo's 600x800), never
     * below the minimum, and encoded at these qualities in turn until it
     * fits. */
    var SHRINK_PIXELS = 1200 * 1600;
    var SHRINK_QUALITIES = [0.9, 0.8, 0.7];

    /* How long SIMPAN waits for the checks of a file, in ms. */
    var READ_PATIENCE = 20000;

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

    /* Whether a script may put a file of its own into the file input
     * (DataTransfer; older browsers cannot). */
    function canReplace() {
        try {
            return typeof DataTransfer === 'function' &&
                    !!new DataTransfer().items;
        }
        catch (e) {
            return false;
        }
    }

    function toJpeg(canvas, quality) {
        return new Promise(function (resolve) {
            canvas.toBlob(resolve, 'image/jpeg', quality);
        });
    }

    /* The bitmap drawn again at most SHRINK_PIXELS (never below the
     * minimum size) and encoded as JPEG until it fits the size limit:
     * {file, width, height}, the file null when nothing fits. */
    function shrink(bitmap, rules, name) {
        var w = bitmap.width;
        var h = bitmap.height;
        var scale = Math.min(1, Math.sqrt(SHRINK_PIXELS / (w * h)));
        var out = document.createElement('canvas');
        var ctx;
        var base = (name || 'foto').replace(/\.[^.]*$/, '');

        scale = Math.max(scale, rules.minWidth / w, rules.minHeight / h);
        out.width = Math.max(1, Math.round(w * scale));
        out.height = Math.max(1, Math.round(h * scale));
        ctx = out.getContext('2d');
        /* A PNG's transparency becomes white, as on the server. */
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(bitmap, 0, 0, out.width, out.height);

        function attempt(i) {
            if (i >= SHRINK_QUALITIES.length) {
                return Promise.resolve({file: null});
            }
            return toJpeg(out, SHRINK_QUALITIES[i]).then(function (blob) {
                if (!blob || blob.size > rules.maxBytes) {
                    return attempt(i + 1);
                }
                return {
                    file: new File([blob], base + '.jpg',
                                   {type: 'image/jpeg'}),
                    width: out.width,
                    height: out.height
                };
            });
        }
        return attempt(0);
    }

    /* The checks of one file, in pgw_image.c's order; stops at the
     * first broken rule as the server does. */
    function examine(file, rules, canvas) {
        var checks = [];

        return file.slice(0, 16).arrayBuffer().then(function (head) {
            var size;

            checks.push(checkType(rules, new Uint8Array(head)));
            if (firstBroken(checks)) {
                return {checks: checks, drawn: false};
            }
            size = checkSize(rules, file.size);
            /* Too large may still be shrunk here: only with a JPEG to
             * send and a way to put it in the form. */
            if (size.kind === 'galat' && !(rules.jpeg && canReplace())) {
                checks.push(size);
                return {checks: checks, drawn: false};
            }
            return decode(file).then(function (bitmap) {
                var pixels = checkPixels(rules, bitmap.width, bitmap.height);
                var result = {checks: checks, drawn: true};

                draw(canvas, bitmap);
                canvas.setAttribute('aria-label', 'Pratinjau foto yang ' +
                        'dipilih, ' + bitmap.width + 'x' + bitmap.height +
                        ' piksel, dengan bingkai 3:4');
                if (size.kind !== 'galat' || firstBroken(pixels)) {
                    checks.push(size);
                    checks.push.apply(checks, pixels);
                    if (bitmap.close) {
                        bitmap.close();
                    }
                    return result;
                }
                return shrink(bitmap, rules, file.name).then(function (s) {
                    checks.push(s.file
                        ? ok('Ukuran file ' + fileSize(file.size) +
                             ', lebih dari ' + rules.sizeText + ': ' +
                             'diperkecil di peramban menjadi ' +
                             fileSize(s.file.size) + ' (' + s.width + 'x' +
                             s.height + ' piksel) sebelum dikirim')
                        : size);
                    checks.push.apply(checks, pixels);
                    result.replacement = s.file;
                    return result;
                }).finally(function () {
                    if (bitmap.close) {
                        bitmap.close();
                    }
                });
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
        var reading = 0; /* when a chosen file began to be checked */
        var sendWhenRead = false; /* SIMPAN was pressed meanwhile */

        if (!form || !input || !box || !canvas || !list ||
                !window.createImageBitmap || !canvas.getContext) {
            return;
        }
        rules = readRules(form, input);

        function holdBack(wrong) {
            if (summary) {
                summary.firstElementChild.textContent = 'Foto belum ' +
                        'dikirim: ' + wrong.text + '. Pilih foto lain ' +
                        'yang memenuhi syarat.';
                summary.hidden = false;
                summary.scrollIntoView({block: 'center'});
            }
            input.focus();
        }

        function read(result) {
            var dt;

            reading = 0;
            current = result.checks;
            if (result.replacement) {
                /* The shrunk JPEG takes the chosen file's place; setting
                 * files fires no change event. */
                dt = new DataTransfer();
                dt.items.add(result.replacement);
                input.files = dt.files;
            }
            canvas.hidden = !result.drawn;
            box.classList.toggle('pratinjau-tanpa-gambar', !result.drawn);
            showChecks(list, current);
            if (sendWhenRead) {
                sendWhenRead = false;
                if (firstBroken(current)) {
                    holdBack(firstBroken(current));
                }
                else {
                    form.submit(); /* no submit event: checked above */
                }
            }
        }

        input.addEventListener('change', function () {
            var file = input.files && input.files[0];
            var mine = ++generation;

            current = null;
            sendWhenRead = false;
            if (summary) {
                summary.hidden = true;
            }
            if (!file) {
                reading = 0;
                box.hidden = true;
                return;
            }
            /* The server's message was about the previous file. */
            if (serverError) {
                serverError.hidden = true;
            }
            reading = Date.now();
            box.hidden = false;
            canvas.hidden = true;
            showChecks(list, [{kind: 'tunggu', text: 'Memeriksa foto...'}]);
            examine(file, rules, canvas).then(function (result) {
                if (mine === generation) {
                    read(result);
                }
            }, function () {
                /* Whatever failed here, the server decides. */
                if (mine === generation) {
                    read({checks: [], drawn: false});
                }
            });
        });

        form.addEventListener('submit', function (event) {
            var wrong = current && firstBroken(current);

            if (reading && Date.now() - reading < READ_PATIENCE) {
                /* Sent once the checks (and a shrunk copy) are ready;
                 * a browser that never finishes does not keep it. */
                event.preventDefault();
                sendWhenRead = true;
                return;
            }
            if (wrong) {
                event.preventDefault();
                holdBack(wrong);
            }
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    }
    else {
        init();
    }
}());
