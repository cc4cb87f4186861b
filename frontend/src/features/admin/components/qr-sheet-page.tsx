import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { usePlant } from '@/lib/plant';
import { useQrSheet } from '@/features/admin/api/get-qr-sheet';

/** 站別 QR 碼: pick a line, see its sheet (one code per station), print or download it. */
export function QrSheetPage() {
  const { t } = useTranslation();
  const id = useId();
  const plant = usePlant();
  const lines = useMemo(
    () => (plant.data?.sites ?? []).flatMap((s) => s.areas.flatMap((a) => a.lines)),
    [plant.data],
  );
  const [lineId, setLineId] = useState('');
  const sheet = useQrSheet(lineId);
  // an object URL per sheet, revoked when the sheet changes or the page closes
  const href = useMemo(() => (sheet.data ? URL.createObjectURL(sheet.data) : null), [sheet.data]);
  useEffect(() => () => (href ? URL.revokeObjectURL(href) : undefined), [href]);

  const print = () => {
    if (!href) return;
    const win = window.open(href, '_blank');
    win?.addEventListener('load', () => win.print());
  };

  if (plant.isPending) return <Loading />;
  if (plant.isError) return <ErrorAlert error={plant.error} onRetry={() => void plant.refetch()} />;
  return (
    <section className="qr-sheet-page">
      <h2>{t('exports.qr.heading')}</h2>
      <p>{t('exports.qr.intro')}</p>
      {lines.length === 0 ? (
        <p>{t('exports.qr.noLines')}</p>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-line`}>{t('exports.qr.line')}</label>
          <select id={`${id}-line`} value={lineId} onChange={(event) => setLineId(event.target.value)}>
            <option value="">{t('exports.qr.pickLine')}</option>
            {lines.map((line) => (
              <option key={line.line_id} value={line.line_id}>
                {line.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {sheet.isFetching ? <Loading /> : null}
      {sheet.isError ? <ErrorAlert error={sheet.error} onRetry={() => void sheet.refetch()} /> : null}
      {href ? (
        <>
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={print}>
              {t('exports.qr.print')}
            </button>
            <a className="button" href={href} download={`qr-${lineId}.svg`}>
              {t('exports.qr.download')}
            </a>
          </div>
          <img className="qr-sheet" src={href} alt={t('exports.qr.alt')} style={{ maxWidth: '100%' }} />
        </>
      ) : null}
    </section>
  );
}
