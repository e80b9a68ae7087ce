import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { hammingDistance, parseExifTime } from './inspect.js';
import { distanceMetres, reviewFlags } from './review.js';
import { checkDeclaredType, sniffType } from '../../storage/sniff.js';

function ftyp(major: string, ...compatible: string[]): Buffer {
  const brands = Buffer.from([major, '\0\0\0\0', ...compatible].join(''), 'latin1');
  const box = Buffer.alloc(8 + brands.length);
  box.writeUInt32BE(box.length, 0);
  box.write('ftyp', 4, 'latin1');
  brands.copy(box, 8);
  return Buffer.concat([box, Buffer.alloc(32)]);
}

describe('type by content', () => {
  it('recognises each supported format by its magic bytes', async () => {
    const blank = sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } });
    const cases: [Buffer, string][] = [
      [await blank.clone().jpeg().toBuffer(), 'image/jpeg'],
      [await blank.clone().png().toBuffer(), 'image/png'],
      [await blank.clone().webp().toBuffer(), 'image/webp'],
      [await blank.clone().tiff().toBuffer(), 'image/tiff'],
      [Buffer.from('MM\0*\0\0\0\x08', 'latin1'), 'image/tiff'],
      [ftyp('heic', 'mif1', 'heic'), 'image/heic'],
      [ftyp('mif1', 'heic'), 'image/heic'],
      [ftyp('avif', 'mif1'), 'image/avif'],
      [ftyp('isom', 'iso2', 'avc1', 'mp41'), 'video/mp4'],
      [ftyp('mp42', 'isom'), 'video/mp4'],
      [ftyp('qt  ', 'qt  '), 'video/quicktime'],
      [Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from('wide'), Buffer.alloc(8)]), 'video/quicktime'],
      [Buffer.from('%PDF-1.7\n'), 'application/pdf'],
      [Buffer.from('\n\n%PDF-1.4\n'), 'application/pdf'],
      [Buffer.from('Plain words, naïve café, 7.62×39\r\n\tindented'), 'text/plain'],
      [Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), 'application/octet-stream'],
      [Buffer.alloc(0), 'application/octet-stream'],
    ];
    for (const [bytes, expected] of cases) assert.equal(sniffType(bytes), expected, expected);
  });

  it('reads text whose sample ends inside a multi-byte character', () => {
    const text = Buffer.from('é'.repeat(10));
    assert.equal(sniffType(text.subarray(0, 9)), 'text/plain');
    assert.equal(sniffType(Buffer.from([0x61, 0xff, 0x62])), 'application/octet-stream');
  });

  it('accepts a declaration that agrees with the content and refuses one that does not', async () => {
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    assert.equal(checkDeclaredType(jpeg, { declaredType: 'image/jpeg', filename: 'IMG_1.JPG' }), 'image/jpeg');
    assert.equal(checkDeclaredType(jpeg, { declaredType: 'image/jpg; charset=binary' }), 'image/jpeg');
    assert.equal(checkDeclaredType(jpeg, {}), 'image/jpeg');
    assert.equal(
      checkDeclaredType(ftyp('qt  '), { declaredType: 'video/mp4', filename: 'clip.mov' }),
      'video/quicktime',
    );
    assert.equal(
      checkDeclaredType(Buffer.from('a,b\n1,2\n'), { declaredType: 'text/csv', filename: 'x.csv' }),
      'text/plain',
    );
    assert.equal(
      checkDeclaredType(Buffer.from([0x50, 0x4b, 3, 4]), { declaredType: 'application/zip', filename: 'x.zip' }),
      'application/octet-stream',
    );
    for (const claims of [
      { declaredType: 'image/png' },
      { declaredType: 'application/pdf' },
      { filename: 'scan.pdf' },
      { declaredType: 'application/octet-stream', filename: 'clip.mp4' },
    ]) {
      assert.throws(
        () => checkDeclaredType(jpeg, claims),
        (error: Error & { code?: string; fields?: { field: string }[] }) =>
          error.code === 'validation_failed' && error.fields?.[0]?.field === 'file',
        JSON.stringify(claims),
      );
    }
    assert.throws(
      () => checkDeclaredType(Buffer.from([0x4d, 0x5a, 0x90, 0]), { declaredType: 'image/jpeg' }),
      /not a recognised format/,
    );
  });
});

describe('EXIF facts and review thresholds', () => {
  it('reads EXIF times with and without an offset', () => {
    assert.equal(parseExifTime('2017:03:02 10:15:00', '+03:00')?.toISOString(), '2017-03-02T07:15:00.000Z');
    assert.equal(parseExifTime('2017:03:02 10:15:00', undefined)?.toISOString(), '2017-03-02T10:15:00.000Z');
    assert.equal(parseExifTime('0000:00:00 00:00:00', undefined), null);
    assert.equal(parseExifTime(20170302, undefined), null);
  });

  it('counts differing bits and metres', () => {
    assert.equal(hammingDistance('ffffffffffffffff', '0000000000000000'), 64);
    assert.equal(hammingDistance('00000000000000f1', '0000000000000001'), 4);
    const mosul = { latitude: 36.34, longitude: 43.13 };
    assert.ok(Math.abs(distanceMetres(mosul, { latitude: 36.34, longitude: 43.14 }) - 896) < 5);
  });

  it('flags only beyond the configured distance (plus the site’s precision) and time', () => {
    const site = {
      id: '01900000-0000-7000-8000-000000000001',
      name: 'Farm barn',
      latitude: 36.34,
      longitude: 43.13,
      precision_m: 500,
      recovered_on: '2017-03-02',
    };
    const thresholds = { reviewDistanceM: 1000, reviewTimeHours: 72 };
    const photo = (latitude: number, takenAt: string) => ({
      exif_latitude: latitude,
      exif_longitude: 43.13,
      exif_captured_at: new Date(takenAt),
    });
    assert.deepEqual(reviewFlags(photo(36.353, '2017-03-05T23:00:00Z'), site, thresholds), []);
    assert.deepEqual(
      reviewFlags(photo(36.36, '2017-03-06T01:00:00Z'), site, thresholds).map((flag) => flag.kind),
      ['location_mismatch', 'time_mismatch'],
    );
    assert.deepEqual(
      reviewFlags(photo(36.36, '2017-02-20T00:00:00Z'), { ...site, latitude: null, longitude: null }, thresholds).map(
        (flag) => flag.kind,
      ),
      ['time_mismatch'],
    );
    assert.deepEqual(
      reviewFlags({ exif_latitude: null, exif_longitude: null, exif_captured_at: null }, site, thresholds),
      [],
    );
  });
});
