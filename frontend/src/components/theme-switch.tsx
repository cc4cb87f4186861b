import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isThemePreference, setThemePreference, THEME_PREFERENCES, useTheme } from '@/lib/theme';

/** Follow the system, light or dark: a labelled select, remembered per browser. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const { preference } = useTheme();
  const id = useId();
  return (
    <div className="theme-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('theme.label')}
      </label>
      <select
        id={id}
        value={preference}
        onChange={(event) => {
          const value = event.target.value;
          if (isThemePreference(value)) setThemePreference(value);
        }}
      >
        {THEME_PREFERENCES.map((value) => (
          <option key={value} value={value}>
            {t(`theme.${value}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
