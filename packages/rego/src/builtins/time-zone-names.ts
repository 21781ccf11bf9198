/**
 * Zone abbreviations as Go prints them for the "MST" layout element (from the IANA tzdata), for zones whose
 * Intl short name is a "GMT+n" string. Zones not listed fall back to Intl's letters or tzdata's numeric style.
 */

const CET = ['CET', 'CEST'] as const, EET = ['EET', 'EEST'] as const, AET = ['AEST', 'AEDT'] as const;

const ABBREVIATIONS: Record<string, readonly [string, string]> = {
  'Asia/Kolkata': ['IST', 'IST'], 'Asia/Calcutta': ['IST', 'IST'],
  'Europe/London': ['GMT', 'BST'], 'Europe/Dublin': ['GMT', 'IST'], 'Europe/Lisbon': ['WET', 'WEST'],
  'Europe/Berlin': CET, 'Europe/Paris': CET, 'Europe/Madrid': CET, 'Europe/Rome': CET, 'Europe/Amsterdam': CET,
  'Europe/Brussels': CET, 'Europe/Vienna': CET, 'Europe/Zurich': CET, 'Europe/Stockholm': CET, 'Europe/Oslo': CET,
  'Europe/Copenhagen': CET, 'Europe/Warsaw': CET, 'Europe/Prague': CET, 'Europe/Budapest': CET,
  'Europe/Belgrade': CET, 'Europe/Luxembourg': CET, 'Africa/Lagos': ['WAT', 'WAT'],
  'Europe/Athens': EET, 'Europe/Helsinki': EET, 'Europe/Kiev': EET, 'Europe/Kyiv': EET, 'Europe/Bucharest': EET,
  'Europe/Sofia': EET, 'Europe/Riga': EET, 'Europe/Tallinn': EET, 'Europe/Vilnius': EET, 'Africa/Cairo': EET,
  'Europe/Moscow': ['MSK', 'MSK'], 'Asia/Tokyo': ['JST', 'JDT'], 'Asia/Seoul': ['KST', 'KDT'],
  'Asia/Shanghai': ['CST', 'CDT'], 'Asia/Taipei': ['CST', 'CDT'], 'Asia/Hong_Kong': ['HKT', 'HKST'],
  'Asia/Manila': ['PST', 'PDT'], 'Asia/Karachi': ['PKT', 'PKST'], 'Asia/Jakarta': ['WIB', 'WIB'],
  'Asia/Jerusalem': ['IST', 'IDT'], 'Africa/Johannesburg': ['SAST', 'SAST'], 'Africa/Nairobi': ['EAT', 'EAT'],
  'Australia/Sydney': AET, 'Australia/Melbourne': AET, 'Australia/Hobart': AET, 'Australia/Canberra': AET,
  'Australia/Brisbane': AET, 'Australia/Adelaide': ['ACST', 'ACDT'], 'Australia/Darwin': ['ACST', 'ACDT'],
  'Australia/Perth': ['AWST', 'AWDT'], 'Pacific/Auckland': ['NZST', 'NZDT'],
  'America/Halifax': ['AST', 'ADT'], 'America/St_Johns': ['NST', 'NDT'],
};

/** isDST is only asked for listed zones (it costs two more Intl lookups). */
export function knownAbbreviation(zone: string, isDST: () => boolean): string | undefined {
  const pair = ABBREVIATIONS[zone];
  return pair ? pair[isDST() ? 1 : 0] : undefined;
}
