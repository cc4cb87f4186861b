import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/dialog';
import { errorMessage, validationDetails } from '@/lib/errors';
import { useCreateRoom, type CreateRoomInput } from '@/features/rooms/api/create-room';
import { useEscalationPolicyOptions } from '@/features/rooms/api/get-escalation-policy-options';
import { useActiveEventCodes } from '@/features/rooms/api/get-event-codes';
import { useRoomTemplates } from '@/features/rooms/api/get-room-templates';
import {
  EQUIPMENT_MAX,
  PLACE_FIELDS,
  PlaceFields,
  type PlaceValues,
} from '@/features/rooms/components/place-fields';
import {
  FieldError,
  ROOM_FIELDS,
  RoomFields,
  mapServerFieldErrors,
  validateRoomFields,
  type RoomField,
  type RoomFieldValues,
} from '@/features/rooms/components/room-fields';
import type { EscalationPolicyOption, Room, RoomTemplate } from '@/features/rooms/types';

const FIELDS = [...ROOM_FIELDS, 'template_id', ...PLACE_FIELDS, 'event_code', 'escalation_policy_id'] as const;
type Field = (typeof FIELDS)[number];
type FieldErrors = Partial<Record<Field, string>>;

/** `escalation_policy_id` '' = none. */
type Values = RoomFieldValues & PlaceValues & { template_id: string; event_code: string; escalation_policy_id: string };

const EMPTY: Values = {
  template_id: '',
  title: '',
  incident_type: '',
  severity: 'medium',
  location: '',
  description: '',
  line_id: '',
  station_id: '',
  equipment_id: '',
  event_code: '',
  escalation_policy_id: '',
};

type Props = {
  onClose: () => void;
  onCreated: (room: Room) => void;
  /** Line and station to start with (a station's QR code: /rooms/new?line_id=…&station_id=…). */
  initialPlace?: { line_id: string; station_id: string };
};

/**
 * 新增事件: the template picker pre-fills type / severity / description and the escalation
 * policy; the place (line → station, equipment) comes from the plant; server field errors
 * map to their fields.
 */
export function CreateRoomDialog({ onClose, onCreated, initialPlace }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const templateRef = useRef<HTMLSelectElement>(null);
  const [values, setValues] = useState<Values>(() => ({ ...EMPTY, ...initialPlace }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const templates = useRoomTemplates();
  const eventCodes = useActiveEventCodes();
  const policies = useEscalationPolicyOptions();
  const createRoom = useCreateRoom();

  // Focus the first invalid field once it is enabled again (inputs are disabled while sending).
  const focusNext = useRef<Field | null>(null);
  useEffect(() => {
    if (focusNext.current && !createRoom.isPending) {
      document.getElementById(`${id}-${focusNext.current}`)?.focus();
      focusNext.current = null;
    }
  });

  const template = templates.data?.find((tpl) => tpl.template_id === values.template_id);

  function set<K extends RoomField>(key: K, value: RoomFieldValues[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (errors[key]) setErrors((previous) => ({ ...previous, [key]: undefined }));
  }

  function setPlace(patch: Partial<PlaceValues>) {
    setValues((previous) => ({ ...previous, ...patch }));
    const touched = Object.keys(patch) as Array<keyof PlaceValues>;
    // a new line also makes a station error (an unknown station of the old line) moot
    if (touched.some((key) => errors[key])) {
      setErrors((previous) => ({ ...previous, ...Object.fromEntries(touched.map((key) => [key, undefined])) }));
    }
  }

  function setPolicy(policyId: string) {
    setValues((previous) => ({ ...previous, escalation_policy_id: policyId }));
    if (errors.escalation_policy_id) setErrors((previous) => ({ ...previous, escalation_policy_id: undefined }));
  }

  function pickTemplate(templateId: string) {
    const next = templates.data?.find((tpl) => tpl.template_id === templateId);
    const previous = templates.data?.find((tpl) => tpl.template_id === values.template_id);
    setValues((current) => {
      if (!next) return { ...current, template_id: '', escalation_policy_id: '' };
      // Keep a description the user typed; replace an empty one or the previous template's.
      const keepDescription = current.description.trim() !== '' && current.description !== (previous?.description ?? '');
      return {
        ...current,
        template_id: next.template_id,
        incident_type: next.incident_type,
        severity: next.default_severity,
        description: keepDescription ? current.description : (next.description ?? ''),
        // the template's policy by default; the user may pick another one or none
        escalation_policy_id: next.escalation_policy_id ?? '',
      };
    });
    setErrors({});
  }

  /** An event code pre-fills type, severity, template (and its description) and policy, as the server will. */
  function pickEventCode(code: string) {
    const entry = eventCodes.data?.event_codes.find((item) => item.code === code);
    if (entry?.template_id && templates.data?.some((tpl) => tpl.template_id === entry.template_id)) {
      pickTemplate(entry.template_id);
    }
    setValues((current) => {
      if (!entry) return { ...current, event_code: '' };
      return {
        ...current,
        event_code: entry.code,
        incident_type: entry.incident_type as Values['incident_type'],
        severity: entry.default_severity as Values['severity'],
        escalation_policy_id: entry.escalation_policy_id ?? current.escalation_policy_id,
      };
    });
    setErrors({});
  }

  function focusFirst(found: FieldErrors) {
    focusNext.current = FIELDS.find((field) => found[field]) ?? null;
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors = validateRoomFields(values, t);
    if (values.equipment_id.trim().length > EQUIPMENT_MAX) {
      found.equipment_id = t('createRoom.errors.tooLong', { max: EQUIPMENT_MAX });
    }
    setErrors(found);
    if (Object.keys(found).length) {
      focusFirst(found);
      return;
    }
    const input: CreateRoomInput = {
      title: values.title.trim(),
      severity: values.severity,
    };
    if (values.incident_type) input.incident_type = values.incident_type;
    if (values.location.trim()) input.location = values.location.trim();
    if (values.description.trim()) input.description = values.description.trim();
    if (values.template_id) input.template_id = values.template_id;
    if (values.line_id) {
      input.line_id = values.line_id;
      if (values.station_id) input.station_id = values.station_id;
    }
    if (values.equipment_id.trim()) input.equipment_id = values.equipment_id.trim();
    if (values.event_code) input.event_code = values.event_code;
    if (values.escalation_policy_id) input.escalation_policy_id = values.escalation_policy_id;
    // "none" with a template that has a policy: say so explicitly instead of leaving it out
    else if (template?.escalation_policy_id) input.escalation_policy_id = null;
    createRoom.mutate(input, {
      onSuccess: (room) => onCreated(room),
      onError: (error) => {
        const mapped = mapServerFieldErrors(error, FIELDS, t);
        if (Object.keys(mapped).length) {
          setErrors(mapped);
          focusFirst(mapped);
        }
      },
    });
  }

  const pending = createRoom.isPending;
  const serverFieldErrors = Object.keys(validationDetails(createRoom.error, FIELDS)).length > 0;

  return (
    <Dialog title={t('createRoom.heading')} onClose={onClose} initialFocus={templateRef} className="dialog-wide">
      <form onSubmit={handleSubmit} noValidate aria-busy={pending} className="room-form">
        {createRoom.isError ? (
          <div className="alert alert-error" role="alert">
            <p>{serverFieldErrors ? t('form.fixFields') : errorMessage(createRoom.error, t)}</p>
          </div>
        ) : null}

        <div className="field">
          <label htmlFor={`${id}-template_id`}>{t('createRoom.template')}</label>
          <select
            id={`${id}-template_id`}
            ref={templateRef}
            value={values.template_id}
            onChange={(event) => pickTemplate(event.target.value)}
            aria-describedby={errors.template_id ? `${id}-template_id-error` : `${id}-template-hint`}
            disabled={pending}
          >
            <option value="">{t('createRoom.noTemplate')}</option>
            {templates.data?.map((tpl) => (
              <option key={tpl.template_id} value={tpl.template_id}>
                {tpl.name}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-template_id-error`} message={errors.template_id} />
          <TemplateHint id={`${id}-template-hint`} template={template} failed={templates.isError} />
        </div>

        <RoomFields id={id} mode="create" values={values} errors={errors} onChange={set} disabled={pending} />

        <PlaceFields id={id} values={values} errors={errors} onChange={setPlace} disabled={pending} />

        {eventCodes.data && eventCodes.data.event_codes.length > 0 ? (
          <div className="field">
            <label htmlFor={`${id}-event_code`}>{t('createRoom.eventCode')}</label>
            <select
              id={`${id}-event_code`}
              value={values.event_code}
              onChange={(event) => pickEventCode(event.target.value)}
              aria-describedby={errors.event_code ? `${id}-event_code-error` : `${id}-event_code-hint`}
              aria-invalid={errors.event_code ? true : undefined}
              disabled={pending}
            >
              <option value="">{t('createRoom.noEventCode')}</option>
              {eventCodes.data.event_codes.map((entry) => (
                <option key={entry.code} value={entry.code}>
                  {entry.code} {entry.name}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-event_code-error`} message={errors.event_code} />
            <p id={`${id}-event_code-hint`} className="field-hint">
              {t('createRoom.eventCodeHint')}
            </p>
          </div>
        ) : null}

        <PolicySelect
          id={id}
          value={values.escalation_policy_id}
          templatePolicyId={template?.escalation_policy_id ?? null}
          policies={policies.data}
          failed={policies.isError}
          error={errors.escalation_policy_id}
          onChange={setPolicy}
          disabled={pending}
        />

        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={onClose} disabled={pending}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? t('createRoom.submitting') : t('createRoom.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function TemplateHint({ id, template, failed }: { id: string; template: RoomTemplate | undefined; failed: boolean }) {
  const { t } = useTranslation();
  if (failed) return <p id={id} className="field-hint">{t('createRoom.templatesError')}</p>;
  if (!template) return <p id={id} className="field-hint">{t('createRoom.templateHint')}</p>;
  return (
    <p id={id} className="field-hint" aria-live="polite">
      {t('createRoom.templateApplied', {
        type: t(`rooms.type.${template.incident_type}`),
        severity: t(`rooms.severity.${template.default_severity}`),
      })}
      {template.default_members.length > 0
        ? ` ${t('createRoom.templateMembers', { count: template.default_members.length })}`
        : ''}
    </p>
  );
}

type PolicySelectProps = {
  id: string;
  /** '' = none. */
  value: string;
  templatePolicyId: string | null;
  policies: EscalationPolicyOption[] | undefined;
  failed: boolean;
  error: string | undefined;
  onChange: (policyId: string) => void;
  disabled: boolean;
};

/** 升級規則: the chosen template's policy by default, any other, or none. */
function PolicySelect({ id, value, templatePolicyId, policies, failed, error, onChange, disabled }: PolicySelectProps) {
  const { t } = useTranslation();
  const hintId = `${id}-escalation-hint`;
  const errorId = `${id}-escalation_policy_id-error`;
  // a policy id the list does not hold (the list failed, or the template names a removed one)
  const unlisted = value && !policies?.some((policy) => policy.policy_id === value) ? value : null;
  const hint = failed
    ? t('createRoom.policy.loadError')
    : value && value === templatePolicyId
      ? t('createRoom.policy.fromTemplate')
      : t('createRoom.policy.hint');
  return (
    <div className="field">
      <label htmlFor={`${id}-escalation_policy_id`}>{t('createRoom.policy.label')}</label>
      <select
        id={`${id}-escalation_policy_id`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        disabled={disabled}
      >
        <option value="">{t('createRoom.policy.none')}</option>
        {policies?.map((policy) => (
          <option key={policy.policy_id} value={policy.policy_id}>
            {policy.name}
          </option>
        ))}
        {unlisted ? <option value={unlisted}>{t('createRoom.policy.templatePolicy')}</option> : null}
      </select>
      <FieldError id={errorId} message={error} />
      <p id={hintId} className="field-hint">
        {hint}
      </p>
    </div>
  );
}
