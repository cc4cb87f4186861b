import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraIcon, PaperclipIcon } from '@/features/files/components/icons';
import { ACCEPT, IMAGE_ACCEPT } from '@/features/files/utils/file-types';

/** Phones and tablets (coarse pointer / touch points) get a separate camera button. */
export function isTouchDevice(): boolean {
  if (typeof window === 'undefined') return false;
  if (typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches) return true;
  return typeof navigator !== 'undefined' && (navigator.maxTouchPoints ?? 0) > 0;
}

type Props = {
  onFiles: (files: File[]) => void;
  /** Show the camera button (default: on touch devices). */
  camera?: boolean;
  /** Button text next to the icon (the files page); the composer shows icons only. */
  showLabels?: boolean;
  disabled?: boolean;
};

/**
 * "Attach files" (multiple, the allowed types) and, on phones, "Take photo"
 * (`capture="environment"`: the back camera). Both are real buttons (≥ 44 px) that open a
 * hidden file input; the input is cleared after each pick so the same file can be picked again.
 */
export function FilePickerButtons({ onFiles, camera, showLabels = false, disabled = false }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const cameraInput = useRef<HTMLInputElement>(null);
  const [touch] = useState(isTouchDevice);
  const showCamera = camera ?? touch;

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const files = event.target.files ? Array.from(event.target.files) : [];
    event.target.value = '';
    if (files.length) onFiles(files);
  }

  return (
    <span className="file-picker">
      <input
        ref={fileInput}
        id={`${id}-files`}
        type="file"
        multiple
        accept={ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-input"
        onChange={onChange}
        disabled={disabled}
      />
      <button
        type="button"
        className={`button button-secondary file-picker-button${showLabels ? '' : ' button-square'}`}
        onClick={() => fileInput.current?.click()}
        aria-label={showLabels ? undefined : t('files.attach')}
        title={t('files.attachHint')}
        disabled={disabled}
      >
        <PaperclipIcon />
        {showLabels ? <span>{t('files.upload')}</span> : null}
      </button>
      {showCamera ? (
        <>
          <input
            ref={cameraInput}
            id={`${id}-camera`}
            type="file"
            accept={IMAGE_ACCEPT}
            capture="environment"
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="camera-input"
            onChange={onChange}
            disabled={disabled}
          />
          <button
            type="button"
            className={`button button-secondary file-picker-button${showLabels ? '' : ' button-square'}`}
            onClick={() => cameraInput.current?.click()}
            aria-label={showLabels ? undefined : t('files.camera')}
            disabled={disabled}
          >
            <CameraIcon />
            {showLabels ? <span>{t('files.camera')}</span> : null}
          </button>
        </>
      ) : null}
    </span>
  );
}
