import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ConfirmDialog } from '@/components/dialog';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { isApiError } from '@/lib/api-client';
import { errorMessage } from '@/lib/errors';
import { canManage as mayManage, isArchived, ROLE_RANK, ROOM_ROLES, type RoomRole } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useAddMember } from '@/features/rooms/api/add-member';
import { useRoom } from '@/features/rooms/api/get-room';
import { useMembers } from '@/features/rooms/api/get-members';
import { useRemoveMember } from '@/features/rooms/api/remove-member';
import { useUserSearch } from '@/features/rooms/api/search-users';
import { useUpdateMemberRole } from '@/features/rooms/api/update-member';
import type { DirectoryUser, Member } from '@/features/rooms/types';

export const USER_SEARCH_DEBOUNCE_MS = 300;

/** Role changes and removals: a 409 means the room would be left without an OWNER. */
export function memberErrorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error) && error.status === 409) return t('members.errors.lastOwner');
  if (isApiError(error) && error.status === 403) return t('members.errors.forbidden');
  return errorMessage(error, t);
}

function addErrorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error) && error.status === 409) return t('members.errors.alreadyMember');
  if (isApiError(error) && error.status === 404) return t('members.errors.unknownUser');
  return memberErrorMessage(error, t);
}

type Pending = { kind: 'remove'; member: Member } | { kind: 'leave'; member: Member } | null;

/** /rooms/:roomId/members: list with roles and online state; OWNER manages, anyone may leave. */
export function RoomMembers({ roomId, onLeft }: { roomId: string; onLeft: () => void }) {
  const { t } = useTranslation();
  const { user: me } = useSession();
  const room = useRoom(roomId);
  const members = useMembers(roomId);
  const updateRole = useUpdateMemberRole(roomId);
  const remove = useRemoveMember(roomId);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  if (room.isPending || members.isPending) return <Loading />;
  if (room.isError) return <ErrorAlert error={room.error} onRetry={() => void room.refetch()} />;
  if (members.isError) return <ErrorAlert error={members.error} onRetry={() => void members.refetch()} />;

  const archived = isArchived(room.data);
  const canManage = mayManage(room.data.my_role, room.data);
  const sorted = [...members.data].sort(
    (a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || a.display_name.localeCompare(b.display_name),
  );
  const memberIds = new Set(members.data.map((member) => member.user_id));
  const onlineCount = members.data.filter((member) => member.online).length;

  function changeRole(member: Member, role: RoomRole) {
    setActionError(null);
    updateRole.mutate({ userId: member.user_id, role }, { onError: (error) => setActionError(error) });
  }

  function confirmRemoval() {
    if (!confirm) return;
    const { member, kind } = confirm;
    setActionError(null);
    remove.mutate(member.user_id, {
      onSuccess: () => {
        setConfirm(null);
        if (kind === 'leave') onLeft();
      },
      onError: (error) => {
        setConfirm(null);
        setActionError(error);
      },
    });
  }

  return (
    <section className="room-section members" aria-labelledby="room-section-heading">
      <h2 id="room-section-heading">{t('nav.members')}</h2>
      <p className="members-count">
        {t('members.summary', { count: members.data.length, online: onlineCount })}
      </p>
      {archived ? (
        <p className="alert alert-info" role="note">
          {t('members.archivedNotice')}
        </p>
      ) : null}
      {actionError ? (
        <div className="alert alert-error" role="alert">
          <p>{memberErrorMessage(actionError, t)}</p>
        </div>
      ) : null}

      <ul className="member-list" aria-label={t('members.listLabel')}>
        {sorted.map((member) => {
          const self = member.user_id === me?.user_id;
          return (
            <li key={member.user_id} className="member-item">
              <span
                className={`presence-dot ${member.online ? 'presence-online' : 'presence-offline'}`}
                aria-hidden="true"
              />
              <div className="member-info">
                <span className="member-name">
                  {member.display_name}
                  {self ? <span className="member-self"> {t('members.you')}</span> : null}
                </span>
                <span className="member-meta">
                  <span className="visually-hidden">{t('members.presence')}: </span>
                  {member.online ? t('members.online') : t('members.offline')}
                  {member.department ? ` · ${member.department}` : ''}
                </span>
              </div>
              <div className="member-actions">
                {canManage ? (
                  <RoleSelect
                    member={member}
                    onChange={(role) => changeRole(member, role)}
                    disabled={updateRole.isPending}
                  />
                ) : (
                  <span className={`badge role role-${member.role.toLowerCase()}`} data-role={member.role}>
                    <span className="visually-hidden">{t('members.role')}: </span>
                    {t(`members.roles.${member.role}`)}
                  </span>
                )}
                {canManage && !self ? (
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setConfirm({ kind: 'remove', member })}
                    aria-label={t('members.removeNamed', { name: member.display_name })}
                  >
                    {t('members.remove')}
                  </button>
                ) : null}
                {self && !archived ? (
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setConfirm({ kind: 'leave', member })}
                  >
                    {t('members.leave')}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>

      {canManage ? <AddMemberForm roomId={roomId} memberIds={memberIds} /> : null}

      {confirm ? (
        <ConfirmDialog
          title={confirm.kind === 'leave' ? t('members.leaveTitle') : t('members.removeTitle')}
          message={
            confirm.kind === 'leave'
              ? t('members.leaveConfirm', { title: room.data.title })
              : t('members.removeConfirm', { name: confirm.member.display_name })
          }
          confirmLabel={confirm.kind === 'leave' ? t('members.leave') : t('members.remove')}
          onConfirm={confirmRemoval}
          onCancel={() => setConfirm(null)}
          pending={remove.isPending}
          danger
        />
      ) : null}
    </section>
  );
}

function RoleSelect({ member, onChange, disabled }: { member: Member; onChange: (role: RoomRole) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {t('members.roleOf', { name: member.display_name })}
      </label>
      <select
        id={id}
        className="role-select"
        value={member.role}
        onChange={(event) => onChange(event.target.value as RoomRole)}
        disabled={disabled}
      >
        {ROOM_ROLES.map((role) => (
          <option key={role} value={role}>
            {t(`members.roles.${role}`)}
          </option>
        ))}
      </select>
    </>
  );
}

/** User search (debounced GET /api/users?q=) + role + add. */
function AddMemberForm({ roomId, memberIds }: { roomId: string; memberIds: Set<string> }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<DirectoryUser | null>(null);
  const [role, setRole] = useState<RoomRole>('EDITOR');
  const [added, setAdded] = useState<string | null>(null);
  const [selectError, setSelectError] = useState(false);
  const term = useDebouncedValue(text.trim(), USER_SEARCH_DEBOUNCE_MS);
  const search = useUserSearch(term);
  const add = useAddMember(roomId);

  const results = term && search.data ? search.data : [];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!selected) {
      setSelectError(true);
      return;
    }
    add.mutate(
      { user_id: selected.user_id, role },
      {
        onSuccess: (member) => {
          setAdded(member.display_name);
          setSelected(null);
          setText('');
        },
      },
    );
  }

  return (
    <form className="settings-card add-member" onSubmit={submit} noValidate aria-busy={add.isPending}>
      <h3>{t('members.addHeading')}</h3>
      {add.isError ? (
        <div className="alert alert-error" role="alert">
          <p>{addErrorMessage(add.error, t)}</p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-search`}>{t('members.searchLabel')}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setAdded(null);
          }}
          placeholder={t('members.searchPlaceholder')}
          autoComplete="off"
          aria-describedby={`${id}-results-status`}
          aria-controls={results.length > 0 ? `${id}-results` : undefined}
        />
        <p id={`${id}-results-status`} className="field-hint" aria-live="polite">
          {!term
            ? t('members.searchHint')
            : search.isFetching && !search.data
              ? t('app.loading')
              : search.isError
                ? errorMessage(search.error, t)
                : t('members.results', { count: results.length })}
        </p>
      </div>
      {results.length > 0 ? (
        <ul id={`${id}-results`} className="user-results" aria-label={t('members.resultsLabel')}>
          {results.map((user) => {
            const already = memberIds.has(user.user_id);
            const isSelected = selected?.user_id === user.user_id;
            return (
              <li key={user.user_id}>
                <button
                  type="button"
                  className={`user-result ${isSelected ? 'selected' : ''}`}
                  aria-pressed={isSelected}
                  disabled={already}
                  onClick={() => {
                    setSelected(user);
                    setSelectError(false);
                  }}
                >
                  <span className="member-name">{user.display_name}</span>
                  <span className="member-meta">
                    {user.user_id}
                    {user.department ? ` · ${user.department}` : ''}
                    {already ? ` · ${t('members.alreadyMember')}` : ''}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className={selectError ? 'field-error' : 'field-hint'} role={selectError ? 'alert' : undefined}>
        {selected
          ? t('members.selected', { name: selected.display_name })
          : selectError
            ? t('members.selectUser')
            : ''}
      </p>
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('members.role')}</label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as RoomRole)}>
          {ROOM_ROLES.map((value) => (
            <option key={value} value={value}>
              {t(`members.roles.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <p className="form-status" role="status">
          {added ? t('members.added', { name: added }) : ''}
        </p>
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {add.isPending ? t('members.adding') : t('members.add')}
        </button>
      </div>
    </form>
  );
}
