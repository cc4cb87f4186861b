import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useUserName, useUserSearch } from '@/features/admin/api/search-users';

export const PICKER_DEBOUNCE_MS = 300;

function Chip({ userId, onRemove }: { userId: string; onRemove: () => void }) {
  const { t } = useTranslation();
  const name = useUserName(userId);
  return (
    <li className="chip">
      <span title={userId}>{name}</span>
      <button type="button" className="chip-remove" onClick={onRemove} aria-label={t('admin.users.remove', { name })}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}

type Props = {
  /** The search input's id (its label's `htmlFor`). */
  id: string;
  label: string;
  value: string[];
  onChange: (userIds: string[]) => void;
  errorId?: string | undefined;
  invalid?: boolean;
};

/** Chosen users as removable chips, and a debounced search (GET /api/users?q=) to add more. */
export function UserPicker({ id, label, value, onChange, errorId, invalid }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const term = useDebouncedValue(text.trim(), PICKER_DEBOUNCE_MS);
  const search = useUserSearch(term);
  const results = term && search.data ? search.data.filter((user) => !value.includes(user.user_id)) : [];
  const statusId = `${id}-status`;

  return (
    <div className="field user-picker">
      <label htmlFor={id}>{label}</label>
      {value.length > 0 ? (
        <ul className="chips" aria-label={t('admin.users.chosen', { label })}>
          {value.map((userId) => (
            <Chip key={userId} userId={userId} onRemove={() => onChange(value.filter((v) => v !== userId))} />
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={t('admin.users.placeholder')}
        autoComplete="off"
        aria-describedby={[statusId, errorId].filter(Boolean).join(' ')}
        aria-invalid={invalid || undefined}
      />
      <p id={statusId} className="field-hint" aria-live="polite">
        {!term
          ? ''
          : search.isFetching && !search.data
            ? t('app.loading')
            : search.isError
              ? errorMessage(search.error, t)
              : t('admin.users.results', { count: results.length })}
      </p>
      {results.length > 0 ? (
        <ul className="user-results" aria-label={t('admin.users.resultsLabel')}>
          {results.map((user) => (
            <li key={user.user_id}>
              <button
                type="button"
                className="user-result"
                aria-label={t('admin.users.add', { name: user.display_name })}
                onClick={() => {
                  onChange([...value, user.user_id]);
                  setText('');
                }}
              >
                <span className="member-name">{user.display_name}</span>
                <span className="member-meta">
                  {user.user_id}
                  {user.department ? ` · ${user.department}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
