import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/** Sections of the administration pages. */
export function AdminNav() {
  const { t } = useTranslation();
  return (
    <nav className="room-nav" aria-label={t('admin.sections')}>
      <ul>
        <li>
          <NavLink to="/admin/policies">{t('admin.policy.heading')}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/rosters">{t('admin.roster.heading')}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/plant">{t('admin.plant.heading')}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/event-codes">{t('admin.eventCodes.heading')}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/integration-keys">{t('admin.integrationKeys.heading')}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/webhooks">{t('admin.webhooks.heading')}</NavLink>
        </li>
        <li>
          <NavLink to="/admin/qr-codes">{t('exports.qr.heading')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
