import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ConfirmDialog } from '@/components/dialog';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { isApiError } from '@/lib/api-client';
import { errorMessage, validationDetails } from '@/lib/errors';
import { canManage, canWrite, hasRole, isArchived, type RoomRole } from '@/lib/roles';
import { useRoom } from '@/features/rooms/api/get-room';
import { useUpdateRoom, type UpdateRoomInput } from '@/features/rooms/api/update-room';
import { useRootCauses } from '@/features/rooms/api/get-event-codes';
import {
  mapServerFieldErrors,
  ROOM_FIELDS,
  ROOM_LIMITS,
  RoomFields,
  validateRoomFields,
  type RoomFieldErrors,
  type RoomFieldValues,
} from '@/features/rooms/components/room-fields';
import { RoomSummary } from '@/features/rooms/components/room-summary';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { StatusBadge } from '@/features/rooms/components/status-badge';
import { SEVERITIES, type Room, type Severity } from '@/features/rooms/types';

/** A readable message for a failed settings change (409 = the room's state does not allow it). */
export function settingsErrorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (error.status === 409) return t('settings.errors.conflict');
    if (error.status === 403) return t('settings.errors.forbidden');
  }
  return errorMessage(error, t);
}

function MutationError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const fieldErrors = Object.keys(validationDetails(error)).length > 0;
  return (
    <div className="alert alert-error" role="alert">
      <p>{fieldErrors ? t('form.fixFields') : settingsErrorMessage(error, t)}</p>
    </div>
  );
}

type Update = ReturnType<typeof useUpdateRoom>;

/**
 * /rooms/:roomId/settings. OWNER (and administrators, who get my_role OWNER) edit every
 * field and the status, and may archive; EDITOR changes severity and status; VIEWER reads.
 */
export function RoomSettings({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const query = useRoom(roomId);
  // One mutation for the page, so its error stays visible even when the control that
  // caused it disappears (a 409 because the room was archived meanwhile).
  const update = useUpdateRoom(roomId);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const room = query.data;
  const role: RoomRole = room.my_role ?? 'VIEWER';
  const archived = isArchived(room);

  return (
    <section className="room-section settings" aria-labelledby="room-section-heading">
      <h2 id="room-section-heading">{t('nav.settings')}</h2>
      {archived ? (
        <p className="alert alert-info" role="note">
          {t('settings.archivedNotice')}
        </p>
      ) : role === 'VIEWER' ? (
        <p className="alert alert-info" role="note">
          {t('settings.viewerNotice')}
        </p>
      ) : role === 'EDITOR' ? (
        <p className="alert alert-info" role="note">
          {t('settings.editorNotice')}
        </p>
      ) : null}
      {update.isError ? <MutationError error={update.error} /> : null}

      {canManage(role, room) ? (
        <RoomDetailsForm key={room.room_id} room={room} update={update} />
      ) : (
        <>
          {/* an EDITOR here (OWNERs have the full form): severity only */}
          {canWrite(role, room) ? <SeverityForm key={room.room_id} room={room} update={update} /> : null}
          <div className="settings-card">
            <h3>{t('settings.detailsHeading')}</h3>
            <RoomSummary room={room} />
          </div>
        </>
      )}

      {canWrite(role, room) ? <StatusControls room={room} role={role} update={update} /> : null}
    </section>
  );
}

function valuesOf(room: Room): RoomFieldValues {
  return {
    title: room.title,
    incident_type: room.incident_type,
    severity: room.severity,
    location: room.location ?? '',
    description: room.description ?? '',
  };
}

function RoomDetailsForm({ room, update }: { room: Room; update: Update }) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<RoomFieldValues>(() => valuesOf(room));
  const [errors, setErrors] = useState<RoomFieldErrors>({});
  const [saved, setSaved] = useState<'saved' | 'unchanged' | null>(null);

  function set<K extends keyof RoomFieldValues>(key: K, value: RoomFieldValues[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    setSaved(null);
    if (errors[key]) setErrors((previous) => ({ ...previous, [key]: undefined }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateRoomFields(values, t);
    setErrors(found);
    if (Object.keys(found).length) return;

    const current = valuesOf(room);
    const next: RoomFieldValues = {
      ...values,
      title: values.title.trim(),
      location: values.location.trim(),
      description: values.description.trim(),
    };
    const changes: UpdateRoomInput = {};
    for (const key of ROOM_FIELDS) {
      if (next[key] !== current[key]) Object.assign(changes, { [key]: next[key] });
    }
    if (Object.keys(changes).length === 0) {
      setSaved('unchanged');
      return;
    }
    update.mutate(changes, {
      onSuccess: (updated) => {
        setValues(valuesOf(updated));
        setSaved('saved');
      },
      onError: (error) => setErrors(mapServerFieldErrors(error, ROOM_FIELDS, t)),
    });
  }

  const pending = update.isPending;
  return (
    <form className="settings-card room-form" onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <h3>{t('settings.detailsHeading')}</h3>
      <RoomFields id={id} mode="edit" values={values} errors={errors} onChange={set} disabled={pending} />
      <div className="form-actions">
        <p className="form-status" role="status">
          {saved === 'saved' ? t('settings.saved') : saved === 'unchanged' ? t('settings.unchanged') : ''}
        </p>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('common.saving') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}

/** EDITOR: severity only. */
function SeverityForm({ room, update }: { room: Room; update: Update }) {
  const { t } = useTranslation();
  const id = useId();
  const [severity, setSeverity] = useState<Severity>(room.severity);
  const [saved, setSaved] = useState(false);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (severity === room.severity) return;
    update.mutate({ severity }, { onSuccess: () => setSaved(true) });
  }

  return (
    <form className="settings-card" onSubmit={handleSubmit} aria-busy={update.isPending}>
      <h3>{t('settings.severityHeading')}</h3>
      <div className="field">
        <label htmlFor={`${id}-severity`}>{t('room.fields.severity')}</label>
        <select
          id={`${id}-severity`}
          value={severity}
          onChange={(event) => {
            setSeverity(event.target.value as Severity);
            setSaved(false);
          }}
          disabled={update.isPending}
        >
          {SEVERITIES.map((value) => (
            <option key={value} value={value}>
              {t(`rooms.severity.${value}`)}
            </option>
          ))}
        </select>
        <span className="severity-preview">
          <SeverityBadge severity={severity} />
        </span>
      </div>
      <div className="form-actions">
        <p className="form-status" role="status">
          {saved ? t('settings.saved') : ''}
        </p>
        <button type="submit" className="button button-primary" disabled={update.isPending || severity === room.severity}>
          {update.isPending ? t('common.saving') : t('settings.saveSeverity')}
        </button>
      </div>
    </form>
  );
}

/** Resolve (with a required note), reopen, archive (OWNER, after confirming). */
function StatusControls({ room, role, update }: { room: Room; role: RoomRole; update: Update }) {
  const { t } = useTranslation();
  const id = useId();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const { causes } = useRootCauses(room.status === 'active' ? room.event_code : null);
  const [rootCause, setRootCause] = useState('');
  const [falseAlarm, setFalseAlarm] = useState(false);
  const [downtime, setDowntime] = useState('');
  const [closureError, setClosureError] = useState<string | null>(null);

  function resolve(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = note.trim();
    if (!text) {
      setNoteError(t('settings.noteRequired'));
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    if (text.length > ROOM_LIMITS.description) {
      setNoteError(t('createRoom.errors.tooLong', { max: ROOM_LIMITS.description }));
      return;
    }
    setNoteError(null);
    const closure: UpdateRoomInput = {};
    if (causes.length > 0 && !falseAlarm && !rootCause) {
      setClosureError(t('settings.rootCauseRequired'));
      document.getElementById(`${id}-cause`)?.focus();
      return;
    }
    if (falseAlarm) closure.false_alarm = true;
    else if (rootCause) closure.root_cause_code = rootCause;
    const minutes = downtime.trim() === '' ? null : Number(downtime);
    if (minutes !== null && (!Number.isInteger(minutes) || minutes < 0 || minutes > 525600)) {
      setClosureError(t('settings.downtimeInvalid'));
      return;
    }
    if (minutes !== null && !falseAlarm) closure.downtime_minutes = minutes;
    setClosureError(null);
    update.mutate(
      { status: 'resolved', resolution_note: text, ...closure },
      {
        onSuccess: () => setNote(''),
        onError: (error) => {
          const details = validationDetails(error, ['resolution_note', 'root_cause_code', 'downtime_minutes']);
          if ('resolution_note' in details) setNoteError(t('settings.noteRequired'));
          if ('root_cause_code' in details) setClosureError(t('settings.rootCauseRequired'));
          if ('downtime_minutes' in details) setClosureError(t('settings.downtimeInvalid'));
        },
      },
    );
  }

  function archive() {
    update.mutate({ status: 'archived' }, { onSettled: () => setConfirmArchive(false) });
  }

  return (
    <div className="settings-card">
      <h3>{t('settings.statusHeading')}</h3>
      <p className="current-status">
        {t('settings.currentStatus')} <StatusBadge status={room.status} />
      </p>

      {room.status === 'active' ? (
        <form onSubmit={resolve} noValidate>
          <div className="field">
            <label htmlFor={`${id}-note`}>
              {t('room.fields.resolution_note')} <span className="required-mark">{t('form.required')}</span>
            </label>
            <textarea
              id={`${id}-note`}
              rows={4}
              value={note}
              onChange={(event) => {
                setNote(event.target.value);
                if (noteError) setNoteError(null);
              }}
              aria-required="true"
              aria-invalid={noteError ? true : undefined}
              aria-describedby={noteError ? `${id}-note-error` : `${id}-note-hint`}
              disabled={update.isPending}
            />
            {noteError ? (
              <p id={`${id}-note-error`} className="field-error">
                {noteError}
              </p>
            ) : (
              <p id={`${id}-note-hint`} className="field-hint">
                {t('settings.noteHint')}
              </p>
            )}
          </div>
          {causes.length > 0 ? (
            <fieldset className="role-choices closure-fields">
              <legend>{t('settings.closureHeading')}</legend>
              <div className="field">
                <label htmlFor={`${id}-cause`}>
                  {t('settings.rootCause')} <span className="required-mark">{t('form.required')}</span>
                </label>
                <select
                  id={`${id}-cause`}
                  value={rootCause}
                  onChange={(event) => {
                    setRootCause(event.target.value);
                    setClosureError(null);
                  }}
                  disabled={falseAlarm || update.isPending}
                  aria-invalid={closureError ? true : undefined}
                  aria-describedby={closureError ? `${id}-closure-error` : undefined}
                >
                  <option value="">{t('settings.rootCausePick')}</option>
                  {causes.map((cause) => (
                    <option key={cause.code} value={cause.code}>
                      {cause.name}（{cause.code}）
                    </option>
                  ))}
                </select>
              </div>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={falseAlarm}
                  onChange={(event) => {
                    setFalseAlarm(event.target.checked);
                    setClosureError(null);
                  }}
                  disabled={update.isPending}
                />
                {t('settings.falseAlarm')}
              </label>
              <div className="field">
                <label htmlFor={`${id}-downtime`}>{t('settings.downtime')}</label>
                <input
                  id={`${id}-downtime`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={525600}
                  value={downtime}
                  onChange={(event) => setDowntime(event.target.value)}
                  disabled={falseAlarm || update.isPending}
                />
              </div>
              {closureError ? (
                <p id={`${id}-closure-error`} className="field-error" role="alert">
                  {closureError}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {t('settings.resolve')}
          </button>
        </form>
      ) : null}

      {room.status === 'resolved' ? (
        <>
          {room.resolution_note ? (
            <div className="resolution">
              <h4>{t('room.fields.resolution_note')}</h4>
              <p className="pre-wrap">{room.resolution_note}</p>
            </div>
          ) : null}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => update.mutate({ status: 'active' })}
            disabled={update.isPending}
          >
            {t('settings.reopen')}
          </button>
        </>
      ) : null}

      {hasRole(role, 'OWNER') ? (
        <div className="danger-zone">
          <h4>{t('settings.archiveHeading')}</h4>
          <p className="field-hint">{t('settings.archiveHint')}</p>
          <button
            type="button"
            className="button button-danger"
            onClick={() => setConfirmArchive(true)}
            disabled={update.isPending}
          >
            {t('settings.archive')}
          </button>
        </div>
      ) : null}

      {confirmArchive ? (
        <ConfirmDialog
          title={t('settings.archiveConfirmTitle')}
          message={t('settings.archiveConfirm', { title: room.title })}
          confirmLabel={t('settings.archiveConfirmButton')}
          onConfirm={archive}
          onCancel={() => setConfirmArchive(false)}
          pending={update.isPending}
          danger
        />
      ) : null}
    </div>
  );
}
