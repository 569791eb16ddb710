#!/usr/bin/python3
"""Writes the seed corpus of fuzz_image (tests/fuzz/corpus/fuzz_image/):
small JPEG and PNG files, good and hostile, each under 20 KB. The good
ones come from ImageMagick's convert; the hostile ones are crafted from
them here. Run again to regenerate; the output is committed."""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   'corpus', 'fuzz_image')


def convert(*args):
    prefix, _, name = args[-1].rpartition(':')
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out' + os.path.splitext(name)[1])
        target = prefix + ':' + out if prefix else out
        subprocess.run(['convert', *args[:-1], target], check=True)
        with open(out, 'rb') as f:
            return f.read()


def jpeg_segments(data):
    """(marker, start, end) of each segment before the first SOS."""
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
    """The JPEG without its APPn and COM segments (ImageMagick's JFIF
    APP0 stays), so that a crafted segment is the only one."""
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
    head = (b'MM\0\x2a' if big_endian else b'II\x2a\0') + struct.pack(e + 'I', 8)
    entries = [struct.pack(e + 'HHIHH', 0x0112, 3, 1, orientation, 0)]
    if gps:
        entries.append(struct.pack(e + 'HHII', 0x8825, 4, 1,
                                   8 + 2 + 12 * 2 + 4))
    ifd0 = struct.pack(e + 'H', len(entries)) + b''.join(entries) + b'\0' * 4
    gps_ifd = (struct.pack(e + 'H', 1)
               + struct.pack(e + 'HHI', 1, 2, 2) + b'S\0\0\0' + b'\0' * 4)
    return b'Exif\0\0' + head + ifd0 + (gps_ifd if gps else b'')


def png_chunk(kind, payload):
    return (struct.pack('>I', len(payload)) + kind + payload
            + struct.pack('>I', zlib.crc32(kind + payload)))


def png_insert_before_idat(data, chunks):
    at = data.index(b'IDAT') - 4
    return data[:at] + chunks + data[at:]


def many_scans(prog, copies):
    sos = [s for s in jpeg_segments(prog) if s[0] == 0xda][0]
    pos = sos[2]
    while not (prog[pos] == 0xff and prog[pos + 1] not in
               (0, *range(0xd0, 0xd8))):
        pos += 1
    scan = prog[sos[1]:pos]
    return prog[:pos] + scan * copies + prog[pos:]


def main():
    os.makedirs(OUT, exist_ok=True)
    grad = ['-size', '48x64', 'gradient:red-blue']
    photo = ['-size', '48x64', 'plasma:fractal', '-seed', '7']
    base = convert(*grad, '-quality', '80', 'x.jpg')
    prog = convert(*grad, '-interlace', 'JPEG', 'x.jpg')
    png = convert(*grad, 'PNG24:x.png')
    photo_jpeg = convert(*photo, '-sampling-factor', '1x1', '-define',
                         'jpeg:restart-interval=1', 'x.jpg')
    files = {
        'jpeg_baseline': base,
        'jpeg_progressive': prog,
        'jpeg_gray': convert(*grad, '-colorspace', 'Gray', 'x.jpg'),
        'jpeg_cmyk': convert(*grad, '-colorspace', 'CMYK', 'x.jpg'),
        'jpeg_444_restart': photo_jpeg,
        'jpeg_exif_be_6_gps': with_segment(base, 0xe1, exif(6, True)),
        'jpeg_exif_le_8': with_segment(base, 0xe1, exif(8, False, False)),
        'jpeg_comment_html': with_segment(
            base, 0xfe, b'<html><script>alert(1)</script></html>'),
        'jpeg_truncated': photo_jpeg[:len(photo_jpeg) * 2 // 3],
        'jpeg_many_scans': many_scans(prog, 40),
        'png_rgb': png,
        'png_rgba16': convert(*grad, '-alpha', 'set', '-channel', 'A',
                              '-evaluate', 'set', '50%', '-depth', '16',
                              'PNG64:x.png'),
        'png_palette_trns': png_insert_before_idat(
            convert(*grad, '-colors', '8', 'PNG8:x.png'),
            png_chunk(b'tRNS', b'\0\x80')),
        'png_gray_interlaced': convert(*grad, '-colorspace', 'Gray',
                                       '-depth', '8', '-interlace', 'PNG',
                                       'x.png'),
        'png_gray_1bit': convert(*grad, '-monochrome', 'x.png'),
        'png_text': convert(*grad, '-set', 'comment', 'zTXt ' * 50,
                            '-define', 'png:compression-level=9', 'x.png'),
        'png_animated': png_insert_before_idat(
            png, png_chunk(b'acTL', struct.pack('>II', 1, 0))
            + png_chunk(b'fcTL', struct.pack('>IIIIIHHBB', 0, 48, 64, 0, 0,
                                             1, 10, 0, 0))),
        'png_exif_6': png_insert_before_idat(
            png, png_chunk(b'eXIf', exif(6, True)[6:])),
        'png_20000': png[:16] + struct.pack('>II', 20000, 20000)
        + png[24:29] + struct.pack('>I', zlib.crc32(
            b'IHDR' + struct.pack('>II', 20000, 20000) + png[24:29]))
        + png[33:],
        'png_truncated': png[:len(png) // 2],
        'gif': convert(*grad, 'x.gif'),
    }
    for name, data in files.items():
        if len(data) >= 20 * 1024:
            sys.exit(f'{name}: {len(data)} bytes, over 20 KB')
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)
    print(f'{len(files)} files in {OUT}')


if __name__ == '__main__':
    main()
