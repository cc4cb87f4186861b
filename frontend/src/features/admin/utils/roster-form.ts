import type { TFunction } from 'i18next';
import { HHMM_PATTERN, ROSTER_LIMITS, type Shift } from '@/features/admin/types';
import type { FieldErrors } from '@/features/admin/utils/field-errors';

export const EMPTY_SHIFT: Shift = { name: '', start: '08:00', end: '16:00', users: [] };

/** True when the shift ends on the next day (22:00–06:00); equal times mean a 24 h shift. */
export function crossesMidnight(shift: Pick<Shift, 'start' | 'end'>): boolean {
  return HHMM_PATTERN.test(shift.start) && HHMM_PATTERN.test(shift.end) && shift.end <= shift.start;
}

export function rosterErrorPaths(shiftCount: number): string[] {
  const paths = ['shifts'];
  for (let i = 0; i < shiftCount; i += 1) {
    paths.push(`shifts.${i}`, `shifts.${i}.name`, `shifts.${i}.start`, `shifts.${i}.end`, `shifts.${i}.users`);
  }
  return paths;
}

export function validateRoster(shifts: Shift[], t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  if (shifts.length > ROSTER_LIMITS.shifts) errors.shifts = t('admin.errors.tooMany', { max: ROSTER_LIMITS.shifts });
  shifts.forEach((shift, i) => {
    const name = shift.name.trim();
    if (!name) errors[`shifts.${i}.name`] = t('admin.roster.errors.nameRequired');
    else if (name.length > ROSTER_LIMITS.name) errors[`shifts.${i}.name`] = t('admin.errors.tooLong', { max: ROSTER_LIMITS.name });
    if (!HHMM_PATTERN.test(shift.start)) errors[`shifts.${i}.start`] = t('admin.roster.errors.time');
    if (!HHMM_PATTERN.test(shift.end)) errors[`shifts.${i}.end`] = t('admin.roster.errors.time');
    if (shift.users.length > ROSTER_LIMITS.users) errors[`shifts.${i}.users`] = t('admin.errors.tooMany', { max: ROSTER_LIMITS.users });
  });
  return errors;
}

export function rosterInput(shifts: Shift[]): Shift[] {
  return shifts.map((shift) => ({ ...shift, name: shift.name.trim() }));
}
