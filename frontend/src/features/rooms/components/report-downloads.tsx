import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { downloadRoomReport, type ReportFormat } from '@/features/rooms/api/download-room-report';
import { saveBlob } from '@/lib/download';

/** 下載報告: the room's incident report as PDF or Markdown (any member). */
export function ReportDownloads({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [error, setError] = useState<unknown>(null);

  const download = async (format: ReportFormat) => {
    setBusy(format);
    setError(null);
    try {
      saveBlob(await downloadRoomReport(roomId, format));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="report-downloads" role="group" aria-label={t('exports.report.heading')}>
      {(['pdf', 'md'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button"
          disabled={busy !== null}
          aria-busy={busy === format}
          onClick={() => void download(format)}
        >
          {busy === format ? t('exports.report.preparing') : t(`exports.report.${format}`)}
        </button>
      ))}
      {error ? <ErrorAlert error={error} /> : null}
    </div>
  );
}
