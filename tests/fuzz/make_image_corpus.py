#!/usr/bin/python3
"""Writes the seed corpus of fuzz_image (tests/fuzz/corpus/fuzz_image/):
small JPEG, PNG and GIF files, good and hostile, each under 20 KB.

The pictures are drawn here, 48x64 and the same on every run: a red to
blue gradient and a noisy "photo" (a fixed seed). Pillow saves the good
files and the hostile ones are crafted from them. Some seeds need what
Debian 12's Pillow 9.4 cannot write, so this script encodes them itself:

- PNG with 16-bit samples or Adam7 interlacing (png_bytes, PNG spec
  sections 7.2 and 8.2);
- a baseline JPEG with a restart marker after every MCU (with_restarts,
  ITU T.81 B.2.4.4 and F.1.2.1): Pillow's JPEG writer has no restart
  option, so Pillow's file is re-encoded with its own tables.

Needs only /usr/bin/python3 and python3-pil. Run again to regenerate; the
output is committed. `make_image_corpus.py --large DIR` writes the same
files into DIR with the seeds too large to commit (a progressive JPEG
with thousands of scans), which make test-fuzz replays from build/."""
import io
import math
import os
import random
import struct
import sys
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   'corpus', 'fuzz_image')
WIDTH, HEIGHT = 48, 64


# ------------------------------------------------------------- pictures

def gradient(maxval):
    """Rows of RGB pixels, red at the top to blue at the bottom."""
    rows = []
    for y in range(HEIGHT):
        blue = round(maxval * y / (HEIGHT - 1))
        rows.append([(maxval - blue, 0, blue)] * WIDTH)
    return rows


def photo():
    """Rows of RGB pixels: smooth shapes under grain, like a small photo,
    so that JPEG blocks carry many coefficients. random() is the one
    generator Python keeps reproducible for a given seed."""
    rng = random.Random(7)
    rows = []
    for y in range(HEIGHT):
        row = []
        for x in range(WIDTH):
            face = 70 * math.cos(math.hypot(x - 24, y - 26) / 7)
            smooth = (130 + face + 40 * math.sin(x / 5),
                      110 + face + 50 * math.sin((x + y) / 9),
                      100 + 0.5 * face + 60 * math.cos(y / 6))
            row.append(tuple(max(0, min(255, round(v + 60 * rng.random()
                                                   - 30)))
                             for v in smooth))
        rows.append(row)
    return rows


def pillow_image(rows):
    im = Image.new('RGB', (WIDTH, HEIGHT))
    im.putdata([px for row in rows for px in row])
    return im


def save(im, fmt, **options):
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


# ----------------------------------------------------------------- JPEG

def jpeg_segments(data):
    """(marker, start, end) of each segment up to the first SOS."""
    pos, segs = 2, []
    while data[pos] == 0xff:
        marker = data[pos + 1]
        end = pos + 2 + struct.unpack('>H', data[pos + 2:pos + 4])[0]
        segs.append((marker, pos, end))
        if marker == 0xda:
            break
        pos = end
    return segs


def strip_app(data):
    """The JPEG without its APPn and COM segments (the JFIF APP0 stays),
    so that a crafted segment is the only one."""
    out = bytearray(data[:2])
    for marker, start, end in jpeg_segments(data):
        if marker == 0xda:
            out += data[start:]
            break
        if marker == 0xe0 or not (0xe1 <= marker <= 0xef or marker == 0xfe):
            out += data[start:end]
    return bytes(out)


def with_segment(data, marker, payload):
    data = strip_app(data)
    seg = bytes([0xff, marker]) + struct.pack('>H', len(payload) + 2) + payload
    return data[:2] + seg + data[2:]


def exif(orientation, big_endian, gps=True):
    e = '>' if big_endian else '<'
    head = ((b'MM\0\x2a' if big_endian else b'II\x2a\0')
            + struct.pack(e + 'I', 8))
    entries = [struct.pack(e + 'HHIHH', 0x0112, 3, 1, orientation, 0)]
    if gps:
        entries.append(struct.pack(e + 'HHII', 0x8825, 4, 1,
                                   8 + 2 + 12 * 2 + 4))
    ifd0 = struct.pack(e + 'H', len(entries)) + b''.join(entries) + b'\0' * 4
    gps_ifd = (struct.pack(e + 'H', 1)
               + struct.pack(e + 'HHI', 1, 2, 2) + b'S\0\0\0' + b'\0' * 4)
    return b'Exif\0\0' + head + ifd0 + (gps_ifd if gps else b'')


def many_scans(prog, copies):
    sos = [s for s in jpeg_segments(prog) if s[0] == 0xda][0]
    pos = sos[2]
    while not (prog[pos] == 0xff and prog[pos + 1] not in
               (0, *range(0xd0, 0xd8))):
        pos += 1
    scan = prog[sos[1]:pos]
    return prog[:pos] + scan * copies + prog[pos:]


# ZIGZAG[k] is the row-major index of the k-th coefficient in zigzag
# order (T.81 figure A.6): diagonals in turn, alternating direction.
ZIGZAG = sorted(range(64), key=lambda i: (
    i // 8 + i % 8, i // 8 if (i // 8 + i % 8) % 2 else -(i // 8)))

# DCT[u][x]: the 8-point DCT basis of T.81 A.3.3, C(u)/2 * cos(...).
DCT = [[(math.sqrt(0.5) if u == 0 else 1) / 2
        * math.cos((2 * x + 1) * u * math.pi / 16) for x in range(8)]
       for u in range(8)]


def jpeg_tables(data):
    """From a baseline JPEG's headers: quantization tables (zigzag order)
    by id, Huffman codes {(class, id): {symbol: bit string}} (T.81 C.2),
    and per component its (quantization, DC, AC) table ids."""
    quant, huff, quant_of, comps = {}, {}, {}, []
    for marker, start, end in jpeg_segments(data):
        seg = data[start + 4:end]
        if marker == 0xdb:
            for at in range(0, len(seg), 65):
                assert seg[at] >> 4 == 0, '8-bit quantization only'
                quant[seg[at] & 15] = seg[at + 1:at + 65]
        elif marker == 0xc4:
            at = 0
            while at < len(seg):
                counts = seg[at + 1:at + 17]
                symbols = seg[at + 17:at + 17 + sum(counts)]
                huff[seg[at] >> 4, seg[at] & 15] = huffman_codes(counts,
                                                                 symbols)
                at += 17 + sum(counts)
        elif marker == 0xc0:
            for at in range(6, len(seg), 3):
                assert seg[at + 1] == 0x11, '4:4:4 only'
                quant_of[seg[at]] = seg[at + 2]
        elif marker == 0xda:
            for at in range(1, 1 + 2 * seg[0], 2):
                comps.append((quant_of[seg[at]], seg[at + 1] >> 4,
                              seg[at + 1] & 15))
    return quant, huff, comps


def huffman_codes(counts, symbols):
    codes, code, n = {}, 0, 0
    for length, count in enumerate(counts, 1):
        for _ in range(count):
            codes[symbols[n]] = format(code, f'0{length}b')
            code, n = code + 1, n + 1
        code <<= 1
    return codes


def quantized_block(plane, bx, by, qtable):
    """The 8x8 block at (bx, by) of a sample plane, level-shifted,
    transformed and quantized, in zigzag order."""
    f = [[plane[(by + y) * WIDTH + bx + x] - 128 for x in range(8)]
         for y in range(8)]
    rows = [[sum(DCT[u][x] * f[y][x] for x in range(8)) for u in range(8)]
            for y in range(8)]
    coef = [sum(DCT[v][y] * rows[y][u] for y in range(8))
            for v in range(8) for u in range(8)]
    return [round(coef[ZIGZAG[k]] / qtable[k]) for k in range(64)]


def magnitude(value):
    """Size category and the extra bits of a coefficient (T.81 F.1.2.1:
    a negative value is sent as its ones' complement)."""
    size = abs(value).bit_length()
    if size == 0:
        return 0, ''
    return size, format(value if value > 0 else value + (1 << size) - 1,
                        f'0{size}b')


def huffman_block(zz, dc_codes, ac_codes):
    """The bits of one block whose DC prediction is 0, as it is after a
    restart (T.81 F.1.2.1 for DC, F.1.2.2 for the AC run lengths)."""
    size, extra = magnitude(zz[0])
    out = [dc_codes[size], extra]
    last = max([k for k in range(1, 64) if zz[k]], default=0)
    run = 0
    for value in zz[1:last + 1]:
        if value == 0:
            run += 1
            continue
        while run > 15:
            out.append(ac_codes[0xf0])
            run -= 16
        size, extra = magnitude(value)
        out += [ac_codes[run << 4 | size], extra]
        run = 0
    if last < 63:
        out.append(ac_codes[0x00])
    return ''.join(out)


def with_restarts(data, im):
    """Pillow's baseline 4:4:4 JPEG of im encoded again, with the same
    tables, as one restart interval per MCU: a DRI segment before the
    scan, RSTn markers between MCUs, each interval byte-aligned with
    1-bits and its DC predictions back at 0 (T.81 B.2.4.4, E.1.4)."""
    quant, huff, comps = jpeg_tables(data)
    planes = [band.tobytes() for band in im.convert('YCbCr').split()]
    entropy = bytearray()
    for n in range(WIDTH * HEIGHT // 64):
        by, bx = divmod(n, WIDTH // 8)
        bits = ''.join(
            huffman_block(quantized_block(plane, bx * 8, by * 8, quant[q]),
                          huff[0, dc], huff[1, ac])
            for plane, (q, dc, ac) in zip(planes, comps))
        bits += '1' * (-len(bits) % 8)
        for at in range(0, len(bits), 8):
            byte = int(bits[at:at + 8], 2)
            entropy += bytes([byte, 0]) if byte == 0xff else bytes([byte])
        if n < WIDTH * HEIGHT // 64 - 1:
            entropy += bytes([0xff, 0xd0 + n % 8])
    sos = jpeg_segments(data)[-1]
    dri = b'\xff\xdd' + struct.pack('>HH', 4, 1)
    return (data[:sos[1]] + dri + data[sos[1]:sos[2]] + bytes(entropy)
            + b'\xff\xd9')


# ------------------------------------------------------------------ PNG

def png_chunk(kind, payload):
    return (struct.pack('>I', len(payload)) + kind + payload
            + struct.pack('>I', zlib.crc32(kind + payload)))


def png_insert_before_idat(data, chunks):
    at = data.index(b'IDAT') - 4
    return data[:at] + chunks + data[at:]


# Adam7 passes (PNG spec 8.2): first column, first row, column step, row
# step.
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def png_filter(lines, bpp):
    """Each line of a pass filtered by the type its index gives modulo 5,
    None, Sub, Up, Average and Paeth in turn (PNG spec 9.2), so that
    every unfiltering path of the decoder runs on the seed."""
    out, prev = bytearray(), bytes(len(lines[0]))
    for n, line in enumerate(lines):
        kind = n % 5
        out.append(kind)
        for i, x in enumerate(line):
            a = line[i - bpp] if i >= bpp else 0
            c = prev[i - bpp] if i >= bpp else 0
            pred = (0, a, prev[i], (a + prev[i]) // 2,
                    paeth(a, prev[i], c))[kind]
            out.append((x - pred) & 0xff)
        prev = line
    return bytes(out)


def png_bytes(rows, depth, color_type, interlaced=False, after_idat=b''):
    """A PNG of rows of pixels (tuples of samples, 8 or 16 bits), for
    what Pillow does not write: 16-bit samples and Adam7 interlacing."""
    channels = len(rows[0][0])
    bpp = channels * depth // 8
    sample = 'H' if depth == 16 else 'B'
    raw = b''
    for x0, y0, dx, dy in ADAM7 if interlaced else ((0, 0, 1, 1),):
        lines = [struct.pack(f'>{channels * len(row[x0::dx])}{sample}',
                             *[s for px in row[x0::dx] for s in px])
                 for row in rows[y0::dy]]
        if lines and lines[0]:
            raw += png_filter(lines, bpp)
    ihdr = struct.pack('>IIBBBBB', len(rows[0]), len(rows), depth,
                       color_type, 0, 0, int(interlaced))
    return (b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', ihdr)
            + png_chunk(b'IDAT', zlib.compress(raw, 9)) + after_idat
            + png_chunk(b'IEND', b''))


def png_ancillary():
    """The chunks a camera or an editor adds around the pixels (PNG spec
    11.3), so that libpng's readers of them run on the seeds: gamma 1/2.2,
    sRGB chromaticities, a white background, a fixed time and a text."""
    info = PngInfo()
    info.add(b'gAMA', struct.pack('>I', 45455))
    info.add(b'cHRM', struct.pack('>8I', 31270, 32900, 64000, 33000,
                                  30000, 60000, 15000, 6000))
    info.add(b'bKGD', struct.pack('>3H', 255, 255, 255))
    info.add(b'tIME', struct.pack('>H5B', 2024, 1, 2, 3, 4, 5))
    info.add(b'tEXt', b'Software\0make_image_corpus.py')
    return info


def icc_bomb(size):
    """An ICC profile of size bytes that libpng accepts (ICC.1:2010
    section 7.2: its size, 'acsp', a class, colour space and PCS, the D50
    illuminant, no tags), the rest zeros: a few KB once compressed."""
    head = bytearray(132)
    head[0:4] = struct.pack('>I', size)
    head[8:10] = b'\x02\x10'
    head[12:24] = b'mntrRGB XYZ '
    head[36:40] = b'acsp'
    head[68:80] = struct.pack('>3I', 0xf6d6, 0x10000, 0xd32d)
    return bytes(head) + bytes(size - len(head))


def png_bombs(png):
    """Ancillary chunks past libpng's limits (pgw_image_png.c): a zTXt
    and an iCCP that decompress to megabytes, and more text chunks than
    it keeps."""
    ztxt = png_chunk(b'zTXt', b'Comment\0\0'
                     + zlib.compress(b'a' * 7000000, 9))
    iccp = png_chunk(b'iCCP', b'bom\0\0' + zlib.compress(icc_bomb(4000000),
                                                         9))
    texts = b''.join(png_chunk(b'tEXt', b'Catatan%d\0' % i + b'b' * 40)
                     for i in range(100))
    return {'png_ztxt_bomb': png_insert_before_idat(png, ztxt),
            'png_iccp_bomb': png_insert_before_idat(png, iccp),
            'png_many_text': png_insert_before_idat(png, texts)}


def png_with_size(png, width, height):
    """The PNG with its IHDR claiming another size, CRC mended."""
    ihdr = b'IHDR' + struct.pack('>II', width, height) + png[24:29]
    return png[:12] + ihdr + struct.pack('>I', zlib.crc32(ihdr)) + png[33:]


def png_cut_in_idat(png):
    """The PNG cut halfway through its pixel data."""
    at = png.index(b'IDAT')
    length = struct.unpack('>I', png[at - 4:at])[0]
    return png[:at + 4 + length // 2]


# ----------------------------------------------------------------- main

def large_seeds(prog):
    """Seeds over 20 KB, written only with --large: the first scan of a
    progressive JPEG repeated 3000 times, as an upload would carry to
    make the decoder go over the coefficients again and again (the scan
    limit, PRODUCT.md's "thousands of scans")."""
    return {'jpeg_thousands_of_scans': many_scans(prog, 3000)}


def main(out=OUT, large=False):
    os.makedirs(out, exist_ok=True)
    grad = pillow_image(gradient(255))
    gray = grad.convert('L')
    base = save(grad, 'JPEG', quality=80)
    prog = save(grad, 'JPEG', progressive=True)
    png = save(grad, 'PNG', pnginfo=png_ancillary())
    photo_im = pillow_image(photo())
    photo_jpeg = with_restarts(save(photo_im, 'JPEG', quality=90,
                                    subsampling=0), photo_im)
    grad16 = gradient(65535)
    files = {
        'jpeg_baseline': base,
        'jpeg_progressive': prog,
        'jpeg_gray': save(gray, 'JPEG'),
        'jpeg_cmyk': save(grad.convert('CMYK'), 'JPEG'),
        'jpeg_444_restart': photo_jpeg,
        'jpeg_exif_be_6_gps': with_segment(base, 0xe1, exif(6, True)),
        'jpeg_exif_le_8': with_segment(base, 0xe1, exif(8, False, False)),
        'jpeg_comment_html': with_segment(
            base, 0xfe, b'<html><script>alert(1)</script></html>'),
        'jpeg_truncated': photo_jpeg[:len(photo_jpeg) * 2 // 3],
        'jpeg_many_scans': many_scans(prog, 40),
        'png_rgb': png,
        'png_rgba16': png_bytes([[px + (32768,) for px in row]
                                 for row in grad16], 16, 6),
        'png_palette_trns': save(grad.quantize(8), 'PNG', bits=8,
                                 transparency=b'\0\x80'),
        'png_gray_interlaced': png_bytes(
            [[(gray.getpixel((x, y)),) for x in range(WIDTH)]
             for y in range(HEIGHT)], 8, 0, interlaced=True),
        'png_gray_1bit': save(gray.convert('1'), 'PNG'),
        'png_text': png_bytes(grad16, 16, 2, after_idat=png_chunk(
            b'zTXt', b'comment\0\0' + zlib.compress(b'zTXt ' * 50, 9))),
        'png_animated': png_insert_before_idat(
            png, png_chunk(b'acTL', struct.pack('>II', 1, 0))
            + png_chunk(b'fcTL', struct.pack('>IIIIIHHBB', 0, 48, 64, 0, 0,
                                             1, 10, 0, 0))),
        'png_exif_6': png_insert_before_idat(
            png, png_chunk(b'eXIf', exif(6, True)[6:])),
        'png_20000': png_with_size(png, 20000, 20000),
        'png_truncated': png_cut_in_idat(png),
        # found by fuzz_image, minimised: a tEXt declaring 1.6 GB in a
        # 41-byte file, which libpng allocated before reading it
        'png_text_longer_than_file': png[:33] + b'\x62\x42\x60\x82tEXt',
        'gif': save(grad, 'GIF'),
        **png_bombs(png),
    }
    for name, data in files.items():
        if len(data) >= 20 * 1024:
            sys.exit(f'{name}: {len(data)} bytes, over 20 KB')
    if large:
        files.update(large_seeds(prog))
    for name, data in files.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
    print(f'{len(files)} files in {out}')


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--large':
        main(sys.argv[2], large=True)
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit('usage: make_image_corpus.py [--large DIR]')
