import type { TFunction } from 'i18next';
import type { RoomRole } from '@/lib/roles';
import { LINE_ID_PATTERN, POLICY_LIMITS, type EscalationPolicy, type PolicyInput } from '@/features/admin/types';
import type { FieldErrors } from '@/features/admin/utils/field-errors';

/** A step as edited: numbers and line ids as typed. */
export type StepValues = { after_minutes: string; users: string[]; roles: RoomRole[]; on_duty: string };
export type PolicyValues = { name: string; repeat: string; steps: StepValues[] };

export const EMPTY_STEP: StepValues = { after_minutes: '', users: [], roles: [], on_duty: '' };
export const EMPTY_POLICY: PolicyValues = { name: '', repeat: '0', steps: [{ ...EMPTY_STEP, after_minutes: '0' }] };

export function policyValues(policy: EscalationPolicy): PolicyValues {
  return {
    name: policy.name,
    repeat: String(policy.repeat ?? 0),
    steps: policy.steps.map((step) => ({
      after_minutes: String(step.after_minutes),
      users: [...(step.notify.users ?? [])],
      roles: [...(step.notify.roles ?? [])],
      on_duty: (step.notify.on_duty ?? []).join(', '),
    })),
  };
}

/** "L3, L4 smt-1" → ["L3", "L4", "smt-1"]. */
export function parseLineIds(text: string): string[] {
  return [...new Set(text.split(/[\s,，、]+/).filter(Boolean))];
}

/** The field paths the form shows errors on (server details are mapped onto these). */
export function policyErrorPaths(stepCount: number): string[] {
  const paths = ['name', 'repeat', 'steps'];
  for (let i = 0; i < stepCount; i += 1) {
    paths.push(`steps.${i}`, `steps.${i}.after_minutes`, `steps.${i}.notify`);
    paths.push(`steps.${i}.notify.users`, `steps.${i}.notify.roles`, `steps.${i}.notify.on_duty`);
  }
  return paths;
}

function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** The checks made before sending (the server's rules, plus: a step must notify someone). */
export function validatePolicy(values: PolicyValues, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = t('admin.policy.errors.nameRequired');
  else if (name.length > POLICY_LIMITS.name) errors.name = t('admin.errors.tooLong', { max: POLICY_LIMITS.name });
  const repeat = wholeNumber(values.repeat);
  if (repeat === null || repeat > POLICY_LIMITS.repeat) errors.repeat = t('admin.policy.errors.repeat', { max: POLICY_LIMITS.repeat });
  if (values.steps.length === 0) errors.steps = t('admin.policy.errors.noSteps');
  if (values.steps.length > POLICY_LIMITS.steps) errors.steps = t('admin.policy.errors.tooManySteps', { max: POLICY_LIMITS.steps });
  let previous = -1;
  values.steps.forEach((step, i) => {
    const minutes = wholeNumber(step.after_minutes);
    if (minutes === null || minutes > POLICY_LIMITS.afterMinutes) {
      errors[`steps.${i}.after_minutes`] = t('admin.policy.errors.minutes', { max: POLICY_LIMITS.afterMinutes });
    } else if (minutes < previous) {
      errors[`steps.${i}.after_minutes`] = t('admin.policy.errors.order', { previous });
    }
    if (minutes !== null) previous = Math.max(previous, minutes);
    const lines = parseLineIds(step.on_duty);
    const badLine = lines.find((line) => !LINE_ID_PATTERN.test(line));
    if (badLine) errors[`steps.${i}.notify.on_duty`] = t('admin.errors.lineId', { line: badLine });
    else if (lines.length > POLICY_LIMITS.onDuty) errors[`steps.${i}.notify.on_duty`] = t('admin.errors.tooMany', { max: POLICY_LIMITS.onDuty });
    if (step.users.length > POLICY_LIMITS.users) errors[`steps.${i}.notify.users`] = t('admin.errors.tooMany', { max: POLICY_LIMITS.users });
    if (step.users.length === 0 && step.roles.length === 0 && lines.length === 0) {
      errors[`steps.${i}.notify`] = t('admin.policy.errors.noTargets');
    }
  });
  return errors;
}

/** The request body of valid `values`. */
export function policyInput(values: PolicyValues): PolicyInput {
  return {
    name: values.name.trim(),
    repeat: Number(values.repeat.trim()),
    steps: values.steps.map((step) => ({
      after_minutes: Number(step.after_minutes.trim()),
      notify: { users: step.users, roles: step.roles, on_duty: parseLineIds(step.on_duty) },
    })),
  };
}
