import type { RoomRole } from '@/lib/roles';

export const ROOM_STATUSES = ['active', 'resolved', 'archived'] as const;
export const INCIDENT_TYPES = [
  'equipment_failure',
  'quality_issue',
  'material_shortage',
  'safety',
  'other',
] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export type RoomStatus = (typeof ROOM_STATUSES)[number];
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export type Severity = (typeof SEVERITIES)[number];

export type Room = {
  room_id: string;
  title: string;
  incident_type: IncidentType;
  severity: Severity;
  status: RoomStatus;
  location: string | null;
  description: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  member_count: number;
  resolved_at?: string | null;
  resolution_note?: string | null;
  /** The event catalog's code (pre-filled type, severity, template and policy) and the closure. */
  event_code?: string | null;
  root_cause_code?: string | null;
  false_alarm?: boolean | null;
  downtime_minutes?: number | null;
  template_id?: string | null;
  /** 「我來處理」: who took the room and when (null until then). */
  acknowledged_at?: string | null;
  acknowledged_by?: string | null;
  /** 0 before any escalation step has fired, then the step's number (1-based). */
  escalation_level?: number;
  /** The policy the room keeps a copy of (null without one). */
  escalation_policy?: { policy_id: string; name: string } | null;
  escalation_due_at?: string | null;
  /** Seconds from `created_at`; null while unknown. */
  time_to_acknowledge_s?: number | null;
  time_to_resolve_s?: number | null;
  /** Where in the plant (ids of GET /api/plant; the area follows from the line). */
  area_id?: string | null;
  line_id?: string | null;
  station_id?: string | null;
  /** Free-text tool id (≤ 64 characters). */
  equipment_id?: string | null;
  /** Only on GET /api/rooms/{room_id}. */
  my_role?: RoomRole;
};

export type RoomFilters = {
  status?: RoomStatus | undefined;
  incident_type?: IncidentType | undefined;
  severity?: Severity | undefined;
  q?: string | undefined;
  area_id?: string | undefined;
  line_id?: string | undefined;
};

/** The room list's and the board's place filters (`GET /api/rooms?area_id=&line_id=`). */
export type PlaceFilter = { area_id?: string | undefined; line_id?: string | undefined };

export type Member = {
  user_id: string;
  display_name: string;
  department: string | null;
  role: RoomRole;
  joined_at: string;
  online: boolean;
};

export type RoomTemplate = {
  template_id: string;
  name: string;
  incident_type: IncidentType;
  default_severity: Severity;
  description: string | null;
  default_members: Array<{ user_id: string; role: RoomRole }>;
  /** The policy a room made from this template gets unless another one is chosen. */
  escalation_policy_id?: string | null;
};

/** An escalation policy as the create-room dialog offers it (GET /api/escalation-policies). */
export type EscalationPolicyOption = { policy_id: string; name: string };

/** A user from GET /api/users?q= (the member picker). */
export type DirectoryUser = {
  user_id: string;
  display_name: string;
  department: string | null;
  is_admin: boolean;
};
