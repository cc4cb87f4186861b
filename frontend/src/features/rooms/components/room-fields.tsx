import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { validationDetails } from '@/lib/errors';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { INCIDENT_TYPES, SEVERITIES, type IncidentType, type Severity } from '@/features/rooms/types';

export const ROOM_LIMITS = { title: 200, location: 200, description: 4000 } as const;

export const ROOM_FIELDS = ['title', 'incident_type', 'severity', 'location', 'description'] as const;
export type RoomField = (typeof ROOM_FIELDS)[number];
export type RoomFieldErrors = Partial<Record<RoomField, string>>;

/** The room's own fields; `incident_type` is '' until one is chosen in a new room. */
export type RoomFieldValues = {
  title: string;
  incident_type: IncidentType | '';
  severity: Severity;
  location: string;
  description: string;
};

/** The checks made before sending: a title, a type, and the length limits. */
export function validateRoomFields(values: RoomFieldValues, t: TFunction): RoomFieldErrors {
  const found: RoomFieldErrors = {};
  const title = values.title.trim();
  if (!title) found.title = t('createRoom.errors.titleRequired');
  else if (title.length > ROOM_LIMITS.title) found.title = t('createRoom.errors.tooLong', { max: ROOM_LIMITS.title });
  if (!values.incident_type) found.incident_type = t('createRoom.errors.typeRequired');
  if (values.location.length > ROOM_LIMITS.location) {
    found.location = t('createRoom.errors.tooLong', { max: ROOM_LIMITS.location });
  }
  if (values.description.length > ROOM_LIMITS.description) {
    found.description = t('createRoom.errors.tooLong', { max: ROOM_LIMITS.description });
  }
  return found;
}

/** The server's validation_error details for `fields`, as messages to show on those fields. */
export function mapServerFieldErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  t: TFunction,
): Partial<Record<F, string>> {
  const mapped: Partial<Record<F, string>> = {};
  for (const [field, message] of Object.entries(validationDetails(error, fields))) {
    mapped[field as F] = message ? t('form.invalidWithReason', { reason: message }) : t('form.invalid');
  }
  return mapped;
}

/** A field's error message, with the id its control's aria-describedby points to. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

type Props = {
  /** Prefix of the controls' ids (`${id}-title`, …), from the form's useId(). */
  id: string;
  /**
   * `create`: a new room: title and type are marked required, the title gets a placeholder,
   * the type starts at "choose a type", and the severity preview describes the severity select.
   * `edit`: an existing room's values.
   */
  mode: 'create' | 'edit';
  values: RoomFieldValues;
  errors: RoomFieldErrors;
  onChange: <K extends RoomField>(key: K, value: RoomFieldValues[K]) => void;
  disabled: boolean;
};

/** Title, type, severity (with its badge), location and description of a room form. */
export function RoomFields({ id, mode, values, errors, onChange, disabled }: Props) {
  const { t } = useTranslation();
  const creating = mode === 'create';
  const required = creating ? (
    <>
      {' '}
      <span className="required-mark">{t('form.required')}</span>
    </>
  ) : null;

  const errorId = (field: RoomField) => `${id}-${field}-error`;
  const a11y = (field: RoomField, hint?: string) => ({
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? errorId(field) : hint,
  });
  const error = (field: RoomField) => <FieldError id={errorId(field)} message={errors[field]} />;
  const severityPreview = creating ? `${id}-severity-preview` : undefined;

  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-title`}>
          {t('room.fields.title')}
          {required}
        </label>
        <input
          id={`${id}-title`}
          type="text"
          value={values.title}
          onChange={(event) => onChange('title', event.target.value)}
          maxLength={creating ? ROOM_LIMITS.title + 50 : undefined}
          placeholder={creating ? t('createRoom.titlePlaceholder') : undefined}
          aria-required="true"
          disabled={disabled}
          {...a11y('title')}
        />
        {error('title')}
      </div>

      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-incident_type`}>
            {t('room.fields.incident_type')}
            {required}
          </label>
          <select
            id={`${id}-incident_type`}
            value={values.incident_type}
            onChange={(event) => onChange('incident_type', event.target.value as IncidentType | '')}
            aria-required={creating ? 'true' : undefined}
            disabled={disabled}
            {...a11y('incident_type')}
          >
            {creating ? <option value="">{t('createRoom.chooseType')}</option> : null}
            {INCIDENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`rooms.type.${type}`)}
              </option>
            ))}
          </select>
          {error('incident_type')}
        </div>

        <div className="field">
          <label htmlFor={`${id}-severity`}>{t('room.fields.severity')}</label>
          <select
            id={`${id}-severity`}
            value={values.severity}
            onChange={(event) => onChange('severity', event.target.value as Severity)}
            disabled={disabled}
            {...a11y('severity', severityPreview)}
          >
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {t(`rooms.severity.${severity}`)}
              </option>
            ))}
          </select>
          <span id={severityPreview} className="severity-preview">
            <SeverityBadge severity={values.severity} />
          </span>
          {error('severity')}
        </div>
      </div>

      <div className="field">
        <label htmlFor={`${id}-location`}>{t('room.fields.location')}</label>
        <input
          id={`${id}-location`}
          type="text"
          value={values.location}
          onChange={(event) => onChange('location', event.target.value)}
          placeholder={t('room.locationHint')}
          disabled={disabled}
          {...a11y('location')}
        />
        {error('location')}
      </div>

      <div className="field">
        <label htmlFor={`${id}-description`}>{t('room.fields.description')}</label>
        <textarea
          id={`${id}-description`}
          rows={6}
          value={values.description}
          onChange={(event) => onChange('description', event.target.value)}
          disabled={disabled}
          {...a11y('description')}
        />
        {error('description')}
      </div>
    </>
  );
}
