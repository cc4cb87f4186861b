import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { isApiError } from '@/lib/api-client';
import { errorMessage } from '@/lib/errors';
import { plantCounts, usePlant, type Plant } from '@/lib/plant';
import { PLANT_CSV_MAX_BYTES, useImportPlant } from '@/features/admin/api/import-plant';
import { FieldMessage } from '@/features/admin/components/field-message';

const CSV_EXAMPLE = 'site,area,line,station\nA 廠,前段,黏晶 L1,DB-01\nA 廠,前段,黏晶 L1,DB-02\nA 廠,後段,測試 L5,';

/** /admin/plant: the plant tree and its CSV import (administrators). */
export function PlantPage() {
  const { t } = useTranslation();
  const id = useId();
  const plant = usePlant();
  return (
    <section className="admin-section plant-page" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('admin.plant.heading')}</h2>
      <p className="field-hint">{t('admin.plant.intro')}</p>
      <p className="alert alert-info" role="note">
        {t('admin.plant.retiredNote')}
      </p>
      <PlantImport />
      <h3>{t('admin.plant.treeHeading')}</h3>
      {plant.isPending ? (
        <Loading />
      ) : plant.isError ? (
        <ErrorAlert error={plant.error} onRetry={() => void plant.refetch()} />
      ) : (
        <PlantTreeView plant={plant.data} />
      )}
    </section>
  );
}

function PlantTreeView({ plant }: { plant: Plant }) {
  const { t } = useTranslation();
  if (plant.sites.length === 0) return <p className="empty-state">{t('admin.plant.empty')}</p>;
  const counts = plantCounts(plant);
  return (
    <>
      <p className="field-hint">{t('admin.plant.counts', counts)}</p>
      <ul className="plant-tree" aria-label={t('admin.plant.treeHeading')}>
        {plant.sites.map((site) => (
          <li key={site.site_id}>
            <NodeLabel kind={t('admin.plant.site')} name={site.name} id={site.site_id} />
            <ul>
              {site.areas.map((area) => (
                <li key={area.area_id}>
                  <NodeLabel kind={t('place.area')} name={area.name} id={area.area_id} />
                  <ul>
                    {area.lines.map((line) => (
                      <li key={line.line_id}>
                        <NodeLabel kind={t('place.line')} name={line.name} id={line.line_id} />
                        {line.stations.length > 0 ? (
                          <ul className="plant-stations">
                            {line.stations.map((station) => (
                              <li key={station.station_id}>
                                <NodeLabel kind={t('place.station')} name={station.name} id={station.station_id} />
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}

function NodeLabel({ kind, name, id }: { kind: string; name: string; id: string }) {
  return (
    <span className="plant-node">
      <span className="visually-hidden">{kind}：</span>
      <span className="plant-node-name">{name}</span> <code className="plant-node-id">{id}</code>
    </span>
  );
}

/** One problem of a refused CSV: `row N` becomes 「第 N 列」. */
function describeDetail(field: string, t: TFunction): string {
  const row = /^row (\d+)$/.exec(field);
  if (row) return t('admin.plant.row', { row: Number(row[1]) });
  if (field === 'body') return t('admin.plant.wholeFile');
  return field;
}

function rowDetails(error: unknown): Array<{ field: string; message: string }> {
  if (!isApiError(error) || error.status !== 400 || !Array.isArray(error.details)) return [];
  return error.details.flatMap((item) => {
    if (!item || typeof item !== 'object') return [];
    const { field, message } = item as { field?: unknown; message?: unknown };
    return [{ field: typeof field === 'string' ? field : '', message: typeof message === 'string' ? message : '' }];
  });
}

/** CSV from a file (sent as its bytes) or pasted text → POST /api/plant/import. */
function PlantImport() {
  const { t } = useTranslation();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState('');
  const importPlant = useImportPlant();
  const details = rowDetails(importPlant.error);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const size = file ? file.size : new TextEncoder().encode(text).length;
    if (!file && !text.trim()) {
      setInputError(t('admin.plant.errors.empty'));
      return;
    }
    if (size > PLANT_CSV_MAX_BYTES) {
      setInputError(t('admin.plant.errors.tooLarge', { max: PLANT_CSV_MAX_BYTES / 1024 }));
      return;
    }
    setInputError('');
    const body = file ? new Uint8Array(await file.arrayBuffer()) : text;
    importPlant.mutate(body, {
      onSuccess: () => {
        setFile(null);
        setText('');
        if (fileRef.current) fileRef.current.value = '';
      },
    });
  }

  const pending = importPlant.isPending;
  return (
    <form className="plant-import" onSubmit={(event) => void submit(event)} noValidate aria-busy={pending}>
      <h3>{t('admin.plant.importHeading')}</h3>
      <p className="field-hint" id={`${id}-format`}>
        {t('admin.plant.format')}
      </p>
      <pre className="plant-csv-example" aria-label={t('admin.plant.example')}>
        {CSV_EXAMPLE}
      </pre>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('admin.plant.file')}</label>
        <input
          id={`${id}-file`}
          ref={fileRef}
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setInputError('');
          }}
          aria-describedby={`${id}-format`}
          disabled={pending}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('admin.plant.paste')}</label>
        <textarea
          id={`${id}-text`}
          rows={6}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setInputError('');
          }}
          placeholder="site,area,line,station"
          spellCheck={false}
          aria-invalid={inputError ? true : undefined}
          aria-describedby={[inputError ? `${id}-input-error` : null, file ? `${id}-file-wins` : null].filter(Boolean).join(' ') || undefined}
          disabled={pending}
        />
        {file ? (
          <p id={`${id}-file-wins`} className="field-hint">
            {t('admin.plant.fileChosen', { name: file.name })}
          </p>
        ) : null}
        <FieldMessage id={`${id}-input-error`} message={inputError} />
      </div>
      {importPlant.isError ? (
        <div className="alert alert-error" role="alert">
          <p>{details.length ? t('admin.plant.rejected', { message: importPlant.error.message }) : errorMessage(importPlant.error, t)}</p>
          {details.length ? (
            <ul className="plant-import-errors">
              {details.map((detail, index) => (
                <li key={`${detail.field}-${index}`}>
                  <strong>{describeDetail(detail.field, t)}</strong>：{detail.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {importPlant.isSuccess ? (
        <p className="alert alert-info" role="status">
          {t('admin.plant.imported', plantCounts(importPlant.data))}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('admin.plant.importing') : t('admin.plant.import')}
        </button>
      </div>
    </form>
  );
}
