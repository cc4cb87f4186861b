/** Readings with a known meaning: label key and unit. Anything else is shown by its field name. */
export const KNOWN_FIELDS: Record<string, { unit: string }> = {
  temperature: { unit: '°C' },
  pressure: { unit: 'kPa' },
  production_rate: { unit: 'pcs/h' },
  humidity: { unit: '%' },
  vibration: { unit: 'mm/s' },
  defect_rate: { unit: '%' },
  speed: { unit: 'rpm' },
};

/** The backend's rule for field names. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

export function isKnownField(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN_FIELDS, name);
}

export function formatReading(value: unknown, field: string, locale: string): string {
  if (typeof value === 'number') {
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value);
    const unit = isKnownField(field) ? KNOWN_FIELDS[field]!.unit : '';
    return unit ? `${number} ${unit}` : number;
  }
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (value === null || value === undefined) return '—';
  return String(value);
}
