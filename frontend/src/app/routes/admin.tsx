import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { AdminNav } from '@/features/admin/components/admin-nav';
import { AdminOnly } from '@/features/admin/components/admin-only';
import { EventCodesPage } from '@/features/admin/components/event-codes-page';
import { IntegrationKeysPage } from '@/features/admin/components/integration-keys-page';
import { PlantPage } from '@/features/admin/components/plant-page';
import { PoliciesPage } from '@/features/admin/components/policies-page';
import { QrSheetPage } from '@/features/admin/components/qr-sheet-page';
import { RostersPage } from '@/features/admin/components/rosters-page';
import { WebhooksPage } from '@/features/admin/components/webhooks-page';

/** /admin: administrators only — escalation policies, on-duty rosters and the plant. */
export function AdminLayoutRoute() {
  const { t } = useTranslation();
  return (
    <div className="page admin-page">
      <h1>{t('admin.heading')}</h1>
      <AdminOnly>
        <AdminNav />
        <Outlet />
      </AdminOnly>
    </div>
  );
}

export function AdminPoliciesRoute() {
  return <PoliciesPage />;
}

export function AdminRostersRoute() {
  return <RostersPage />;
}

export function AdminPlantRoute() {
  return <PlantPage />;
}

export function AdminIntegrationKeysRoute() {
  return <IntegrationKeysPage />;
}

export function AdminWebhooksRoute() {
  return <WebhooksPage />;
}

export function AdminQrSheetRoute() {
  return <QrSheetPage />;
}

export function AdminEventCodesRoute() {
  return <EventCodesPage />;
}
