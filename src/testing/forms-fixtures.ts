// Small exports written in the exact shapes ODK Central and KoboToolbox produce (their documentation at
// getodk.github.io/central and support.kobotoolbox.org), generated for the tests: nothing here is copied from a
// real export.
import zlib from 'node:zlib';

/**
 * A zip archive of the given members, stored without compression (what `zip -0` writes). Member names are
 * written as given, so a test can build an archive whose names climb out of it.
 *
 * @example
 * const zip = zipOf([{ name: 'form.csv', bytes: Buffer.from('KEY\n') }]);
 */
export function zipOf(members: readonly { name: string; bytes: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8');
    const crc = zlib.crc32(member.bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(member.bytes.length, 18);
    local.writeUInt32LE(member.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(member.bytes.length, 20);
    central.writeUInt32LE(member.bytes.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, member.bytes);
    centrals.push(central, name);
    offset += local.length + name.length + member.bytes.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** CSV text from rows, quoting where needed, CRLF line ends (as ODK Central writes). */
export function csvOf(rows: readonly (readonly (string | number)[])[], delimiter = ','): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return rows.map((row) => row.map(cell).join(delimiter)).join('\r\n') + '\r\n';
}

/** Builds ODK Central's main table: its own columns around the form's answers. */
export function odkCentralMainCsv(
  submissions: readonly { instanceId: string; answers: Record<string, string>; submitter: string; version: string }[],
): string {
  const formColumns = [
    'start',
    'end',
    'site',
    'new_site_name',
    'new_site_type',
    'location-Latitude',
    'location-Longitude',
    'location-Altitude',
    'location-Accuracy',
    'zone',
    'category',
    'model',
    'quantity',
    'condition',
    'assembly_state',
    'production_type',
    'fuze_fitted',
    'safety_device_fitted',
    'disposal_status',
    'observations',
  ];
  const header = [
    'SubmissionDate',
    ...formColumns,
    'meta-instanceID',
    'KEY',
    'SubmitterID',
    'SubmitterName',
    'AttachmentsPresent',
    'AttachmentsExpected',
    'Status',
    'ReviewState',
    'DeviceID',
    'Edits',
    'FormVersion',
  ];
  return csvOf([
    header,
    ...submissions.map((submission) => [
      '2026-11-20T09:41:07.481Z',
      ...formColumns.map((column) => submission.answers[column] ?? ''),
      submission.instanceId,
      submission.instanceId,
      '17',
      submission.submitter,
      '1',
      '1',
      '',
      '',
      'collect:Zq8rT5uVb2XyW3aK',
      '0',
      submission.version,
    ]),
  ]);
}
