import type { RoomRole } from '@/lib/roles';

/** Who a step notifies: named users, the room's members with a role, who is on duty on lines. */
export type StepTargets = { users: string[]; roles: RoomRole[]; on_duty: string[] };
export type PolicyStep = { after_minutes: number; notify: StepTargets };

/** GET /api/escalation-policies → {escalation_policies: [...]}. */
export type EscalationPolicy = {
  policy_id: string;
  name: string;
  /** 1–10, ordered by `after_minutes` (counted from the room's `created_at`). */
  steps: PolicyStep[];
  /** 0–5 extra loops of the last step. */
  repeat: number;
  created_at: string;
  updated_at: string;
};

export type PolicyInput = { name: string; steps: PolicyStep[]; repeat: number };

/** One shift in the plant's time zone; `end` ≤ `start` means it crosses midnight. */
export type Shift = { name: string; start: string; end: string; users: string[] };
export type Roster = { line_id: string; shifts: Shift[]; timezone: string };

/** A user from GET /api/users?q= (the pickers). */
export type DirectoryUser = {
  user_id: string;
  display_name: string;
  department: string | null;
  is_admin: boolean;
};

/** The API's limits (chalicelib/response/schemas.py). */
export const POLICY_LIMITS = {
  name: 100,
  steps: 10,
  repeat: 5,
  afterMinutes: 7 * 24 * 60,
  users: 50,
  onDuty: 20,
} as const;
export const ROSTER_LIMITS = { shifts: 6, name: 40, users: 50 } as const;
export const LINE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const HHMM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
