import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/dialog';
import { errorMessage, validationDetails } from '@/lib/errors';
import { useCreateRoom, type CreateRoomInput } from '@/features/rooms/api/create-room';
import { useRoomTemplates } from '@/features/rooms/api/get-room-templates';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import {
  INCIDENT_TYPES,
  SEVERITIES,
  type IncidentType,
  type Room,
  type RoomTemplate,
  type Severity,
} from '@/features/rooms/types';

export const ROOM_LIMITS = { title: 200, location: 200, description: 4000 } as const;

const FIELDS = ['title', 'incident_type', 'severity', 'location', 'description', 'template_id'] as const;
type Field = (typeof FIELDS)[number];
type FieldErrors = Partial<Record<Field, string>>;

type Values = {
  template_id: string;
  title: string;
  incident_type: IncidentType | '';
  severity: Severity;
  location: string;
  description: string;
};

const EMPTY: Values = {
  template_id: '',
  title: '',
  incident_type: '',
  severity: 'medium',
  location: '',
  description: '',
};

type Props = { onClose: () => void; onCreated: (room: Room) => void };

/** 新增事件: template picker pre-fills type / severity / description; server field errors map to fields. */
export function CreateRoomDialog({ onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const templateRef = useRef<HTMLSelectElement>(null);
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const templates = useRoomTemplates();
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

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (errors[key]) setErrors((previous) => ({ ...previous, [key]: undefined }));
  }

  function pickTemplate(templateId: string) {
    const next = templates.data?.find((tpl) => tpl.template_id === templateId);
    const previous = templates.data?.find((tpl) => tpl.template_id === values.template_id);
    setValues((current) => {
      if (!next) return { ...current, template_id: '' };
      // Keep a description the user typed; replace an empty one or the previous template's.
      const keepDescription = current.description.trim() !== '' && current.description !== (previous?.description ?? '');
      return {
        ...current,
        template_id: next.template_id,
        incident_type: next.incident_type,
        severity: next.default_severity,
        description: keepDescription ? current.description : (next.description ?? ''),
      };
    });
    setErrors({});
  }

  function validate(): FieldErrors {
    const found: FieldErrors = {};
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

  function focusFirst(found: FieldErrors) {
    focusNext.current = FIELDS.find((field) => found[field]) ?? null;
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validate();
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
    createRoom.mutate(input, {
      onSuccess: (room) => onCreated(room),
      onError: (error) => {
        const details = validationDetails(error, FIELDS);
        if (Object.keys(details).length) {
          const mapped: FieldErrors = {};
          for (const [field, message] of Object.entries(details)) {
            mapped[field as Field] = message ? t('form.invalidWithReason', { reason: message }) : t('form.invalid');
          }
          setErrors(mapped);
          focusFirst(mapped);
        }
      },
    });
  }

  const pending = createRoom.isPending;
  const serverFieldErrors = Object.keys(validationDetails(createRoom.error, FIELDS)).length > 0;

  function describedBy(field: Field, hint?: string) {
    return errors[field] ? `${id}-${field}-error` : hint;
  }

  function errorText(field: Field) {
    return errors[field] ? (
      <p id={`${id}-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    ) : null;
  }

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
            aria-describedby={describedBy('template_id', `${id}-template-hint`)}
            disabled={pending}
          >
            <option value="">{t('createRoom.noTemplate')}</option>
            {templates.data?.map((tpl) => (
              <option key={tpl.template_id} value={tpl.template_id}>
                {tpl.name}
              </option>
            ))}
          </select>
          {errorText('template_id')}
          <TemplateHint id={`${id}-template-hint`} template={template} failed={templates.isError} />
        </div>

        <div className="field">
          <label htmlFor={`${id}-title`}>
            {t('room.fields.title')} <span className="required-mark">{t('form.required')}</span>
          </label>
          <input
            id={`${id}-title`}
            type="text"
            value={values.title}
            onChange={(event) => set('title', event.target.value)}
            maxLength={ROOM_LIMITS.title + 50}
            placeholder={t('createRoom.titlePlaceholder')}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={describedBy('title')}
            aria-required="true"
            disabled={pending}
          />
          {errorText('title')}
        </div>

        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-incident_type`}>
              {t('room.fields.incident_type')} <span className="required-mark">{t('form.required')}</span>
            </label>
            <select
              id={`${id}-incident_type`}
              value={values.incident_type}
              onChange={(event) => set('incident_type', event.target.value as IncidentType | '')}
              aria-invalid={errors.incident_type ? true : undefined}
              aria-describedby={describedBy('incident_type')}
              aria-required="true"
              disabled={pending}
            >
              <option value="">{t('createRoom.chooseType')}</option>
              {INCIDENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`rooms.type.${type}`)}
                </option>
              ))}
            </select>
            {errorText('incident_type')}
          </div>

          <div className="field">
            <label htmlFor={`${id}-severity`}>{t('room.fields.severity')}</label>
            <select
              id={`${id}-severity`}
              value={values.severity}
              onChange={(event) => set('severity', event.target.value as Severity)}
              aria-invalid={errors.severity ? true : undefined}
              aria-describedby={describedBy('severity', `${id}-severity-preview`)}
              disabled={pending}
            >
              {SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {t(`rooms.severity.${severity}`)}
                </option>
              ))}
            </select>
            <span id={`${id}-severity-preview`} className="severity-preview">
              <SeverityBadge severity={values.severity} />
            </span>
            {errorText('severity')}
          </div>
        </div>

        <div className="field">
          <label htmlFor={`${id}-location`}>{t('room.fields.location')}</label>
          <input
            id={`${id}-location`}
            type="text"
            value={values.location}
            onChange={(event) => set('location', event.target.value)}
            placeholder={t('room.locationHint')}
            aria-invalid={errors.location ? true : undefined}
            aria-describedby={describedBy('location')}
            disabled={pending}
          />
          {errorText('location')}
        </div>

        <div className="field">
          <label htmlFor={`${id}-description`}>{t('room.fields.description')}</label>
          <textarea
            id={`${id}-description`}
            rows={6}
            value={values.description}
            onChange={(event) => set('description', event.target.value)}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={describedBy('description')}
            disabled={pending}
          />
          {errorText('description')}
        </div>

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
